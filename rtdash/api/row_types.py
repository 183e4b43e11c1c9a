"""The typed rows (a call, a user, a caller's details) and the field rules shared by
the two ways of reading them: which fields are integers, times or shared text, and
what makes a row unreadable. :mod:`rtdash.api.models` is the public face of these.
"""

from __future__ import annotations

import math
from datetime import datetime
from enum import StrEnum
from typing import Any, Literal
from zoneinfo import ZoneInfo

from rtdash.api.row_base import NO_EXTRA as NO_EXTRA
from rtdash.api.row_base import REQUIRED, Row, RowField, field_names
from rtdash.api.row_base import RowFrozen as RowFrozen
from rtdash.api.row_base import RowUnreadable as RowUnreadable
from rtdash.api.sanitise import clean_value


class CallState(StrEnum):
    RINGING = "ringing"
    QUEUEING = "queueing"
    BRIDGED = "bridged"


class UserState(StrEnum):
    AVAILABLE = "available"
    UNAVAILABLE = "unavailable"


#: upstream keys that no mapped field read, kept so nothing the upstream says is lost
_EXTRA = RowField("extra", "extra", dict[str, Any], {})

#: a call's fields: the one definition of their names, upstream keys, types and defaults
CALL_TABLE: tuple[RowField, ...] = (
    _EXTRA,
    RowField("call_ref", "callRef", str, REQUIRED),
    RowField("state", "state", CallState, REQUIRED),
    RowField("igrp", "igrp", int | None),
    RowField("call_start", "callStartDatetime", datetime | None),
    RowField("state_start", "stateStartDatetime", datetime | None),
    RowField("src_number", "srcPhoneNumber", str | None),
    RowField("dialled_number", "dialledPhoneNumber", str | None),
    RowField("dgrp", "dgrp", str | None),
    RowField("dgrp_name", "dgrpName", str | None),
    RowField("queue", "queueRef", str | None),
    RowField("agent_ref", "operatorRef", str | None),
    RowField("agent_name", "displayName", str | None),
    RowField("ring_time", "ringTime", int | None),
    RowField("queue_duration", "queueDuration", int | None),
    RowField("bridge_duration", "bridgeDuration", int | None),
    RowField("call_duration", "callDuration", int | None),
)

#: a PBX user's fields
USER_TABLE: tuple[RowField, ...] = (
    _EXTRA,
    RowField("user_id", "sipUserId", str, REQUIRED),
    RowField("state", "state", UserState, REQUIRED),
    RowField("igrp", "igrp", int | None),
    RowField("operator_ref", "operatorRef", str | None),
    RowField("display_name", "displayName", str | None),
    RowField("extension", "extensionNumber", str | None),
    RowField("state_start", "stateStartDatetime", datetime | None),
    RowField("dashboard", "dashboard", bool, False),
)

#: a caller's details' fields (one ``activeCall`` row)
DETAILS_TABLE: tuple[RowField, ...] = (
    _EXTRA,
    RowField("mode", "mode", Literal["basic", "advanced"], REQUIRED),
    RowField("igrp", "igrp", int | None),
    RowField("igrp_name", "igrpName", str | None),
    RowField("dgrp", "dgrp", str | None),
    RowField("dgrp_name", "dgrpName", str | None),
    RowField("txr", "txr", str | None),
    RowField("vid", "vid", str | None),
    RowField("ch", "ch", str | None),
    RowField("ch_name", "chName", str | None),
    RowField("ch_type", "chType", str | None),
    RowField("pub", "pub", str | None),
    RowField("campaign", "campaign", str | None),
    RowField("ad_group", "adGroup", str | None),
    RowField("keyword", "matchRef", str | None),
    RowField("src_number", "srcPhoneNumber", str | None),
    RowField("dialled_number", "dialledPhoneNumber", str | None),
    RowField("dest_number", "destPhoneNumber", str | None),
    RowField("trigger_time", "triggerDatetime", datetime | None),
    RowField("landing_page_title", "landingPageTitle", str | None),
    RowField("page_title", "pageTitle", str | None),
    RowField("landing_url", "landingHref", str | None),
    RowField("conversion_url", "conversionHref", str | None),
    RowField("referrer", "vref", str | None),
    RowField("call_state", "callState", str | None),
    RowField("call_duration", "callDuration", int | None),
    RowField("bridge_duration", "bridgeDuration", int | None),
    #: every ``pt_*`` (pass-through tag) and ``c_*`` (custom variable) key, as sent
    RowField("custom", "custom", dict[str, str], {}),
)


class ActiveCall(Row):
    """A call on the PBX now."""

    table = CALL_TABLE
    __slots__ = field_names(CALL_TABLE)

    extra: dict[str, Any]
    call_ref: str
    state: CallState
    igrp: int | None
    call_start: datetime | None
    state_start: datetime | None
    src_number: str | None
    dialled_number: str | None
    dgrp: str | None
    dgrp_name: str | None
    queue: str | None
    agent_ref: str | None
    agent_name: str | None
    ring_time: int | None
    queue_duration: int | None
    bridge_duration: int | None
    call_duration: int | None


class PbxUser(Row):
    """A user of the PBX (an agent when on the dashboard) and their state now."""

    table = USER_TABLE
    __slots__ = field_names(USER_TABLE)

    extra: dict[str, Any]
    user_id: str
    state: UserState
    igrp: int | None
    operator_ref: str | None
    display_name: str | None
    extension: str | None
    state_start: datetime | None
    dashboard: bool

    @property
    def label(self) -> str:
        return self.display_name or self.operator_ref or self.extension or self.user_id


