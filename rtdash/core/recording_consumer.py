"""``--record``'s consumer of the live feed: it hands every snapshot, and now and then
today's service level totals, to a recorder.

It lives apart from the feed because the feed derives what the screens read and knows
nothing of recordings; this is one consumer among others, there only when asked for.
The recording modules are imported only where a recording is written, so they stay off
the start-up path of a run that does not record.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from rtdash.core.feed import FeedConsumer
from rtdash.core.snapshot import CallsSnapshot, UsersSnapshot

if TYPE_CHECKING:
    from rtdash.core.feed import LiveFeed


class SnapshotWriter(Protocol):
    """What :class:`RecordingConsumer` writes to (a :class:`~rtdash.core.recording.Recorder`)."""

    def record_calls(self, snapshot: CallsSnapshot) -> bool: ...

    def record_users(self, snapshot: UsersSnapshot) -> bool: ...

    def record_service(self, when: datetime, service: dict[str, Any]) -> bool: ...

    def close(self) -> None: ...


#: recorded seconds between two records of today's service level totals
SERVICE_RECORD_EVERY = 60.0


class RecordingConsumer(FeedConsumer):
    """``--record``: every snapshot the feed is given, unchanged ones too, goes to the
    recorder. A write that fails stops the recording (once, said through ``on_error``);
    the feed and its screen carry on."""

    def __init__(
        self,
        recorder: SnapshotWriter,
        *,
        on_error: Callable[[str], None] | None = None,
        service: Callable[[], dict[str, Any] | None] | None = None,
    ) -> None:
        self.recorder: SnapshotWriter | None = recorder
        self._on_error = on_error
        #: today's service level totals, recorded every :data:`SERVICE_RECORD_EVERY`
        #: seconds of calls polls (and on close)
        self._service = service
        self._service_at: datetime | None = None
        self._service_totals: dict[str, Any] | None = None
        self._last_calls: datetime | None = None

    def feed_snapshot(self, feed: LiveFeed, snapshot: CallsSnapshot | UsersSnapshot) -> None:
        if self.recorder is None:
            return
        # a recorder exists only with --record: its module stays off the start-up path
        from rtdash.core.recording import RecordingError

        try:
            if isinstance(snapshot, CallsSnapshot):
                self.recorder.record_calls(snapshot)
                self._last_calls = snapshot.fetched_at
                due = self._service_at is None or (
                    (snapshot.fetched_at - self._service_at).total_seconds() >= SERVICE_RECORD_EVERY
                )
                if due:
                    self._record_service()
            else:
                self.recorder.record_users(snapshot)
        except RecordingError as exc:
            self.recorder = None
            if self._on_error is not None:
                self._on_error(str(exc))

    def _record_service(self) -> None:
        when = self._last_calls
        if self._service is None or self.recorder is None or when is None:
            return
        totals = self._service()
        if totals is None:
            return
        if when == self._service_at and totals == self._service_totals:
            return  # the same totals at the same time (the way out, right after one)
        self.recorder.record_service(when, totals)
        self._service_at, self._service_totals = when, totals

    def close(self) -> None:
        """Idempotent: the app closes on exit and on a hang-up."""
        if self.recorder is not None:
            from rtdash.core.recording import RecordingError

            with contextlib.suppress(RecordingError):
                self._record_service()  # the day's totals as they stood at the end
            self.recorder.close()
            self.recorder = None
