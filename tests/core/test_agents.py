"""Agent states (on a call / available / away), the trend window and the per-queue
agents on a call: derived from the snapshots already polled, without Textual."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from rtdash.api.models import ActiveCall, CallState, PbxUser, UserState
from rtdash.core.agents import (
    AgentState,
    OnCall,
    agent_legend,
    agent_state,
    count_agents,
    group_agents,
)
from rtdash.core.history import History
from rtdash.core.metrics import Metrics
from rtdash.core.queues import summarize_queues
from rtdash.core.snapshot import CallsSnapshot, UsersSnapshot

T0 = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)


def _user(uid: str, state: UserState, ref: str | None, name: str, since: int) -> PbxUser:
    return PbxUser(
        user_id=uid,
        state=state,
        operator_ref=ref,
        display_name=name,
        state_start=T0 - timedelta(seconds=since),
        dashboard=True,
    )


def _bridged(ref: str, agent_ref: str | None, agent_name: str | None, queue: str) -> ActiveCall:
    return ActiveCall(
        call_ref=ref,
        state=CallState.BRIDGED,
        queue=queue,
        agent_ref=agent_ref,
        agent_name=agent_name,
        call_start=T0 - timedelta(seconds=200),
        state_start=T0 - timedelta(seconds=100),
    )


USERS = [
    _user("1", UserState.UNAVAILABLE, "ffion", "Ffion Jones", 60),
    _user("2", UserState.UNAVAILABLE, "leo", "Leo Knight", 300),
    _user("3", UserState.UNAVAILABLE, None, "Isla Mills", 30),
    _user("4", UserState.AVAILABLE, "sam", "Sam Ode", 10),
    _user("5", UserState.AVAILABLE, "amy", "Amy Li", 90),
    _user("6", UserState.UNAVAILABLE, "zoe", "Zoe Park", 900),
]
CALLS = [
    _bridged("c1", "ffion", "Ffion Jones", "sales"),
    _bridged("c2", "leo", "someone else's name", "support"),
    # no operator reference on the call: matched by display name, case-folded
    _bridged("c3", None, "ISLA MILLS", "sales"),
]


def test_an_unavailable_agent_on_a_bridged_call_is_on_a_call_and_the_rest_away() -> None:
    on_call = OnCall.from_calls(CALLS)
    states = {user.user_id: agent_state(user, on_call) for user in USERS}
    assert states == {
        "1": AgentState.ON_CALL,
        "2": AgentState.ON_CALL,  # by reference, whatever the call's name says
        "3": AgentState.ON_CALL,  # by name when the call has no reference
        "4": AgentState.AVAILABLE,
        "5": AgentState.AVAILABLE,
        "6": AgentState.AWAY,
    }
    # no calls data: on a call or away, no one can tell
    assert agent_state(USERS[0], None) is AgentState.UNAVAILABLE
    assert agent_state(USERS[4], None) is AgentState.AVAILABLE


def test_a_call_in_another_state_does_not_make_its_agent_on_a_call() -> None:
    ringing = _bridged("c9", "zoe", "Zoe Park", "sales").model_copy(
        update={"state": CallState.RINGING}
    )
    assert agent_state(USERS[5], OnCall.from_calls([ringing])) is AgentState.AWAY


def test_groups_come_available_first_each_longest_in_state_first() -> None:
    groups = group_agents(USERS, OnCall.from_calls(CALLS))
    assert list(groups) == [AgentState.AVAILABLE, AgentState.ON_CALL, AgentState.AWAY]
    assert [u.user_id for u in groups[AgentState.AVAILABLE]] == ["5", "4"]
    assert [u.user_id for u in groups[AgentState.ON_CALL]] == ["2", "1", "3"]
    assert [u.user_id for u in groups[AgentState.AWAY]] == ["6"]
    assert count_agents(USERS, OnCall.from_calls(CALLS)) == {
        AgentState.AVAILABLE: 2,
        AgentState.ON_CALL: 3,
        AgentState.AWAY: 1,
    }


def test_one_vocabulary() -> None:
    words = ["on a call", "available", "away", "unavailable"]
    assert [state.word for state in AgentState] == words
    assert len({state.symbol for state in AgentState}) == 4, "the shapes differ"
    assert agent_legend() == "Agents: ● available, ◆ on a call, ○ away"


def test_metrics_count_on_call_and_away_from_the_bridged_calls() -> None:
    calls = CallsSnapshot.build(CALLS, T0)
    users = UsersSnapshot.build(USERS, T0)
    metrics = Metrics.compute(calls, users)
    assert (metrics.agents_available, metrics.agents_on_call, metrics.agents_away) == (2, 3, 1)
    assert metrics.agents_unavailable == 4
    before_calls = Metrics.compute(None, users)
    assert before_calls.agents_on_call is None and before_calls.agents_away is None


def test_queues_count_the_dashboard_agents_on_their_calls() -> None:
    rows = {row.queue: row for row in summarize_queues(CallsSnapshot.build(CALLS, T0), USERS)}
    assert (rows["sales"].talking, rows["sales"].agents_on_call) == (2, 2)
    assert (rows["support"].talking, rows["support"].agents_on_call) == (1, 1)
    without = summarize_queues(CallsSnapshot.build(CALLS, T0))
    assert all(row.agents_on_call is None for row in without), "users unknown: no count"


def test_the_trend_window_is_fixed_and_unobserved_slots_are_empty() -> None:
    history = History(minutes=60, bucket_seconds=30)
    history.add(T0 - timedelta(seconds=60), waiting=1, available=3)
    history.add(T0, waiting=2, available=4)
    waiting, available = history.window(T0)
    assert len(waiting) == len(available) == 120, "an hour, however little was seen"
    assert waiting[-1] == 2 and waiting[-3] == 1
    assert waiting[-2] is None, "a bucket nobody observed stays empty"
    assert all(value is None for value in waiting[:-3])
    later, _ = history.window(T0 + timedelta(minutes=59, seconds=30))
    assert later[0] == 2 and later[1:] == [None] * 119, "the window moves with time"


def test_agent_time_uses_the_wallboards_one_derivation() -> None:
    """The day's time on a call is counted by the rule the wallboard draws with: a call
    naming its agent only by name (in any case) puts that user on a call."""
    from rtdash.api.models import ActiveCall, CallState, PbxUser, UserState
    from rtdash.core.agent_time import AgentTime
    from rtdash.core.agents import AgentState, OnCall, agent_state

    leo = PbxUser(
        user_id="u1", state=UserState.UNAVAILABLE, display_name="Leo Knight", dashboard=True
    )
    call = ActiveCall(call_ref="c1", state=CallState.BRIDGED, agent_name="leo knight")
    on_call = OnCall.from_calls([call])
    assert agent_state(leo, on_call) is AgentState.ON_CALL
    time = AgentTime()
    time.observe((leo,), on_call, 0.0, 0.0)
    time.observe((leo,), OnCall(), 60.0, 0.0)  # the call ended: away from here
    totals = time.totals(90.0)[AgentTime.key_of(leo)][1]
    assert (totals["call"], totals["away"]) == (60.0, 30.0)
