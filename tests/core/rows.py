"""Typed rows for core tests, built directly (no wire parsing involved)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from rtdash.api.models import ActiveCall, CallState, PbxUser, UserState
from rtdash.core.service_report import ServiceStats

#: a fixed instant all test times are measured from
T0 = datetime(2026, 5, 1, 9, 0, 0, tzinfo=UTC)


def at(seconds: float | None) -> datetime | None:
    """``T0`` plus ``seconds``; None stays None (an unknown start time)."""
    return None if seconds is None else T0 + timedelta(seconds=seconds)


def call(
    ref: str,
    state: CallState | str,
    state_start: float | None = None,
    call_start: float | None = None,
    **fields: object,
) -> ActiveCall:
    return ActiveCall(
        call_ref=ref,
        state=CallState(state),
        state_start=at(state_start),
        call_start=at(call_start),
        **fields,
    )


def sales_calls(
    count: int, *, waiting_every: int, agents: int | None = None, named: bool = False
) -> list[ActiveCall]:
    """``count`` calls to the sales queue, one in ``waiting_every`` queueing and the rest
    bridged, each to agent ``a{i}`` (or ``a{i % agents}``: a few agents take them all),
    with the agent's name too when ``named``."""
    rows = []
    for i in range(count):
        bridged = bool(i % waiting_every)
        rows.append(
            call(
                f"c{i}",
                CallState.BRIDGED if bridged else CallState.QUEUEING,
                5,
                0,
                queue="sales",
                agent_ref=f"a{i % agents if agents else i}" if bridged else None,
                agent_name=f"Agent {i}" if bridged and named else None,
            )
        )
    return rows


def user(
    user_id: str,
    state: UserState | str = UserState.AVAILABLE,
    state_start: float | None = 0,
    *,
    name: str | None = None,
    dashboard: bool = True,
    **fields: object,
) -> PbxUser:
    return PbxUser(
        user_id=user_id,
        state=UserState(state),
        state_start=at(state_start),
        display_name=name,
        dashboard=dashboard,
        **fields,
    )


def outcomes(answered: int, within: int, abandoned: int, name: str = "") -> ServiceStats:
    """A day's (or a queue's, by ``name``) totals of ``answered`` calls, ``within`` of
    them in the SL time, and ``abandoned``, none short."""
    offered = answered + abandoned
    return ServiceStats(
        name=name,
        offered=offered,
        answered=answered,
        abandoned=abandoned,
        short_abandoned=0,
        unknown=0,
        answered_unknown_wait=0,
        answered_within_sl=within,
        sl_percent=100 * within / offered,
        abandon_percent=100 * abandoned / offered,
        asa=12.5,
        longest_answer=40.0,
        longest_wait=61.0,
    )
