"""When an agent's shown state began: the PBX's state start, unless they went on or off
a bridged call after it (the PBX keeps an agent unavailable through the wrap-up)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from rtdash.api.models import ActiveCall, CallState, PbxUser, UserState
from rtdash.core.agent_time import AgentTime
from rtdash.core.agents import OnCall
from rtdash.core.shown_starts import MOST_KEPT, ShownStarts

T0 = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)


def _at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def _agent(ref: str | None, name: str, state: UserState, since: float) -> PbxUser:
    return PbxUser(
        user_id=name,
        state=state,
        operator_ref=ref,
        display_name=name,
        state_start=_at(since),
        dashboard=True,
    )


def _talking(call: str, ref: str | None, name: str) -> ActiveCall:
    return ActiveCall(
        call_ref=call, state=CallState.BRIDGED, agent_ref=ref, agent_name=name, queue="sales"
    )


def test_an_agent_off_a_call_is_timed_from_the_poll_before_the_hang_up_was_seen() -> None:
    ffion = _agent("ffion", "Ffion Jones", UserState.UNAVAILABLE, since=100)  # answered at 100
    call = _talking("c1", "ffion", "Ffion Jones")
    talking = OnCall.from_calls([call])
    starts = ShownStarts()
    starts.follow(talking, _at(399))
    assert starts.start(ffion) == _at(100), "on the call: the PBX's start (the answer)"
    starts.follow(talking.moved([], [call], ()), _at(400))
    # the call ended between the polls at 399 and 400; the PBX still says 100
    assert starts.start(ffion) == _at(399)
    # ready again: the PBX's new start is the truer time
    assert starts.start(ffion.model_copy(update={"state_start": _at(420)})) == _at(420)


def test_a_pbx_start_after_the_poll_before_wins_and_quiet_polls_change_nothing() -> None:
    leo = _agent("leo", "Leo Knight", UserState.UNAVAILABLE, since=399.5)
    starts = ShownStarts()
    nobody = OnCall.from_calls([])
    starts.follow(nobody, _at(399))
    call = _talking("c2", "leo", "Leo Knight")
    starts.follow(nobody.moved([call], [], (call,)), _at(400))
    assert starts.start(leo) == _at(399.5), "answered after the poll at 399: the PBX knows"
    starts.follow(starts._on_call, _at(401))  # type: ignore[arg-type]  # the same again
    assert starts.start(leo) == _at(399.5)


def test_calls_that_name_their_agent_only_by_display_name() -> None:
    isla = _agent(None, "Isla Mills", UserState.UNAVAILABLE, since=10)
    call = _talking("c3", None, "ISLA MILLS")
    talking = OnCall.from_calls([call])
    starts = ShownStarts()
    starts.follow(talking, _at(59))
    starts.follow(talking.moved([], [call], ()), _at(60))
    assert starts.start(isla) == _at(59)
    someone = _agent("zoe", "Zoe Park", UserState.UNAVAILABLE, since=10)
    assert starts.start(someone) == _at(10), "no change of theirs seen: the PBX's start"


def test_the_first_poll_knows_no_changes_and_a_start_of_none_stays_unknown_until_one() -> None:
    call = _talking("c4", "amy", "Amy Li")
    starts = ShownStarts()
    starts.follow(OnCall.from_calls([call]), _at(5))
    amy = _agent("amy", "Amy Li", UserState.UNAVAILABLE, since=0).model_copy(
        update={"state_start": None}
    )
    assert starts.start(amy) is None
    starts.follow(starts._on_call.moved([], [call], ()), _at(6))  # type: ignore[union-attr]
    assert starts.start(amy) == _at(5)


def test_keys_from_the_upstream_are_kept_to_a_bound() -> None:
    starts = ShownStarts()
    before = OnCall.from_calls([])
    starts.follow(before, _at(0))
    for poll in range(1, 4):
        calls = [_talking(f"c{poll}-{n}", f"ref{poll}-{n}", "x") for n in range(MOST_KEPT // 2)]
        after = OnCall.from_calls(calls)
        starts.follow(after, _at(poll))
        assert len(starts._refs) <= MOST_KEPT
        before = after


def test_the_feed_follows_every_calls_poll_and_a_rewind_forgets() -> None:
    """The feed times a hang-up from its poll before, unchanged polls included (a view
    may draw only some of them), and a replay's seek back forgets what it saw."""
    from tests.core.feed_rig import BRIDGED, rig
    from tests.core.rows import at, call, user

    feed, source, clock, _log = rig()
    ffion = user("f", UserState.UNAVAILABLE, state_start=0, operator_ref="ffion")
    talking = call("c1", BRIDGED, state_start=0, agent_ref="ffion")
    source.poll([talking], [ffion])
    clock.advance(60)
    source.poll([talking], [ffion])  # nothing changed: still followed
    clock.advance(1)
    source.poll([], [ffion])  # hung up between 60 and 61 s; the PBX still says 0
    assert feed.starts.start(ffion) == at(60)
    feed.rewind()
    assert feed.starts.start(ffion) == at(0)


