"""The header line that starts every run in a recording, built and parsed here only.

One header per run (gzip member)::

    {"rtdash_recording": 1, "installation": "…", "igrp": 1234, "tz": "Europe/London",
     "started": "2026-05-01T09:00:00+00:00", "exclude_pii": false}

The reader and the recorder (which refuses to append to another installation's file)
both go through :func:`parse_header`, so they cannot disagree on what a header is.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from rtdash.api.sanitise import clean
from rtdash.core import limits
from rtdash.core.recording.errors import RecordingFormatError

FORMAT_VERSION = 1
HEADER_KEY = "rtdash_recording"


@dataclass(frozen=True, slots=True)
class RecordingHeader:
    """What a run says about itself; fields it lacks or spells wrongly get safe values,
    because a header is also what tells a user which file they opened."""

    version: int
    installation: str
    igrp: int | None
    tz: str
    started: datetime | None
    exclude_pii: bool = False

    @property
    def zone(self) -> ZoneInfo:
        try:
            return ZoneInfo(self.tz)
        except (ZoneInfoNotFoundError, ValueError):
            return ZoneInfo("UTC")

    def to_record(self) -> dict[str, Any]:
        """The JSON object written as the run's first line."""
        return {
            HEADER_KEY: self.version,
            "installation": self.installation,
            "igrp": self.igrp,
            "tz": self.tz,
            "started": self.started.isoformat() if self.started else None,
            "exclude_pii": self.exclude_pii,
        }


def new_header(
    *, installation: str, igrp: int, tz: str, started: datetime, exclude_pii: bool
) -> RecordingHeader:
    """The header of a run this version writes."""
    return RecordingHeader(FORMAT_VERSION, installation, igrp, tz, started, exclude_pii)


def is_header(record: object) -> bool:
    """Whether a decoded line is a header (a new run starts there)."""
    return isinstance(record, dict) and HEADER_KEY in record


def parse_header(line: bytes | dict[str, Any]) -> RecordingHeader | None:
    """The header in a line (raw bytes or already decoded); None if it is not one."""
    if isinstance(line, dict):
        data: Any = line
    else:
        try:
            data = limits.read_json(line)
        except ValueError:
            return None
    if not is_header(data):
        return None
    version = data[HEADER_KEY]
    started = None
    with contextlib.suppress(RecordingFormatError):
        started = parse_time(data.get("started"))
    igrp = data.get("igrp")
    return RecordingHeader(
        version=version if type(version) is int else -1,
        installation=clean(str(data.get("installation") or "")),
        igrp=igrp if type(igrp) is int else None,
        tz=str(data.get("tz") or "UTC"),
        started=started,
        exclude_pii=bool(data.get("exclude_pii", False)),
    )


def parse_time(value: object) -> datetime:
    """An aware ISO 8601 time from a record; raises :class:`RecordingFormatError`."""
    if not isinstance(value, str):
        raise RecordingFormatError("t is not a string")
    try:
        when = datetime.fromisoformat(value)
    except ValueError as exc:
        raise RecordingFormatError(f"t is not an ISO time: {value!r}") from exc
    if when.tzinfo is None:
        raise RecordingFormatError("t has no offset")
    if not limits.time_in_range(when):
        raise RecordingFormatError(f"t is out of range: {value[:40]!r}")
    return when
