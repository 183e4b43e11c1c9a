"""The typed rows (a call, a user, a caller's details) and the field rules shared by
the two ways of reading them: which fields are integers, times or shared text, and
what makes a row unreadable. :mod:`rtdash.api.models` is the public face of these.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field

from rtdash.api.sanitise import clean_value


class RowUnreadable(ValueError):
    """A row lacks a field it cannot do without."""


class CallState(StrEnum):
    RINGING = "ringing"
    QUEUEING = "queueing"
    BRIDGED = "bridged"


class UserState(StrEnum):
    AVAILABLE = "available"
    UNAVAILABLE = "unavailable"


class _Row(BaseModel):
    model_config = ConfigDict(frozen=True, populate_by_name=True, serialize_by_alias=True)

    #: upstream keys that no mapped field read, kept so nothing the upstream says is lost
    extra: dict[str, Any] = Field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The API's camelCase keys, ISO 8601 datetimes: the CLI's ``--json`` row."""
        return self.model_dump(mode="json", by_alias=True)


class ActiveCall(_Row):
    call_ref: str = Field(alias="callRef")
    state: CallState = Field(alias="state")
    igrp: int | None = Field(default=None, alias="igrp")
    call_start: datetime | None = Field(default=None, alias="callStartDatetime")
    state_start: datetime | None = Field(default=None, alias="stateStartDatetime")
    src_number: str | None = Field(default=None, alias="srcPhoneNumber")
    dialled_number: str | None = Field(default=None, alias="dialledPhoneNumber")
    dgrp: str | None = Field(default=None, alias="dgrp")
    dgrp_name: str | None = Field(default=None, alias="dgrpName")
    queue: str | None = Field(default=None, alias="queueRef")
    agent_ref: str | None = Field(default=None, alias="operatorRef")
    agent_name: str | None = Field(default=None, alias="displayName")
    ring_time: int | None = Field(default=None, alias="ringTime")
    queue_duration: int | None = Field(default=None, alias="queueDuration")
    bridge_duration: int | None = Field(default=None, alias="bridgeDuration")
    call_duration: int | None = Field(default=None, alias="callDuration")


class PbxUser(_Row):
    user_id: str = Field(alias="sipUserId")
    state: UserState = Field(alias="state")
    igrp: int | None = Field(default=None, alias="igrp")
    operator_ref: str | None = Field(default=None, alias="operatorRef")
    display_name: str | None = Field(default=None, alias="displayName")
    extension: str | None = Field(default=None, alias="extensionNumber")
    state_start: datetime | None = Field(default=None, alias="stateStartDatetime")
    dashboard: bool = Field(default=False, alias="dashboard")

    @property
    def label(self) -> str:
        return self.display_name or self.operator_ref or self.extension or self.user_id


def _template_of(model: type[_Row]) -> dict[str, Any]:
    """A ``__dict__`` filled by attribute in field order: its keys are shared with every
    row of the class (a split dict, far smaller than a dict of its own), and so are its
    copies' (the fast reader's rows are copies). Made as the class is, before any row:
    once many rows of a class were validated by pydantic, a new instance's dict would
    no longer share its keys."""
    holder = model.__new__(model)
    for name in model.model_fields:
        object.__setattr__(holder, name, False if name == "dashboard" else None)
    return holder.__dict__


#: the fast reader's template ``__dict__`` of each row class (never changed: copied)
_TEMPLATES: dict[type, dict[str, Any]] = {
    model: _template_of(model) for model in (ActiveCall, PbxUser)
}


class CallerDetails(_Row):
    """One ``activeCall`` row: visitor and marketing attribution of a caller."""

    mode: Literal["basic", "advanced"] = Field(alias="mode")
    igrp: int | None = Field(default=None, alias="igrp")
    igrp_name: str | None = Field(default=None, alias="igrpName")
    dgrp: str | None = Field(default=None, alias="dgrp")
    dgrp_name: str | None = Field(default=None, alias="dgrpName")
    txr: str | None = Field(default=None, alias="txr")
    vid: str | None = Field(default=None, alias="vid")
    ch: str | None = Field(default=None, alias="ch")
    ch_name: str | None = Field(default=None, alias="chName")
    ch_type: str | None = Field(default=None, alias="chType")
    pub: str | None = Field(default=None, alias="pub")
    campaign: str | None = Field(default=None, alias="campaign")
    ad_group: str | None = Field(default=None, alias="adGroup")
    keyword: str | None = Field(default=None, alias="matchRef")
    src_number: str | None = Field(default=None, alias="srcPhoneNumber")
    dialled_number: str | None = Field(default=None, alias="dialledPhoneNumber")
    dest_number: str | None = Field(default=None, alias="destPhoneNumber")
    trigger_time: datetime | None = Field(default=None, alias="triggerDatetime")
    landing_page_title: str | None = Field(default=None, alias="landingPageTitle")
    page_title: str | None = Field(default=None, alias="pageTitle")
    landing_url: str | None = Field(default=None, alias="landingHref")
    conversion_url: str | None = Field(default=None, alias="conversionHref")
    referrer: str | None = Field(default=None, alias="vref")
    call_state: str | None = Field(default=None, alias="callState")
    call_duration: int | None = Field(default=None, alias="callDuration")
    bridge_duration: int | None = Field(default=None, alias="bridgeDuration")
    #: every ``pt_*`` (pass-through tag) and ``c_*`` (custom variable) key, as sent
    custom: dict[str, str] = Field(default_factory=dict, alias="custom")


_INT_FIELDS = {"igrp", "ring_time", "queue_duration", "bridge_duration", "call_duration"}
_TIME_FIELDS = {"call_start", "state_start", "trigger_time"}
#: text fields whose values repeat across rows and polls (lines, queues, agents): one
#: shared string each instead of a copy per row
_SHARED_TEXT = {
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
    if now is None or call.call_start is None or call.call_duration is None:
        return call
    try:
        read_at = call.call_start.timestamp() + call.call_duration
    except (OverflowError, ValueError):
        return call
    grown = int(now.timestamp() - read_at)
    if grown <= 0:
        return call
    update: dict[str, int] = {"call_duration": call.call_duration + grown}
    name = _STATE_DURATION[call.state]
    held = getattr(call, name)
    if held is not None:
        update[name] = held + grown
    return call.model_copy(update=update)
