"""Each installation's tab carries its worst level, in the marks help's legend lists:
a tab reads "nothing past a threshold" (●) only while nothing on its screen is amber
or red."""

from __future__ import annotations

from rtdash.core.clock import FrozenClock
from rtdash.sim import Simulator
from rtdash.ui.app import RtdashApp
from rtdash.ui.screens.dashboard import DashboardScreen
from rtdash.ui.widgets.installation_bar import TAB_MARKS

from .helpers import screen_text, settings_for, wait_for_data, wait_until

OK_MARK, WARN_MARK, ALERT_MARK = TAB_MARKS.values()


async def test_a_tab_shows_a_number_in_amber(sim: Simulator) -> None:
    """Thresholds that put every installation's calls waiting in amber (any count is
    past the warning level, none past the alert one) and nothing else past either."""
    settings = settings_for(sim)
    settings.connection.more_igrps = [i.igrp for i in sim.installations if i.igrp != sim.igrp]
    limits = settings.thresholds
    # each pair is checked as it is set: the one that keeps them in order goes first
    limits.waiting_alert, limits.waiting_warn = 10_000, 0
    limits.wait_alert, limits.wait_warn = 1e9, 1e9
    limits.agents_available_min = 0
    service = settings.service
    service.sl_alert, service.sl_warn = 0, 0
    service.abandon_alert, service.abandon_warn = 100, 100
    app = RtdashApp(settings, clock=FrozenClock(sim.now))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_data(pilot)
        screen = app.screen
        assert isinstance(screen, DashboardScreen) and len(screen.views) == 2

        def top_lines() -> tuple[str, str]:
            tabs, headline = [line for line in screen_text(app).splitlines() if line.strip()][:2]
            return tabs, headline

        await wait_until(pilot, lambda: "Waiting" in top_lines()[1])
        tabs, headline = top_lines()
        assert WARN_MARK in headline and ALERT_MARK not in headline, headline
        # both installations' tabs, each after its name: amber, as the headline is
        assert tabs.count(WARN_MARK) == 2, tabs
        assert OK_MARK not in tabs and ALERT_MARK not in tabs, tabs
