"""Readers for the upstream's loosely typed values.

The Reports API sends ids, counts, durations and flags as strings, unset fields as
``""`` and datetimes without an offset in the zone that was asked for. These readers
accept every variant the contract lists and return ``None`` for "unset" rather than
raising, so one odd value never costs a whole row.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

_TRUE = {"1", "true", "yes", "y", "on"}
_FALSE = {"0", "false", "no", "n", "off", ""}

DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"
#: ``YYYY-MM-DD HH:MM:SS`` digits, nothing else
_CANONICAL = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", re.ASCII).fullmatch


def text(value: Any) -> str | None:
    """A string, or None for unset (missing, null or blank)."""
    if value is None:
        return None
    if isinstance(value, str):
        stripped = value.strip()
        return stripped or None
    return str(value)


def integer(value: Any) -> int | None:
    """An int from an int, float or numeric string; None when unset or not a number."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value)
    raw = text(value)
    if raw is None:
        return None
    try:
        return int(raw)
    except ValueError:
        pass
    try:
        return int(float(raw))
    except (ValueError, OverflowError):  # "nan", "inf", "1e999"
        return None


def flag(value: Any) -> bool | None:
    """True/False from the many spellings of a flag; None when the value is not a flag."""
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    if isinstance(value, int | float):
        return value != 0
    lowered = str(value).strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    return None


def timestamp(value: Any, zone: ZoneInfo) -> datetime | None:
    """An aware datetime from ``YYYY-MM-DD HH:MM:SS`` read in ``zone``.

    ISO 8601 with an offset is accepted too, so an upstream that starts sending offsets
    keeps working.
    """
    raw = text(value)
    if raw is None:
        return None
    if _CANONICAL(raw):
        # the documented shape: fromisoformat reads it as strptime would, ten times faster
        try:
            return datetime.fromisoformat(raw).replace(tzinfo=zone)
        except ValueError:
            pass
    try:
        parsed = datetime.strptime(raw, DATETIME_FORMAT)
    except ValueError:
        try:
            parsed = datetime.fromisoformat(raw)
        except ValueError:
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone)
    return parsed
