"""The one place that spells upstream field names.

The vendor never published the row fields of ``pbxActiveCalls`` and ``pbxUserStatus``,
so every field the client reads is looked up through a list of aliases, first match
wins. A real installation that names a field differently is fixed in the user's
config (``[mapping]``) without touching code: a string or a list there *replaces*
that field's aliases, and ``call_state_values`` / ``user_state_values`` *extend* the
value tables.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import msgspec

# logical name -> aliases, in lookup order; the first alias is the canonical key used
# when rows are written back out (CLI --json, recordings).
CALL_FIELDS: dict[str, list[str]] = {
    "igrp": ["igrp"],
    "call_ref": ["callRef", "callId", "uniqueId"],
    "state": ["callState", "callStage", "state", "status"],
    "call_start": ["callStartDatetime", "startDatetime", "callStart"],
    "state_start": ["stateStartDatetime"],
    "src_number": ["srcPhoneNumber", "callerNumber", "cli"],
    "dialled_number": ["dialledPhoneNumber", "dialledNumber", "ddi"],
    "dgrp": ["dgrp"],
    "dgrp_name": ["dgrpName", "lineName"],
    "queue": ["queueRef", "queueName", "queue"],
    "agent_ref": ["operatorRef", "agentRef"],
    "agent_name": ["displayName", "operatorName", "agentName"],
    "ring_time": ["ringTime", "ringDuration"],
    "queue_duration": ["queueDuration"],
    "bridge_duration": ["bridgeDuration"],
    "call_duration": ["callDuration"],
}

USER_FIELDS: dict[str, list[str]] = {
    "igrp": ["igrp"],
    "user_id": ["sipUserId", "userId", "id"],
    "operator_ref": ["operatorRef", "username"],
    "display_name": ["displayName", "name"],
    "extension": ["extensionNumber", "extension"],
    "state": ["state", "status", "userState", "operatorState"],
    "state_start": ["stateStartDatetime"],
    "dashboard": ["dashboard", "dashboardFlag", "isDashboard"],
}

CALLER_FIELDS: dict[str, list[str]] = {
    "igrp": ["igrp"],
    "igrp_name": ["igrpName"],
    "dgrp": ["dgrp"],
    "dgrp_name": ["dgrpName"],
    "txr": ["txr"],
    "vid": ["vid"],
    "ch": ["ch"],
    "ch_name": ["chName"],
    "ch_type": ["chType"],
    "pub": ["pub"],
    "campaign": ["campaign"],
    "ad_group": ["adGroup"],
    "keyword": ["matchRef"],
    "src_number": ["srcPhoneNumber"],
    "dialled_number": ["dialledPhoneNumber"],
    "dest_number": ["destPhoneNumber"],
    "trigger_time": ["triggerDatetime"],
    "landing_page_title": ["landingPageTitle"],
    "page_title": ["pageTitle"],
    "landing_url": ["landingHref", "landingPageUrl"],
    "conversion_url": ["conversionHref", "conversionPageUrl"],
    "referrer": ["vref"],
    "call_state": ["callState"],
    "call_duration": ["callDuration"],
    "bridge_duration": ["bridgeDuration"],
}

CALL_STATE_VALUES: dict[str, str] = {
    "ring": "ringing",
    "ringing": "ringing",
    "queue": "queueing",
    "queued": "queueing",
    "queueing": "queueing",
    "queuing": "queueing",
    "bridge": "bridged",
    "bridged": "bridged",
    "answered": "bridged",
    "connected": "bridged",
}

USER_STATE_VALUES: dict[str, str] = {
    "available": "available",
    "avail": "available",
    "online": "available",
    "1": "available",
    "true": "available",
    "unavailable": "unavailable",
    "unavail": "unavailable",
    "offline": "unavailable",
    "busy": "unavailable",
    "away": "unavailable",
    "0": "unavailable",
    "false": "unavailable",
}

#: prefixes of the free-form custom data keys on activeCall rows
CUSTOM_PREFIXES: tuple[str, ...] = ("pt_", "c_")

_TABLES = {"call": CALL_FIELDS, "user": USER_FIELDS, "caller": CALLER_FIELDS}


def _as_alias_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple) and all(isinstance(v, str) and v for v in value):
        return list(value)
    raise ValueError("must be a field name or a list of field names")


class FieldMapping(msgspec.Struct, frozen=True, kw_only=True):
    """Aliases for every logical field, by row kind, plus the state value tables.

    Build it from config with :meth:`from_overrides`; the config keys are the logical
    names (``call_state = "callStage"``, ``user_dashboard = ["onWallboard"]``,
    ``caller_landing_url = "lpUrl"``), prefixed by the row kind.
    """

    call: dict[str, list[str]] = msgspec.field(default_factory=lambda: _copy(CALL_FIELDS))
    user: dict[str, list[str]] = msgspec.field(default_factory=lambda: _copy(USER_FIELDS))
    caller: dict[str, list[str]] = msgspec.field(default_factory=lambda: _copy(CALLER_FIELDS))
    call_state_values: dict[str, str] = msgspec.field(
        default_factory=lambda: dict(CALL_STATE_VALUES)
    )
    user_state_values: dict[str, str] = msgspec.field(
        default_factory=lambda: dict(USER_STATE_VALUES)
    )

    def __post_init__(self) -> None:
        # upstream values are matched lower-cased; the mapping is frozen, so the tables
        # are put right in place
        for table in (self.call_state_values, self.user_state_values):
            if any(key != key.strip().lower() for key in table):
                lowered = {key.strip().lower(): value for key, value in table.items()}
                table.clear()
                table.update(lowered)

    @classmethod
    def from_overrides(cls, overrides: Mapping[str, Any] | None) -> FieldMapping:
        """Apply a ``[mapping]`` config section; raises ValueError naming the bad key."""
        tables = {kind: _copy(fields) for kind, fields in _TABLES.items()}
        call_values = dict(CALL_STATE_VALUES)
        user_values = dict(USER_STATE_VALUES)
        for key, value in (overrides or {}).items():
            if key in ("call_state_values", "user_state_values"):
                target = call_values if key == "call_state_values" else user_values
                allowed = (
                    {"ringing", "queueing", "bridged"}
                    if key.startswith("call")
                    else {
                        "available",
                        "unavailable",
                    }
                )
                if not isinstance(value, Mapping):
                    raise ValueError(f"mapping.{key}: must be a table of value = state")
                for raw, state in value.items():
                    if state not in allowed:
                        raise ValueError(
                            f"mapping.{key}.{raw}: {state!r} is not one of "
                            + ", ".join(sorted(allowed))
                        )
                    target[str(raw).strip().lower()] = state
                continue
            kind, _, field = key.partition("_")
            if kind not in tables or field not in tables[kind]:
                raise ValueError(f"mapping.{key}: unknown field (known: {_known_keys()})")
            try:
                tables[kind][field] = _as_alias_list(value)
            except ValueError as exc:
                raise ValueError(f"mapping.{key}: {exc}") from None
        return cls(
            call=tables["call"],
            user=tables["user"],
            caller=tables["caller"],
            call_state_values=call_values,
            user_state_values=user_values,
        )

    def all_aliases(self, kind: str) -> set[str]:
        """Every upstream key this mapping reads for a row kind (for ``rtdash doctor``)."""
        return {alias for aliases in getattr(self, kind).values() for alias in aliases}


def _copy(table: dict[str, list[str]]) -> dict[str, list[str]]:
    return {field: list(aliases) for field, aliases in table.items()}


def _known_keys() -> str:
    names = [f"{kind}_{field}" for kind, fields in _TABLES.items() for field in fields]
    return ", ".join(names[:6]) + ", …"


def pick(row: Mapping[str, Any], aliases: list[str]) -> Any:
    """The value of the first alias present in the row (None when none is)."""
    for alias in aliases:
        if alias in row:
            return row[alias]
    return None
