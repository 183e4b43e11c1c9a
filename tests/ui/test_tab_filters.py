"""Each installation's tab keeps its own filter: a queue of one installation is not a
queue of the other, and switching back finds the filter where it was left."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Input

from rtdash.core.clock import FrozenClock
from rtdash.sim import Simulator
from rtdash.ui.app import RtdashApp
from rtdash.ui.screens.dashboard import DashboardScreen
from rtdash.ui.screens.queues import QueuesScreen

from .helpers import screen_text, settings_for, wait_for_data, wait_until


def _two_installations(sim: Simulator) -> RtdashApp:
    settings = settings_for(sim)
    settings.connection.more_igrps = [i.igrp for i in sim.installations if i.igrp != sim.igrp]
    return RtdashApp(settings, clock=FrozenClock(sim.now))


def _filter_box_shown(app: RtdashApp) -> str | None:
    """The filter line's words, or None while it is hidden (or never made)."""
    for box in app.screen.query("#filter").results(Input):
        return box.value if box.display else None
    return None


async def _choose_first_queue(pilot: Pilot) -> str:
    """``Q`` and Enter on the first queue: the calls filtered to it; its name."""
    app = pilot.app
    await pilot.press("Q")
    await wait_until(pilot, lambda: isinstance(app.screen, QueuesScreen))
    await pilot.pause()
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(app.screen, DashboardScreen))
    typed = _filter_box_shown(app)  # type: ignore[arg-type]
    assert typed is not None and typed.startswith("queue:"), typed
    return typed


async def test_a_queue_filter_stays_on_its_installation(sim: Simulator) -> None:
    app = _two_installations(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_data(pilot)
        screen = app.screen
        assert isinstance(screen, DashboardScreen) and len(screen.views) == 2
        chosen = await _choose_first_queue(pilot)
        await wait_until(pilot, lambda: f"(filter: {chosen})" in screen_text(app))

        await pilot.press("2")
        await pilot.pause()
        shown = screen_text(app)
        status = next(line for line in shown.splitlines() if "data as of" in line)
        assert "installation 5678" in status, status
        # the other installation's calls, every one of them, and no filter line
        assert "(filter:" not in shown, shown
        assert chosen not in shown, shown
        assert _filter_box_shown(app) is None
        assert screen.dashboard.grid.filter_text == ""

        await pilot.press("1")
        await pilot.pause()
        shown = screen_text(app)
        # back where it was set, the filter is still there: in the groups' titles and
        # in the filter line, where Esc clears it
        assert f"(filter: {chosen})" in shown, shown
        assert _filter_box_shown(app) == chosen
        await pilot.press("escape")
        await pilot.pause()
        assert "(filter:" not in screen_text(app)


async def test_each_installation_keeps_a_filter_of_its_own(sim: Simulator) -> None:
    """A filter typed on the second installation is not the first's, and clearing one
    leaves the other's."""
    app = _two_installations(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_data(pilot)
        chosen = await _choose_first_queue(pilot)
        await pilot.press("2", "slash", *"+44", "enter")
        await wait_until(pilot, lambda: "(filter: +44)" in screen_text(app))

        await pilot.press("1")
        await pilot.pause()
        shown = screen_text(app)
        assert f"(filter: {chosen})" in shown and "+44)" not in shown, shown
        assert _filter_box_shown(app) == chosen
        await pilot.press("escape")  # the filter box is shown: Esc clears it here
        await pilot.pause()
        assert "(filter:" not in screen_text(app)

        await pilot.press("2")
        await pilot.pause()
        assert "(filter: +44)" in screen_text(app)
        assert _filter_box_shown(app) == "+44"
