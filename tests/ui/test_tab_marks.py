"""Each installation's tab carries its worst level, in the marks help's legend lists:
a tab reads "nothing past a threshold" (●) only while nothing on its screen is amber
or red."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from rtdash.core.clock import FrozenClock
from rtdash.core.feed import FeedConsumer, LiveFeed
from rtdash.core.poller_status import PollerStatus
from rtdash.core.service_tiles import MIN_CALLS
from rtdash.sim import Fault, Simulator
from rtdash.ui import live_views
from rtdash.ui.app import RtdashApp
from rtdash.ui.screens.dashboard import DashboardScreen
from rtdash.ui.widgets.installation_bar import PAUSED_MARK, PAUSED_WORDS, TAB_MARKS

from .helpers import poll_after, screen_text, settings_for, wait_for_data, wait_until

OK_MARK, WARN_MARK, ALERT_MARK = TAB_MARKS.values()


async def test_a_tab_shows_a_number_in_amber(sim: Simulator) -> None:
    """Thresholds that put every installation's calls waiting in amber (any count is
    past the warning level, none past the alert one) and nothing else past either."""
    app = _calm(sim, waiting_warn=0)
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


def _calm(sim: Simulator, waiting_warn: int = 10_000) -> RtdashApp:
    """Both installations, with thresholds nothing on either reaches: every number is
    calm, so a tab's mark moves only with what the test changes (``waiting_warn``: the
    calls waiting's warning level, 0 to put every count in amber)."""
    settings = settings_for(sim)
    settings.connection.more_igrps = [i.igrp for i in sim.installations if i.igrp != sim.igrp]
    limits = settings.thresholds
    # each pair is checked as it is set: the one that keeps them in order goes first
    limits.waiting_alert, limits.waiting_warn = 10_000, waiting_warn
    limits.wait_alert, limits.wait_warn = 1e9, 1e9
    limits.agents_available_min = 0
    service = settings.service
    service.sl_alert, service.sl_warn = 0, 0
    service.abandon_alert, service.abandon_warn = 100, 100
    return RtdashApp(settings, clock=FrozenClock(sim.now))


def _first_tab_mark(shown: str) -> str:
    """The first tab's level mark (before any pause mark)."""
    first = _tabs(shown).split("│")[0].replace(PAUSED_WORDS, "").replace(PAUSED_MARK, "")
    return first.strip()[-1]


def _status_line(shown: str) -> str:
    return next(line for line in shown.splitlines() if "data as of" in line)


async def _screen_once(pilot: Pilot, condition: Callable[[str], bool]) -> str:
    """The screen at the first look that meets ``condition``: what a person sees the
    moment it changes, with no turn of the loop after it for a late redraw to land."""
    seen: list[str] = []

    def met() -> bool:
        shown = screen_text(pilot.app)
        if condition(shown):
            seen.append(shown)
            return True
        return False

    await wait_until(pilot, met)
    return seen[0]


