"""The notice that turns outcome confirmation off is about one installation's service
level: with several, it names that installation and shows with it, never over
another's calls."""

from __future__ import annotations

from rtdash.core.clock import FrozenClock
from rtdash.sim import Simulator
from rtdash.ui.app import RtdashApp
from rtdash.ui.screens.dashboard import DashboardScreen

from .helpers import poll_after, screen_text, settings_for, wait_for_data, wait_until


async def test_a_basic_mode_installation_says_so_on_its_own_tab(sim: Simulator) -> None:
    """The simulator's second installation answers ``activeCall`` in basic mode: its
    first unanswered call turns confirmation off there (and only there)."""
    settings = settings_for(sim)
    settings.connection.more_igrps = [i.igrp for i in sim.installations if i.igrp != sim.igrp]
    settings.service.confirm_outcomes = True
    app = RtdashApp(settings, clock=FrozenClock(sim.now))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await wait_for_data(pilot)
        screen = app.screen
        assert isinstance(screen, DashboardScreen) and len(screen.views) == 2
        first, basic = screen.views
        confirmers = [view.keeper.confirmer for view in screen.views if view.keeper is not None]
        assert len(confirmers) == 2
        for _ in range(60):  # half an hour of the simulated day at most
            if not confirmers[1].enabled:
                break
            await poll_after(pilot, basic, 30, sim)
        await wait_until(pilot, lambda: not confirmers[1].enabled)
        await pilot.pause()
        shown = screen_text(app)
        assert "confirmation is off" not in shown, shown
        assert confirmers[0].enabled

        await pilot.press("2")
        await wait_until(pilot, lambda: "confirmation is off" in screen_text(app))
        shown = screen_text(app)
        assert basic.label in _toasts(shown) and first.label not in _toasts(shown), shown

        await pilot.press("1")  # about the second: not over the first's calls again
        await wait_until(pilot, lambda: "confirmation is off" not in screen_text(app))


def _toasts(shown: str) -> str:
    """The toasts' words: each line of a toast starts at its edge mark."""
    return "\n".join(line.split("▌", 1)[1] for line in shown.splitlines() if "▌" in line)