class CallerDetails(Row):
    """One ``activeCall`` row: visitor and marketing attribution of a caller."""

    table = DETAILS_TABLE
    __slots__ = field_names(DETAILS_TABLE)

    extra: dict[str, Any]
    mode: Literal["basic", "advanced"]
    igrp: int | None
    igrp_name: str | None
    dgrp: str | None
    dgrp_name: str | None
    txr: str | None
    vid: str | None
    ch: str | None
    ch_name: str | None
    ch_type: str | None
    pub: str | None
    campaign: str | None
    ad_group: str | None
    keyword: str | None
    src_number: str | None
    dialled_number: str | None
    dest_number: str | None
    trigger_time: datetime | None
    landing_page_title: str | None
    page_title: str | None
    landing_url: str | None
    conversion_url: str | None
    referrer: str | None
    call_state: str | None
    call_duration: int | None
    bridge_duration: int | None
    #: every ``pt_*`` (pass-through tag) and ``c_*`` (custom variable) key, as sent
    custom: dict[str, str]


_INT_FIELDS = {"igrp", "ring_time", "queue_duration", "bridge_duration", "call_duration"}
_TIME_FIELDS = {"call_start", "state_start", "trigger_time"}
#: text fields whose values repeat across rows and polls (lines, queues, agents, a
#: caller who calls again or many calls from a withheld number): one shared string each
#: instead of a copy per row
_SHARED_TEXT = {
    "src_number",
    "dgrp",
    "dgrp_name",
    "queue",
    "agent_ref",
    "agent_name",
    "dialled_number",
    "operator_ref",
    "display_name",
    "extension",
}
#: integer fields that count up on every poll while nothing else about the row changes
_TICKING = {"ring_time", "queue_duration", "bridge_duration", "call_duration"}
_UTC = ZoneInfo("UTC")


def _scalar(raw: Any) -> Any:
    """``raw`` when it can be a field's value; an object or list cannot."""
    if isinstance(raw, dict | list):
        raise RowUnreadable("an object or list where a value was expected")
    return raw


def _clean_extra(extra: dict[str, Any]) -> dict[str, Any]:
    """Unmapped keys and values, safe to show and bounded in depth (RowUnreadable if
    not: a value nested a thousand deep would break ``--json``, the log and recording)."""
    try:
        cleaned: dict[str, Any] = clean_value(extra)  # a dict in, a dict out
        return cleaned
    except ValueError as exc:
        raise RowUnreadable(str(exc)) from None


#: the duration that counts up while a call is in each state
_STATE_DURATION = {
    CallState.RINGING: "ring_time",
    CallState.QUEUEING: "queue_duration",
    CallState.BRIDGED: "bridge_duration",
}


def ticked(call: ActiveCall, now: datetime | None) -> ActiveCall:
    """``call`` with its durations brought forward to the upstream's ``now``.

    A polled call is held from the poll its values other than the durations last
    changed (see :class:`~rtdash.api.row_reader.RowReader`), so its durations are those
    of the moment it was read: its start plus its call duration. From there to ``now``
    the call duration and the current state's duration grew by the same seconds.
    ``call`` itself when nothing is to be added (or cannot be known)."""
    grown = _grown(call.call_start, call.call_duration, now)
    if grown <= 0 or call.call_duration is None:
        return call
    update: dict[str, int] = {"call_duration": call.call_duration + grown}
    name = _STATE_DURATION[call.state]
    held = getattr(call, name)
    if held is not None:
        update[name] = held + grown
    return call.model_copy(update=update)


#: the ``callState`` of a lookup answer while its call goes on; an ended call's says how
#: it ended ("answered", "abandoned"), and its durations are final
IN_PROGRESS = "in progress"


def in_progress(details: CallerDetails) -> bool:
    """Whether a lookup answer's call was still going on when it was read."""
    return (details.call_state or "").strip().lower() == IN_PROGRESS


def details_ticked(
    details: CallerDetails, now: datetime | None, *, held: bool = False
) -> CallerDetails:
    """A lookup answer's durations brought forward to ``now`` while its call goes on,
    as :func:`ticked` brings a polled call's: read at its trigger time plus its call
    duration, both grew by the seconds since (the talk time only once the call is
    talking: a talk time, or the number it was answered on). The call duration then
    reads as the dashboard's Total for the same call, which runs from its start on the
    same clock. ``details`` itself for an ended call, or when nothing is to be added.

    ``held``: ``now`` is where the dashboard's times stopped (paused, stale data), which
    an answer read since is past: they are counted back to it, so the lookup reads as
    the dashboard's still picture does. Otherwise a ``now`` before the read (a clock
    behind the service's) never counts them back."""
    if not in_progress(details):
        return details
    grown = _grown(details.trigger_time, details.call_duration, now, back=held)
    if grown == 0 or details.call_duration is None:
        return details
    update: dict[str, int] = {"call_duration": max(0, details.call_duration + grown)}
    talk = details.bridge_duration
    if talk is not None and answered(details):
        update["bridge_duration"] = max(0, talk + grown)
    return details.model_copy(update=update)


def answered(details: CallerDetails) -> bool:
    """Whether the call was answered: a talk time, or the number it was answered on (a
    call answered this second has a talk time of 0)."""
    return bool(details.bridge_duration) or bool(details.dest_number)


def _grown(
    start: datetime | None, seconds: int | None, now: datetime | None, *, back: bool = False
) -> int:
    """Whole seconds a duration counted from ``start``, read as ``seconds``, has grown by
    ``now`` (below 0 only if ``back``); 0 when unknown."""
    if now is None or start is None or seconds is None:
        return 0
    try:
        read_at = start.timestamp() + seconds
    except (OverflowError, ValueError):
        return 0
    grown = math.floor(now.timestamp() - read_at)
    return grown if back else max(0, grown)
