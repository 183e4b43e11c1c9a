"""The head start (``rtdash.head_start``): the first requests leave before the app is
built, and the app's first polls take their answers instead of asking again, counted
by the simulator itself (``GET /_sim/stats``)."""

from __future__ import annotations

from typing import Any

from rtdash import head_start
from rtdash.core.clock import FrozenClock
from rtdash.core.poller_status import Phase
from rtdash.sim import Simulator
from rtdash.ui.app import RtdashApp
from tests.support import a_password
from tests.ui.helpers import dashboard_of, settings_for, wait_for_data, wait_until

CALLS, USERS = "pbxActiveCalls", "pbxUserStatus"


def requests(sim: Simulator) -> dict[str, int]:
    counted: Any = sim.stats()["requests"]
    return {route: counted.get(route, 0) for route in (CALLS, USERS)}


def settings_polling_once(sim: Simulator, **connection: Any) -> Any:
    """Settings for ``sim`` that poll only once in a test's time (the longest interval)."""
    settings = settings_for(sim, **connection)
    settings.polling.interval = 3600
    return settings


def begun(settings: Any) -> head_start.HeadStart:
    started = head_start.begin(settings)
    assert started is not None and started.thread is not None
    started.join(timeout=10)
    assert head_start.claim(settings) is started
    return started


async def test_the_app_shows_the_early_answers_and_asks_nothing_twice(sim: Simulator) -> None:
    settings = settings_polling_once(sim)
    early = begun(settings)
    assert requests(sim) == {CALLS: 1, USERS: 1}, "sent before the app exists"
    app = RtdashApp(settings, clock=FrozenClock(sim.now), head_start=early)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        board = dashboard_of(app)
        assert board.calls is not None and sum(map(len, board.calls.groups.values())) > 0
        assert board.status_bar.status is not None
        assert board.status_bar.status.phase is Phase.LIVE
        assert early.pending == 0, "both answers taken"
        assert requests(sim) == {CALLS: 1, USERS: 1}, "the early answers, not new requests"


async def test_an_answer_to_another_query_is_not_taken(sim: Simulator) -> None:
    """Asked with personal data, shown without (the setting changed in between): the
    calls are asked for again as the view wants them; the users' answer still fits."""
    settings = settings_polling_once(sim)
    early = begun(settings)
    settings.connection.exclude_pii = True
    app = RtdashApp(settings, clock=FrozenClock(sim.now), head_start=early)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        assert requests(sim) == {CALLS: 2, USERS: 1}
        await wait_until(pilot, lambda: not app.holding_first_frame)
        assert early.pending == 0, "the answer nobody took is not kept for the run"


async def test_an_early_refusal_is_the_first_polls_refusal(sim: Simulator) -> None:
    settings = settings_polling_once(sim, password=a_password())
    early = begun(settings)
    app = RtdashApp(settings, clock=FrozenClock(sim.now), head_start=early)
    async with app.run_test(size=(160, 48)) as pilot:
        board = dashboard_of(app)
        await wait_until(
            pilot,
            lambda: (
                board.status_bar.status is not None
                and board.status_bar.status.phase is Phase.AUTH_FAILED
            ),
        )
        assert requests(sim) == {CALLS: 1, USERS: 1}, "the refusal was not asked for again"


def test_no_head_start_without_an_installation_to_poll(sim: Simulator) -> None:
    """The welcome screen asks nothing: no installation id, or no credentials."""
    no_installation = settings_for(sim)
    no_installation.connection.igrp = None
    assert head_start.begin(no_installation) is None
    no_login = settings_for(sim, username=None, password=None)
    assert head_start.begin(no_login) is None
    assert requests(sim) == {CALLS: 0, USERS: 0}


def test_a_head_start_is_claimed_only_by_its_own_settings(sim: Simulator) -> None:
    settings = settings_polling_once(sim)
    started = head_start.begin(settings)
    assert started is not None
    assert head_start.claim(settings_polling_once(sim)) is None, "other settings"
    assert head_start.claim(settings) is None, "the other claim dropped it"


async def test_the_poll_after_an_early_answer_reads_on_from_it(sim: Simulator) -> None:
    """The early answer's rows are those the screen shows: the next body is read
    against them (rows that did not change are those very objects, what changed is
    known), not read anew beside them, a second copy of every row of a big centre."""
    from rtdash.connect import client_for

    settings = settings_polling_once(sim)
    early = begun(settings)
    installation = settings.installations()[0]
    client = client_for(installation.connection, installation.mapping, head_start=early)
    plain = client_for(installation.connection, installation.mapping)
    try:
        first = await client.active_calls()
        users = await client.user_status()
        alone = await plain.active_calls()
        sim.advance(2.0)
        second = await client.active_calls()
        again = await plain.active_calls()
        more_users = await client.user_status()
    finally:
        await client.aclose()
        await plain.aclose()
    assert requests(sim) == {CALLS: 4, USERS: 2}
    assert first.rows and second.changes is not None and second.changes[0] is first.rows
    _, new, gone = second.changes
    held = set(map(id, first.rows)) & set(map(id, second.rows))
    assert len(held) == len(second.rows) - len(new) > len(second.rows) // 2
    assert {row.call_ref for row in second.rows} == {row.call_ref for row in again.rows}
    seen = [(row.call_ref, row.state, row.agent_ref, row.state_start) for row in second.rows]
    assert seen == [(row.call_ref, row.state, row.agent_ref, row.state_start) for row in again.rows]
    assert not set(map(id, alone.rows)) & set(map(id, first.rows))  # another client's
    assert set(map(id, more_users.rows)) & set(map(id, users.rows))
    assert len(gone) == len(first.rows) - len(held)
