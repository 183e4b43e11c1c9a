"""The recorder: every snapshot of one installation appended to a recording file.

The file is opened for append (created ``0600``: rows can carry callers' numbers) and,
by default, sync-flushed after every record, so a killed app leaves a file readable up
to its last record (:mod:`.container` reads it). Only rows are written: no
credentials, no URL. A keyframe starts each run and comes every ``keyframe_every``
seconds; between them a snapshot that did not change writes nothing at all. Sizes are
measured by ``python -m bench.recording_size`` (see bench/RESULTS.md).
"""

from __future__ import annotations

import gzip
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rtdash.core.recording.codec import (
    ROW_KEYS,
    Delta,
    EndMark,
    Keyframe,
    Kind,
    Record,
    Row,
    ServiceMark,
    dump_line,
    encode,
    raw_row,
)
from rtdash.core.recording.container import first_line
from rtdash.core.recording.errors import RecordingError
from rtdash.core.recording.header import new_header, parse_header
from rtdash.core.recording.state import TrackState
from rtdash.core.snapshot import CallsSnapshot, UsersSnapshot

DEFAULT_KEYFRAME_EVERY = 300.0
DEFAULT_FLUSH_EVERY = 0.0
_KINDS: tuple[Kind, ...] = ("calls", "users")


class Recorder:
    """Appends every snapshot of one installation to ``path``.

    Call :meth:`record_calls` / :meth:`record_users` with each snapshot (unchanged ones
    cost nothing) and :meth:`close` at the end. Each record is flushed as it is written;
    with ``flush_every`` > 0 records are flushed at most that many recorded seconds
    apart, and then :meth:`flush` (a no-op when nothing is pending) should also be
    called from a timer, e.g. on pause. A write failure raises
    :class:`RecordingError` once; the recorder then stops (``error`` says why) and later
    calls do nothing, so the dashboard keeps running.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        installation: str,
        igrp: int,
        tz: str,
        exclude_pii: bool = False,
        started: datetime | None = None,
        keyframe_every: float = DEFAULT_KEYFRAME_EVERY,
        flush_every: float = DEFAULT_FLUSH_EVERY,
    ) -> None:
        self.path = Path(path)
        self.installation = installation
        self.igrp = igrp
        self.tz = tz
        self.exclude_pii = exclude_pii
        self.keyframe_every = keyframe_every
        #: seconds of recorded time between flushes (0: flush after every record)
        self.flush_every = flush_every
        self.error: str | None = None
        #: records written, keyframes among them, and uncompressed bytes written
        self.records = 0
        self.keyframes = 0
        self.raw_bytes = 0
        self._states = {kind: TrackState(kind) for kind in _KINDS}
        self._last_keyframe: dict[str, datetime | None] = dict.fromkeys(ROW_KEYS)
        self._last_flush: datetime | None = None
        #: the newest snapshot seen, and the newest written (for the end mark)
        self._last_seen: datetime | None = None
        self._last_written: datetime | None = None
        #: the last calls poll, and the last calls record: for :meth:`_keep_alive`
        self._calls_polled: datetime | None = None
        self._calls_written: datetime | None = None
        self._dirty = False
        self._closed = False
        self._check_existing()
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        except OSError as exc:
            raise RecordingError(f"cannot record to {self.path}: {_reason(exc)}") from None
        self._raw = os.fdopen(fd, "ab")
        self._gzip = gzip.GzipFile(filename="", mode="ab", fileobj=self._raw, mtime=0)
        header = new_header(
            installation=installation,
            igrp=igrp,
            tz=tz,
            started=started or datetime.now(UTC),
            exclude_pii=exclude_pii,
        )
        try:
            self._write(header.to_record())
            self.flush()
        except RecordingError:
            self.close()
            raise

    def _check_existing(self) -> None:
        """Append only to this installation's recording: never to another file."""
        try:
            if not self.path.exists() or self.path.stat().st_size == 0:
                return
            line = first_line(self.path)
        except OSError as exc:
            raise RecordingError(f"cannot record to {self.path}: {_reason(exc)}") from None
        header = parse_header(line) if line is not None else None
        if header is None:
            raise RecordingError(
                f"{self.path} exists and is not an rtdash recording: choose another file"
            )
        if header.igrp != self.igrp:
            raise RecordingError(
                f"{self.path} records installation {header.igrp}, not {self.igrp}: "
                "record each installation to its own file"
            )

    # --- recording ---------------------------------------------------------------------

    def record_service(self, when: datetime, service: dict[str, Any]) -> bool:
        """Today's service level totals (a line older readers skip); True if written."""
        if self._stopped:
            return False
        self._write(encode(ServiceMark(when, service)))
        self.records += 1
        self._maybe_flush(when)
        return True

    def record_calls(self, snapshot: CallsSnapshot) -> bool:
        """Record a calls snapshot; True if anything was written."""
        if self._stopped:
            return False
        rows = [raw_row(call) for call in snapshot.calls]
        return self._record("calls", snapshot.fetched_at, rows, snapshot.unreadable)

    def record_users(self, snapshot: UsersSnapshot) -> bool:
        """Record a users snapshot (every user, not only the dashboard ones)."""
        if self._stopped:
            return False
        rows = [raw_row(user) for user in snapshot.users]
        return self._record("users", snapshot.fetched_at, rows, snapshot.unreadable)

    def _record(self, kind: Kind, when: datetime, rows: list[Row], unreadable: int) -> bool:
        state = self._states[kind]
        last = self._last_keyframe[kind]
        polled_before = self._calls_polled
        if kind == "calls":
            self._calls_polled = when
        if self._last_seen is None or when > self._last_seen:
            self._last_seen = when
        keyed = None if state.dup is not None else state.keyed(rows)
        record: Record
        if (
            keyed is None
            or last is None
            or when < last
            or (when - last).total_seconds() >= self.keyframe_every
        ):
            record = Keyframe(kind, when, rows, unreadable)
            self._last_keyframe[kind] = when
            self.keyframes += 1
        else:
            delta = state.diff(keyed, unreadable, when)
            if delta is None and self._keep_alive(kind, when, polled_before):
                delta = Delta(kind, when)  # nothing changed: only that a poll was made
            if delta is None:
                self._maybe_flush(when)
                return False
            record = delta
        state.apply(record)
        if kind == "calls":
            self._calls_written = when
        self._write(encode(record))
        self.records += 1
        if self._last_written is None or when > self._last_written:
            self._last_written = when
        self._maybe_flush(when)
        return True

    def _keep_alive(self, kind: Kind, when: datetime, before: datetime | None) -> bool:
        """Whether an unchanged calls poll is written all the same, as an empty record.

        A replay tells the data's age from its records, and a poll that changed nothing
        writes none: a quiet centre would replay as STALE, as if polling had failed.
        So once two poll intervals have gone by since the last calls record, a poll
        says it was made (a few bytes); an outage, when no poll is made, stays a gap.
        The users are not kept so: a replay's age is the newest record of either kind."""
        if kind != "calls":
            return False
        written = self._calls_written
        if before is None or written is None or when <= before:
            return False
        interval = (when - before).total_seconds()
        return (when - written).total_seconds() >= 2 * interval

    def _write(self, data: dict[str, Any]) -> None:
        line = dump_line(data)
        try:
            self._gzip.write(line)
        except OSError as exc:
            self._fail(exc)
        self.raw_bytes += len(line)
        self._dirty = True

    def _maybe_flush(self, when: datetime) -> None:
        if not self._dirty:
            return
        if (
            self.flush_every <= 0
            or self._last_flush is None
            or abs((when - self._last_flush).total_seconds()) >= self.flush_every
        ):
            self.flush()
            self._last_flush = when

    def flush(self) -> None:
        """Push what is pending to the file (readable after a crash); no-op if nothing is."""
        if self._stopped or not self._dirty:
            return
        try:
            self._gzip.flush()
        except OSError as exc:
            self._fail(exc)
        self._dirty = False

    def close(self) -> None:
        """Flush and finish the gzip member. Safe to call twice, and after an error."""
        if self._closed:
            return
        try:
            seen, written = self._last_seen, self._last_written
            if self.error is None and seen is not None and (written is None or seen > written):
                self._write(encode(EndMark(seen)))
        except RecordingError:
            pass
        self._closed = True
        try:
            if self.error is None:
                self._gzip.close()
        except OSError as exc:
            self.error = f"cannot record to {self.path}: {_reason(exc)}"
        finally:
            try:
                self._raw.close()
            except OSError as exc:
                self.error = self.error or f"cannot record to {self.path}: {_reason(exc)}"

    @property
    def size(self) -> int:
        """Bytes on disk so far (after the last flush)."""
        try:
            return self.path.stat().st_size
        except OSError:
            return 0

    @property
    def _stopped(self) -> bool:
        return self._closed or self.error is not None

    def _fail(self, exc: OSError) -> None:
        self.error = f"recording stopped: cannot write {self.path}: {_reason(exc)}"
        raise RecordingError(self.error) from None

    def __enter__(self) -> Recorder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__
