"""The dashboard against the simulator over real loopback HTTP."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from rtdash.api.models import CallState
from rtdash.core.poller_status import Phase, PollerStatus
from rtdash.core.snapshot import CALL_STATES
from rtdash.sim import Simulator
from rtdash.sim.faults import Fault
from rtdash.ui.messages import CallsUpdated, StatusUpdated
from tests.support import a_password
from tests.ui.helpers import (
    dashboard_of,
    fetch_truth,
    make_app,
    on_talking_calls,
    rendered_text,
    screen_text,
    wait_for_data,
    wait_until,
)


async def test_calls_are_grouped_by_state_longest_waiting_first(sim: Simulator) -> None:
    truth, _ = await fetch_truth(sim)
    assert all(truth.count(state) for state in CALL_STATES), "the simulator serves all states"
    app = make_app(sim)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        board = dashboard_of(app)
        for state in CALL_STATES:
            shown = board.grid.table(state).keys
            expected = [call.call_ref for call in truth.groups[state]]
            assert shown == expected, state
            starts = [c.state_start for c in truth.groups[state]]
            assert starts == sorted(starts), "oldest state start (longest waiting) first"
            title = rendered_text(board.grid.query_one(f"#title-{state}"))
            assert title.rstrip().endswith(str(len(expected)))


async def test_only_dashboard_users_until_a_shows_all(sim: Simulator) -> None:
    _, truth = await fetch_truth(sim)
    hidden = [user for user in truth.users if not user.dashboard]
    assert hidden, "the simulator has users who are not on the dashboard"
    app = make_app(sim)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        panel = dashboard_of(app).user_panel
        assert panel.table.keys == [user.user_id for user in truth.dashboard_users]
        await pilot.press("a")
        assert panel.table.keys == [user.user_id for user in truth.users]
        await pilot.press("a")
        assert set(panel.table.keys).isdisjoint(user.user_id for user in hidden)


async def test_cursor_stays_on_the_same_call_across_refreshes(sim: Simulator) -> None:
    async with on_talking_calls(sim) as (_app, pilot, board, table):
        table.move_cursor(row=min(3, table.row_count - 1))
        chosen = table.selected_key
        before = list(table.keys)
        # a little model time: some calls end, some arrive, the chosen one is still talking
        for _ in range(10):
            sim.advance(2)
            board.poller.refresh_now()
            await wait_until(pilot, lambda: board.calls is not None and not board.poller._tasks)
            if chosen not in {c.call_ref for c in board.calls.groups[CallState.BRIDGED]}:
                break
            assert table.selected_key == chosen
        assert table.keys != before, "the refreshes changed the table"


async def test_cursor_moves_to_a_neighbour_when_the_call_ends(sim: Simulator) -> None:
    async with on_talking_calls(sim) as (_app, pilot, board, table):
        table.move_cursor(row=1)
        chosen = table.selected_key
        for _ in range(120):
            sim.advance(15)
            board.poller.refresh_now()
            await wait_until(pilot, lambda: not board.poller._tasks)
            await pilot.pause()
            if chosen not in table.keys:
                break
        assert chosen not in table.keys, "the chosen call ended"
        assert table.selected_key is not None and table.selected_key in table.keys


async def test_pause_stops_polling_and_refresh_polls_now(sim: Simulator) -> None:
    app = make_app(sim)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        board = dashboard_of(app)
        await pilot.press("p")
        assert board.poller.paused
        await wait_until(pilot, lambda: not board.poller._tasks)
        polls = board.poller.polls
        await pilot.pause(2.5)
        assert board.poller.polls == polls, "no polls while paused"
        assert board.status_bar.text is not None
        assert board.status_bar.text.connection == "paused"
        await pilot.press("p")
        await wait_until(pilot, lambda: board.poller.polls >= polls + 2)
        assert not board.poller.paused
        polls = board.poller.polls
        sim.advance(30)
        await pilot.press("r")
        await wait_until(pilot, lambda: board.poller.polls >= polls + 2)


async def test_refresh_while_paused_takes_one_fresh_picture(sim: Simulator) -> None:
    """Paused, ``r`` polls once and stays paused; "refreshing…" goes once that poll
    is in (it used to stay until another note replaced it)."""
    app = make_app(sim)
    clock = app.clock
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        board = dashboard_of(app)
        await pilot.press("p")
        await wait_until(pilot, lambda: not board.poller._tasks)
        before = board.poller.status().last_success
        clock.advance(5)  # type: ignore[attr-defined]
        sim.advance(30)
        polls = board.poller.polls
        sim.faults.add(Fault("latency", seconds=0.5, times=2))  # the note stays meanwhile
        await pilot.press("r")
        await pilot.pause(0.2)
        assert board.poller._tasks and board.status_bar.note == "refreshing…"
        await wait_until(pilot, lambda: board.poller.polls == polls + 2 and not board.poller._tasks)
        await pilot.pause()
        assert board.poller.paused
        assert board.poller.status().last_success != before
        assert board.status_bar.note is None
        assert board.status_bar.text is not None and board.status_bar.text.connection == "paused"
        await pilot.pause(1.5)
        assert board.poller.polls == polls + 2, "one poll a route, then paused again"


async def test_a_paused_picture_is_held_not_called_stale(sim: Simulator) -> None:
    """Paused for longer than three intervals: the picture the user asked to hold says
    its time and that it is not updating, with no STALE (which says the link failed),
    as the feed raises no banner for it."""
    app = make_app(sim)
    clock = app.clock
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        board = dashboard_of(app)
        await pilot.press("p")
        board.tick()
        assert board.status_bar.text is not None and not board.status_bar.text.stale
        clock.advance(3 * board.poller.interval + 1)  # type: ignore[attr-defined]
        board.tick()
        text = board.status_bar.text
        assert text.connection == "paused" and not text.stale
        assert text.age.startswith("data as of") and text.age.endswith(" (not updating)")
        assert not board.feed.stale and not board.banner.display
        # the wallboard's PAUSED band is for a room: here the Footer says Resume
        assert "PAUSED" not in screen_text(app)


async def test_times_in_state_tick_between_polls(sim: Simulator) -> None:
    app = make_app(sim)
    clock = app.clock
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        board = dashboard_of(app)
        table = board.grid.table(CallState.BRIDGED)
        key = table.keys[0]
        before = str(table.get_cell(key, "in_state"))
        clock.advance(5)  # type: ignore[attr-defined]  # under 3 intervals: still fresh
        board.tick()
        assert not board.feed.stale
        after = str(table.get_cell(key, "in_state"))
        call = next(c for c in board.calls.calls if c.call_ref == key)
        expected = (clock.now() - call.state_start) // timedelta(seconds=1)
        minutes, seconds = divmod(expected, 60)
        assert after == f"{minutes}:{seconds:02d}" and after != before


async def test_stale_data_stops_the_clocks_and_says_disconnected(sim: Simulator) -> None:
    """Two minutes without a poll: the times stay where the data left them, a banner in
    the main area says so, no breach begins, and the next poll clears it all."""
    app = make_app(sim)
    clock = app.clock
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        board = dashboard_of(app)
        await wait_until(pilot, lambda: board.feed.status is not None)
        assert not board.banner.display
        table = board.grid.table(CallState.BRIDGED)
        key = table.keys[0]
        data_time = board.feed.data_time
        assert data_time is not None
        bells, alerts = board.bells, set(board.alerts.active)
        clock.advance(125)  # type: ignore[attr-defined]  # no await: no poll can land
        board.tick()
        assert board.feed.stale and board.has_class("-stale")
        call = next(c for c in board.calls.calls if c.call_ref == key)
        # stopped where they were when the data became stale: three intervals on
        stale_at = data_time + timedelta(seconds=board.feed.status.stale_after)
        assert board.feed.frozen_at == stale_at
        frozen = (stale_at - call.state_start) // timedelta(seconds=1)
        minutes, seconds = divmod(frozen, 60)
        assert str(table.get_cell(key, "in_state")) == f"{minutes}:{seconds:02d}"
        assert board.banner.display
        assert board.banner.text == (
            f"DISCONNECTED — data from {data_time.astimezone(board.zone):%H:%M:%S} (2 min ago)"
        )
        assert board.metrics_bar.clock.now() == stale_at  # the longest wait is frozen too
        assert board.bells == bells and board.alerts.active == alerts
        # the service answers again: fresh data clears the banner
        await wait_until(pilot, lambda: not board.feed.stale)
        await wait_until(pilot, lambda: not board.banner.display)
        assert not board.has_class("-stale")


async def test_paused_the_view_and_its_words_hold_still(sim: Simulator) -> None:
    app = make_app(sim)
    clock = app.clock
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        board = dashboard_of(app)
        table = board.grid.table(CallState.BRIDGED)
        key = table.keys[0]
        await pilot.press("p")
        before = str(table.get_cell(key, "in_state"))
        clock.advance(30)  # type: ignore[attr-defined]
        board.tick()
        assert str(table.get_cell(key, "in_state")) == before
        held = board.status_bar.text.age
        assert held.endswith("(not updating)")
        clock.advance(100)  # type: ignore[attr-defined]
        board.tick()
        assert board.status_bar.text.age == held, "a still picture: its words hold still"


async def test_a_quiet_poll_leaves_its_time_to_the_tick_and_new_data_shows_at_once(
    sim: Simulator,
) -> None:
    """One frame a second on a quiet centre: a status whose only news is a newer
    "data as of" is not drawn by itself; the tick (within the second) draws it. New
    rows, and any other news, are drawn with their status at once. (The handlers are
    called directly, between two awaits, so the app's own timers cannot interleave.)"""
    app = make_app(sim)
    clock = app.clock
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        board = dashboard_of(app)
        bar = board.status_bar
        board.poller.pause()  # the statuses below are made by hand
        await wait_until(pilot, lambda: not board.poller._tasks)
        sim.advance(5)
        changed, _ = await fetch_truth(sim)  # the centre five seconds on: new rows
        clock.advance(5)  # type: ignore[attr-defined]
        board._status_updated(StatusUpdated(replace(bar.status, phase=Phase.LIVE)))
        board.tick()
        shown = bar.text.age
        assert bar.text.connection == "live"

        quiet = _polled_at(bar.status, clock.now())
        board._status_updated(StatusUpdated(quiet))
        assert bar.status is quiet
        assert bar.text.age == shown, "not drawn by the quiet poll"
        board.tick()
        assert bar.text.age != shown and "(0 s ago)" in bar.text.age

        clock.advance(5)  # type: ignore[attr-defined]
        drawn = bar.text.age
        board._calls_updated(CallsUpdated(changed))
        board._status_updated(StatusUpdated(_polled_at(bar.status, clock.now())))
        assert bar.text.age != drawn and "(0 s ago)" in bar.text.age, "drawn with the rows"

        clock.advance(5)  # type: ignore[attr-defined]
        paused = replace(_polled_at(bar.status, clock.now()), phase=Phase.PAUSED)
        board._status_updated(StatusUpdated(paused))
        assert bar.text.connection == "paused", "a change of phase is drawn at once"


def _polled_at(status: PollerStatus, when: datetime) -> PollerStatus:
    """``status`` after both routes succeeded again at ``when``."""
    routes = {route: replace(health, last_success=when) for route, health in status.routes.items()}
    return replace(status, routes=routes)


def _auth_failed(app) -> bool:
    status = dashboard_of(app).status_bar.status
    return status is not None and status.phase is Phase.AUTH_FAILED


async def test_before_any_data_the_headline_shows_placeholders_and_no_alert(
    sim: Simulator,
) -> None:
    """Rejected credentials: nothing is known, so no zeros and no "no agents free" ‼."""
    app = make_app(sim, password=a_password())
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: _auth_failed(app), timeout=10)
        board = dashboard_of(app)
        board.tick()
        await pilot.pause()
        line = rendered_text(board.query_one("#metrics-line"), width=80).strip()
        assert line == "Waiting –  Talking –  Longest –  Available –  SL –  Abandoned –"
        assert board.alerts.active == set()
        assert not board.query(".level-alert, .level-warn, .breached")


