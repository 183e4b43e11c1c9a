"""Typed rows for core tests, built directly (no wire parsing involved)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from rtdash.api.models import ActiveCall, CallState, PbxUser, UserState

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
