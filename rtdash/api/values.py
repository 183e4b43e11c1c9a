"""Readers for the upstream's loosely typed values.

The Reports API sends ids, counts, durations and flags as strings, unset fields as
``""`` and datetimes without an offset in the zone that was asked for. These readers
accept every variant the contract lists and return ``None`` for "unset" rather than
raising, so one odd value never costs a whole row.
"""

from __future__ import annotations

import math
import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from rtdash.api.sanitise import clean

_TRUE = {"1", "true", "yes", "y", "on"}
_FALSE = {"0", "false", "no", "n", "off", ""}

DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"
#: years a live call or user state can have started in; anything else is a broken
#: value (year 1 with a +14:00 offset is not even a valid instant in UTC)
YEARS = range(1970, 2200)
#: ``YYYY-MM-DD HH:MM:SS`` digits, nothing else
_CANONICAL = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", re.ASCII).fullmatch


def text(value: Any) -> str | None:
    """A string safe to show (:func:`~rtdash.api.sanitise.clean`), or None for unset
    (missing, null or blank, also once cleaned: a call reference of a bidi mark alone is
    none, not an empty one) and for a container, whose ``str`` would be the whole
    nested value, however deep (the row readers refuse such a row outright)."""
    if value is None or isinstance(value, dict | list):
        return None
    if isinstance(value, str):
        stripped = value.strip()
        return cleaned(stripped) if stripped else None
    return clean(str(value))


def cleaned(stripped: str) -> str | None:
    """A stripped string :func:`~rtdash.api.sanitise.clean`: what it takes out may
    leave an end blank, trimmed too, or nothing at all (None)."""
    shown = clean(stripped)
    if shown is stripped:  # nothing taken out (the common case: no new string)
        return shown
    return shown.strip() or None


def integer(value: Any) -> int | None:
    """An int from an int, float or numeric string; None when unset or not a number."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if math.isfinite(value) else None
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
    keeps working. None when unset or unreadable; ``ValueError`` for a date outside
    :data:`YEARS`, which would overflow the moment anything subtracts it from now.
    """
    raw = text(value)
    if raw is None:
        return None
    if _CANONICAL(raw):
        # the documented shape: fromisoformat reads it as strptime would, ten times faster
        try:
            parsed = datetime.fromisoformat(raw)
        except ValueError:
            pass
        else:
            if parsed.year not in YEARS:
                raise ValueError(f"date out of range: {raw}")
            return parsed.replace(tzinfo=zone)
    try:
        parsed = datetime.strptime(raw, DATETIME_FORMAT)
    except ValueError:
        try:
            parsed = datetime.fromisoformat(raw)
        except ValueError:
            return None
    if parsed.year not in YEARS:
        raise ValueError(f"date out of range: {raw[:40]}")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone)
    return parsed