async def test_a_tab_mark_changes_with_the_status_line(sim: Simulator) -> None:
    """Paused is a warning (▲), live again is calm (●): the tab says so in the frame
    the status line does, each time, not on a timer of its own up to a second later."""
    app = _calm(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_data(pilot)
        await wait_until(pilot, lambda: _first_tab_mark(screen_text(app)) == OK_MARK)
        for _ in range(3):
            await pilot.press("p")
            shown = await _screen_once(pilot, lambda s: "paused" in _status_line(s))
            assert _first_tab_mark(shown) == WARN_MARK, shown
            assert PAUSED_WORDS in _tabs(shown).split("│")[0], shown
            await pilot.press("p")
            shown = await _screen_once(pilot, lambda s: "live" in _status_line(s))
            assert _first_tab_mark(shown) == OK_MARK, shown


async def test_a_tab_mark_changes_with_the_headline(sim: Simulator) -> None:
    """Calls waiting turn amber at about the simulated centre's usual count: as its
    queue grows and shrinks, the tab's mark reads what the headline reads in the
    frame that draws the poll."""
    app = _calm(sim)
    app.settings.thresholds.waiting_warn = 15
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_data(pilot)
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        board = screen.dashboard
        changes, last = 0, None
        for _ in range(200):
            before = board.calls.fetched_at if board.calls is not None else None
            sim.advance(1)
            app.clock.advance(1)  # type: ignore[attr-defined]
            board.poller.refresh_now()

            def polled(_: str, before: object = before) -> bool:
                return board.calls is not None and board.calls.fetched_at != before

            shown = await _screen_once(pilot, polled)
            headline = next(line for line in shown.splitlines() if "Waiting" in line)
            level = WARN_MARK if WARN_MARK in headline else OK_MARK
            assert _first_tab_mark(shown) == level, shown
            changes += last is not None and level != last
            last = level
            if changes >= 4:
                break
        assert changes >= 4  # the queue filled and emptied: the marks were put to the test


async def test_a_tab_reads_the_headlines_service_level_whatever_the_wallboard_shows(
    sim: Simulator,
) -> None:
    """The dashboard's headline always shows SL; ``wallboard_tiles`` only picks the
    wallboard's tiles (and which of them ring). With ``sl`` left out of them, an amber
    SL on the headline left the tab reading "nothing past a threshold"."""
    app = _amber_sl(_calm(sim))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_data(pilot)
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        board = screen.dashboard
        keeper = board.keeper
        assert keeper is not None
        for _ in range(120):  # an hour of the simulated day at most
            if keeper.counted() >= MIN_CALLS:
                break
            await poll_after(pilot, board, 30, sim)
        assert keeper.counted() >= MIN_CALLS
        # live: a poll in flight is a warning of its own, which the mark would read
        shown = await _screen_once(
            pilot, lambda s: "SL 0% " + WARN_MARK in _headline(s) and "live" in _status_line(s)
        )
        assert ALERT_MARK not in _headline(shown), shown
        assert _first_tab_mark(shown) == WARN_MARK, shown


async def test_a_tab_redrawn_by_another_tab_still_follows_its_own_headline(
    sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The tab bar is drawn from every view's level whenever any tab's level changes.
    Drawn for tab 2 after tab 1's feed had its first data but before tab 1 drew it,
    tab 1's mark read calm while tab 1 still remembered "connecting…" (amber); when
    that data then drew an amber SL, tab 1's level looked unchanged and its tab stayed
    calm under the amber headline until tab 2 next changed. Here every status
    tab 1's feed hears redraws the bar at once, as tab 2's change may in that window."""

    class AnotherTabsRedraw(FeedConsumer):
        def feed_status(self, feed: LiveFeed, status: PollerStatus) -> None:
            screen = app.screen
            if isinstance(screen, DashboardScreen):
                screen.show_installations()

    feeds: list[LiveFeed] = []

    class FeedRedrawnBetween(LiveFeed):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            feeds.append(self)
            if len(feeds) == 1:  # tab 1's: subscribed before its view's, it hears first
                self.subscribe(AnotherTabsRedraw())

    monkeypatch.setattr(live_views, "LiveFeed", FeedRedrawnBetween)
    # each installation's calls answer last: their snapshot and the first "live" reach
    # the feed together, before the view has drawn the snapshot
    sim.faults.add(Fault(kind="latency", seconds=0.3, route="pbxActiveCalls", times=2))
    app = _amber_sl(_calm(sim))
    async with app.run_test(size=(80, 24)) as pilot:
        shown = await _screen_once(
            pilot, lambda s: "SL 0% " + WARN_MARK in _headline(s) and "live" in _status_line(s)
        )
        assert _first_tab_mark(shown) == WARN_MARK, shown


def _amber_sl(app: RtdashApp) -> RtdashApp:
    """SL 0 % on the headline, amber (past the warning level only), and left out of
    the wallboard's tiles, so that the headline alone makes it part of a tab's level."""
    service = app.settings.service
    service.wallboard_tiles = ["answered"]
    service.sl_seconds = 0.001  # every answer misses so short a target
    service.sl_alert, service.sl_warn = 0, 100
    return app


def _headline(shown: str) -> str:
    return next((line for line in shown.splitlines() if "Waiting" in line), "")


async def test_a_paused_installations_tab_says_so_from_another_tab(sim: Simulator) -> None:
    """Pause is each installation's own: paused on tab 2, then back on tab 1 (live),
    the tab bar looked as before and tab 2 read live when it was frozen. Its tab says
    "‖ paused" (a symbol and a word: the same under NO_COLOR), whatever its level,
    and stops saying it once resumed."""
    app = _calm(sim, waiting_warn=0)  # amber everywhere: paused must not hide in a level
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_data(pilot)
        await pilot.press("2", "p", "1")
        shown = await _screen_once(pilot, lambda s: PAUSED_WORDS in _tabs(s))
        first, second = _tabs(shown).split("│")
        assert PAUSED_MARK not in first, first
        assert second.strip().endswith(f"{WARN_MARK} {PAUSED_WORDS}"), second
        assert "paused" not in _status_line(shown), "tab 1 is live"
        await pilot.resize_terminal(50, 24)  # no room for the word: the mark stays
        shown = await _screen_once(pilot, lambda s: PAUSED_WORDS not in _tabs(s))
        assert _tabs(shown).rstrip().endswith(f"{WARN_MARK} {PAUSED_MARK}"), _tabs(shown)
        await pilot.resize_terminal(80, 24)
        await pilot.press("2", "p", "1")
        shown = await _screen_once(pilot, lambda s: PAUSED_MARK not in _tabs(s))
        assert _tabs(shown).count(WARN_MARK) == 2, _tabs(shown)


def _tabs(shown: str) -> str:
    return next(line for line in shown.splitlines() if "│" in line)