async def test_an_outage_after_data_keeps_the_last_numbers(sim: Simulator) -> None:
    app = make_app(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_data(pilot)
        board = dashboard_of(app)
        before = rendered_text(board.query_one("#metrics-line"), width=80)
        assert "–" not in before.split("Longest")[0], "counts are known once data is in"
        sim.faults.add(Fault("status", status=401, times=None))
        await pilot.press("r")
        await wait_until(pilot, lambda: _auth_failed(app), timeout=10)
        board.tick()
        await pilot.pause()
        assert rendered_text(board.query_one("#metrics-line"), width=80) == before


def test_longest_shows_a_placeholder_while_nobody_waits() -> None:
    from rtdash.core.clock import FrozenClock
    from rtdash.core.metrics import Metrics
    from rtdash.core.thresholds import Level, Thresholds
    from rtdash.ui.widgets.metrics_bar import MetricsBar

    now = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
    bar = MetricsBar(clock=FrozenClock(now), thresholds=Thresholds())
    bar.metrics = Metrics(waiting=0, ringing=0, talking=3, agents_available=2)
    values = bar.values()
    assert values["longest_wait"] == ("–", Level.OK), "nobody waits: not a 0:00 wait"
    assert values["waiting"] == ("0", Level.OK), "a known empty queue is a real zero"
    bar.metrics = Metrics(waiting=1, longest_wait_since=now - timedelta(seconds=75))
    assert bar.values()["longest_wait"] == ("1:15", Level.WARN)


async def test_the_users_title_beside_the_calls_keeps_every_count(sim: Simulator) -> None:
    """At 120 columns the users panel is a third of the screen: its title gives the
    counts by their symbols, all of them, and the rows' states are their symbols too
    (the words would cut the names), named in a legend under them; at 160 the words
    come back in both."""
    from rtdash.core.agent_counts import agent_counts
    from rtdash.core.agents import ORDER

    app = make_app(sim)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_data(pilot)
        panel = dashboard_of(app).user_panel
        counts = agent_counts(panel.snapshot, panel.on_call)
        title = rendered_text(panel.query_one("#users-title"), width=200).strip()
        compact = "  ".join(f"{state.symbol} {counts[state]}" for state in ORDER)
        assert title == f"☺ Users {compact}"
        assert len(title) < panel.size.width
        header, first = (panel.table.render_line(y).text for y in (0, 1))
        assert header.split()[:3] == ["In", "state", "Name"]  # the PBX's order: no arrow
        assert first.split()[1] in {state.symbol for state in ORDER}, first
        legend = rendered_text(panel.query_one("#users-legend"), width=200).strip()
        assert legend == "  ".join(f"{state.symbol} {state.word}" for state in ORDER)
        await pilot.resize_terminal(160, 48)
        await pilot.pause()
        title = rendered_text(panel.query_one("#users-title"), width=200).strip()
        assert title.endswith(f"{ORDER[-1].symbol} {counts[ORDER[-1]]} away")
        header, first = (panel.table.render_line(y).text for y in (0, 1))
        assert header.split()[:3] == ["In", "state", "State"]
        assert any(f"{state.symbol} {state.word}" in first for state in ORDER), first
        assert not panel.query_one("#users-legend").display