# --- a screen that starts after the change --------------------------------------------


def _clocks_of_a_call_that_ended() -> AgentTime:
    """Ffion's clock: available, on a call seen at 200, off it seen at 400 (the looks
    before them at 190 and 390)."""
    ffion = _agent("ffion", "Ffion Jones", UserState.AVAILABLE, since=0)
    call = _talking("c1", "ffion", "Ffion Jones")
    clocks = AgentTime()
    clocks.observe((ffion,), OnCall(), T0.timestamp() + 190, T0.timestamp() + 180)
    clocks.observe((ffion,), OnCall.from_calls([call]), T0.timestamp() + 200, T0.timestamp() + 190)
    busy = ffion.model_copy(update={"state": UserState.UNAVAILABLE, "state_start": _at(195)})
    clocks.observe((busy,), OnCall(), T0.timestamp() + 400, T0.timestamp() + 390)
    return clocks


def test_the_agents_clock_keeps_when_they_went_on_or_off_a_call_at_the_earliest() -> None:
    clocks = _clocks_of_a_call_that_ended()
    assert clocks.left_call("ffion") == T0.timestamp() + 390
    # a change of the PBX's state alone (away, then available) is not a call's
    ready = _agent("ffion", "Ffion Jones", UserState.AVAILABLE, since=420)
    clocks.observe((ready,), OnCall(), T0.timestamp() + 430, T0.timestamp() + 400)
    assert clocks.clocks["ffion"].activity == "available"
    assert clocks.left_call("ffion") == T0.timestamp() + 390
    assert clocks.left_call("nobody") is None


def test_a_restart_keeps_the_time_and_a_change_seen_across_the_gap_sets_none() -> None:
    clocks = _clocks_of_a_call_that_ended()
    saved = json.loads(json.dumps({key: clocks.kept(key) for key in clocks.clocks}))
    again = AgentTime()
    again.restore(saved, resume_at=T0.timestamp() + 900)
    assert again.left_call("ffion") == T0.timestamp() + 390
    # restored on a call: the first look after the restart finds Ffion off it, at some
    # moment of the gap: it does not claim one
    on_call = json.loads(json.dumps(saved))
    on_call["ffion"][1] = "call"
    gap = AgentTime()
    gap.restore(on_call, resume_at=T0.timestamp() + 900)
    away = _agent("ffion", "Ffion Jones", UserState.UNAVAILABLE, since=195)
    gap.observe((away,), OnCall(), T0.timestamp() + 905, T0.timestamp() + 900)
    assert gap.clocks["ffion"].activity == "away"
    assert gap.left_call("ffion") == T0.timestamp() + 390
    # a day file written before the time was kept: four fields, nothing known
    old = {"ffion": saved["ffion"][:4]}
    older = AgentTime()
    older.restore(old)
    assert older.left_call("ffion") is None and older.clocks["ffion"].call == 200.0


def test_a_screen_that_did_not_see_the_change_asks_the_days_record() -> None:
    clocks = _clocks_of_a_call_that_ended()
    away = _agent("ffion", "Ffion Jones", UserState.UNAVAILABLE, since=195)  # the call's
    starts = ShownStarts()
    starts.follow(OnCall(), _at(600))
    assert starts.start(away) == _at(195), "nothing known: the PBX's start"
    starts.earlier = clocks.left_call
    assert starts.start(away) == _at(390), "the day's record: off the call at 390"
    # a change this screen saw itself is the one it shows
    call = _talking("c9", "ffion", "Ffion Jones")
    starts.follow(OnCall.from_calls([call]), _at(601))
    starts.follow(OnCall(), _at(700))
    assert starts.start(away) == _at(601)
    # a PBX start after the record wins, as it does over a change seen here
    fresh = ShownStarts()
    fresh.earlier = clocks.left_call
    assert fresh.start(away.model_copy(update={"state_start": _at(450)})) == _at(450)
