"""Typed rows, read from upstream dicts through the field mapping.

Parsing is forgiving per field (an odd duration becomes ``None``) but strict about the
few fields a row cannot live without (a call needs a reference and a state; a user
needs an id and a state): such a row raises :class:`RowUnreadable`, which the caller
counts and skips, so one bad row never costs a snapshot.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum
from typing import Any, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field

from rtdash.api import values
from rtdash.api.mapping import CUSTOM_PREFIXES, FieldMapping, pick


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
_UTC = ZoneInfo("UTC")


def _read_fields(
    row: Mapping[str, Any], table: dict[str, list[str]], zone: ZoneInfo, skip: set[str]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Read every mapped field; return (fields, unmapped keys of the row)."""
    fields: dict[str, Any] = {}
    used: set[str] = set()
    for name, aliases in table.items():
        for alias in aliases:
            if alias in row:
                used.add(alias)
                break
        if name in skip:
            continue
        raw = pick(row, aliases)
        if name in _INT_FIELDS:
            fields[name] = values.integer(raw)
        elif name.endswith(("_start", "_time")) and name != "ring_time":
            fields[name] = values.timestamp(raw, zone)
        else:
            fields[name] = values.text(raw)
    extra = {key: value for key, value in row.items() if key not in used}
    return fields, extra


def _require(row: Mapping[str, Any], value: Any, what: str) -> Any:
    if value is None:
        raise RowUnreadable(f"no {what}")
    return value


def parse_call(row: Mapping[str, Any], mapping: FieldMapping, zone: ZoneInfo) -> ActiveCall:
    fields, extra = _read_fields(row, mapping.call, zone, skip={"state"})
    raw_state = values.text(pick(row, mapping.call["state"]))
    state = mapping.call_state_values.get((raw_state or "").lower())
    _require(row, fields["call_ref"], "call reference")
    _require(row, state, f"known call state (got {raw_state!r})")
    return ActiveCall(state=CallState(state), extra=extra, **fields)


def parse_user(row: Mapping[str, Any], mapping: FieldMapping, zone: ZoneInfo) -> PbxUser:
    fields, extra = _read_fields(row, mapping.user, zone, skip={"state", "dashboard"})
    raw_state = values.text(pick(row, mapping.user["state"]))
    state = mapping.user_state_values.get((raw_state or "").lower())
    user_id = fields.pop("user_id") or fields["operator_ref"] or fields["extension"]
    _require(row, user_id, "user id")
    _require(row, state, f"known user state (got {raw_state!r})")
    dashboard = values.flag(pick(row, mapping.user["dashboard"]))
    return PbxUser(
        user_id=user_id,
        state=UserState(state),
        dashboard=bool(dashboard),
        extra=extra,
        **fields,
    )


_BASIC_FIELDS = {"igrp", "dgrp", "txr"}


def parse_caller(row: Mapping[str, Any], mapping: FieldMapping) -> CallerDetails:
    """``triggerDatetime`` is always UTC upstream, whatever ``tz`` was asked for."""
    fields, extra = _read_fields(row, mapping.caller, _UTC, skip=set())
    custom = {
        key: "" if value is None else str(value)
        for key, value in extra.items()
        if key.startswith(CUSTOM_PREFIXES)
    }
    extra = {key: value for key, value in extra.items() if key not in custom}
    advanced = any(value is not None for name, value in fields.items() if name not in _BASIC_FIELDS)
    return CallerDetails(
        mode="advanced" if advanced else "basic", custom=custom, extra=extra, **fields
    )
