"""Who answered a looked-up call, named from the dashboard's own data: the users' names
by extension, else the agent of the live call asked about; never a name it is not sure
of."""

from __future__ import annotations

from rtdash.api.models import CallerDetails, CallState
from rtdash.core.answered_by import answered_by, answered_on
from rtdash.core.snapshot import CallsSnapshot
from rtdash.core.users_snapshot import UsersSnapshot
from tests.core.rows import T0, call, user


def _details(**fields: object) -> CallerDetails:
    return CallerDetails.model_validate({"mode": "advanced", "igrp": 1, **fields})


def _users(*rows: object) -> UsersSnapshot:
    return UsersSnapshot.build(list(rows), T0)  # type: ignore[arg-type]


def _calls(*rows: object) -> CallsSnapshot:
    return CallsSnapshot.build(list(rows), T0)  # type: ignore[arg-type]


ANSWERED = _details(srcPhoneNumber="+447700900972", destPhoneNumber="213", bridgeDuration="30")


def test_the_user_with_the_extension_answered_on_is_named() -> None:
    users = _users(
        user("u1", name="Leo Knight", extension="213"), user("u2", name="Ava", extension="214")
    )
    name = answered_by(ANSWERED, "c-1", None, users)
    assert name == "Leo Knight"
    assert answered_on(ANSWERED, name) == "Leo Knight (213)"


def test_with_no_users_polled_the_live_calls_agent_is_named_by_its_reference() -> None:
    calls = _calls(
        call("c-1", CallState.BRIDGED, 0, 0, src_number="+447700900972", agent_name="Leo Knight"),
        call("c-2", CallState.BRIDGED, 0, 0, src_number="+447700900325", agent_name="Ava Grey"),
    )
    assert answered_by(ANSWERED, "c-1", calls, None) == "Leo Knight"
    # by the caller's number alone, never: a lookup by number may be of an ended call
    assert answered_by(ANSWERED, None, calls, None) is None


def test_a_live_agent_the_users_put_on_another_extension_is_not_named() -> None:
    """Transferred: the call's agent now is not who answered on 213."""
    calls = _calls(call("c-1", CallState.BRIDGED, 0, 0, agent_name="Ava Grey"))
    users = _users(user("u2", name="Ava Grey", extension="214"))
    assert answered_by(ANSWERED, "c-1", calls, users) is None
    assert answered_on(ANSWERED, None) == "213"


def test_two_names_for_one_extension_are_told_apart_by_the_live_call_only() -> None:
    users = _users(
        user("u1", name="Leo Knight", extension="213"), user("u2", name="Ava", extension="213")
    )
    assert answered_by(ANSWERED, "c-1", None, users) is None
    calls = _calls(call("c-1", CallState.BRIDGED, 0, 0, agent_name="Leo Knight"))
    assert answered_by(ANSWERED, "c-1", calls, users) == "Leo Knight"
    elsewhere = _calls(call("c-1", CallState.BRIDGED, 0, 0, agent_name="Mia Page"))
    assert answered_by(ANSWERED, "c-1", elsewhere, users) is None


def test_a_call_not_answered_names_nobody() -> None:
    waiting = _details(srcPhoneNumber="+447700900972", callState="in progress")
    users = _users(user("u1", name="Leo Knight", extension="213"))
    assert answered_by(waiting, None, None, users) is None
    assert answered_on(waiting, None) == "–"
