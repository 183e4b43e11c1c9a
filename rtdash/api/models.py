"""Typed rows, read from upstream dicts through the field mapping.

Parsing is forgiving per field (an odd duration becomes ``None``) but strict about the
few fields a row cannot live without (a call needs a reference and a state; a user
needs an id and a state): such a row raises :class:`RowUnreadable`, which the caller
counts and skips, so one bad row never costs a snapshot.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from rtdash.api import values
from rtdash.api.mapping import CUSTOM_PREFIXES, FieldMapping, pick
from rtdash.api.row_base import Row as Row
from rtdash.api.row_reader import RowReader as RowReader
from rtdash.api.row_reader import parse_call as parse_call
from rtdash.api.row_reader import parse_user as parse_user
from rtdash.api.row_reader import reader_for as reader_for
from rtdash.api.row_types import _INT_FIELDS, _TIME_FIELDS, _UTC, _clean_extra, _scalar
from rtdash.api.row_types import ActiveCall as ActiveCall
from rtdash.api.row_types import CallerDetails as CallerDetails
from rtdash.api.row_types import CallState as CallState
from rtdash.api.row_types import PbxUser as PbxUser
from rtdash.api.row_types import RowUnreadable as RowUnreadable
from rtdash.api.row_types import UserState as UserState
from rtdash.api.row_types import answered as answered
from rtdash.api.row_types import details_ticked as details_ticked
from rtdash.api.row_types import ticked as ticked
from rtdash.api.sanitise import clean


def _read_fields(
    row: Mapping[str, Any], table: dict[str, list[str]], zone: ZoneInfo, skip: set[str]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Read every mapped field; return (fields, unmapped keys of the row).

    The general path, for the one ``activeCall`` row of a lookup; the polled routes'
    thousands of rows go through :class:`RowReader`.
    """
    fields: dict[str, Any] = {}
    used: set[str] = set()
    for name, aliases in table.items():
        for alias in aliases:
            if alias in row:
                used.add(alias)
                break
        if name in skip:
            continue
        raw = _scalar(pick(row, aliases))
        if name in _INT_FIELDS:
            fields[name] = values.integer(raw)
        elif name in _TIME_FIELDS:
            try:
                fields[name] = values.timestamp(raw, zone)
            except ValueError:  # a date out of range: this field unknown, not the answer
                fields[name] = None
        else:
            fields[name] = values.text(raw)
    extra = {key: value for key, value in row.items() if key not in used}
    return fields, _clean_extra(extra)


_BASIC_FIELDS = {"igrp", "dgrp", "txr"}


def _custom_text(value: Any) -> str:
    """A custom value as text: a list or object as JSON (not Python's repr of it)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return clean(value)
    return clean(json.dumps(value, ensure_ascii=False, separators=(", ", ": ")))


def parse_caller(row: Mapping[str, Any], mapping: FieldMapping) -> CallerDetails:
    """``triggerDatetime`` is always UTC upstream, whatever ``tz`` was asked for."""
    fields, extra = _read_fields(row, mapping.caller, _UTC, skip=set())
    custom = {
        key: _custom_text(value) for key, value in extra.items() if key.startswith(CUSTOM_PREFIXES)
    }
    extra = {key: value for key, value in extra.items() if key not in custom}
    advanced = any(value is not None for name, value in fields.items() if name not in _BASIC_FIELDS)
    return CallerDetails(
        mode="advanced" if advanced else "basic", custom=custom, extra=extra, **fields
    )
