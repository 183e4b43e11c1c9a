"""Text for durations, clock times and caller numbers, shared by the TUI and the CLI."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

#: markers that read the same in colour, monochrome and a screen reader
WITHHELD = "(withheld)"
REDACTED = "(redacted)"
_WITHHELD_WORDS = {"anonymous", "withheld", "private", "unknown", "restricted", "unavailable"}


def duration(seconds: float | None) -> str:
    """``m:ss`` under an hour, ``h:mm:ss`` above; a dash when unknown."""
    if seconds is None:
        return "–"
    total = max(0, int(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


def clock_time(when: datetime, zone: ZoneInfo) -> str:
    return when.astimezone(zone).strftime("%H:%M:%S")


def caller_kind(raw: str | None, pii_excluded: bool = False) -> str:
    """``number``, ``withheld`` or ``redacted``.

    The vendor does not say how a redacted number looks: an empty value while PII is
    excluded, or any value with a ``*`` mask, counts as redacted.
    """
    if raw is None or not raw.strip():
        return "redacted" if pii_excluded else "withheld"
    value = raw.strip()
    if "*" in value or value.lower() in {"redacted", "xxx", "hidden"}:
        return "redacted"
    if value.lower() in _WITHHELD_WORDS:
        return "withheld"
    return "number"


def caller_marker(raw: str | None, pii_excluded: bool = False) -> str | None:
    """The screen's word for a caller with no number to show (:data:`WITHHELD`,
    :data:`REDACTED`), or None for a number. The export's Caller column takes it from
    here too, so a spreadsheet says "(withheld)" where the dashboard does, never the
    service's own "anonymous"."""
    kind = caller_kind(raw, pii_excluded)
    if kind == "withheld":
        return WITHHELD
    if kind == "redacted":
        return REDACTED
    return None


def caller_label(raw: str | None, pii_excluded: bool = False) -> str:
    """What to show for a caller: the number in international format, or a marker."""
    marker = caller_marker(raw, pii_excluded)
    if marker is not None:
        return marker
    from rtdash.core.phone import format_international

    return format_international(raw) or REDACTED
