"""The recording consumer (``--record``'s): every poll handed to the recorder, and a
failing recorder stopped once, said once, the feed carrying on."""

from __future__ import annotations

from rtdash.api.models import CallState
from rtdash.core.recording_consumer import RecordingConsumer
from rtdash.core.snapshot import CallsSnapshot, UsersSnapshot

from .feed_rig import AGENTS, rig
from .rows import call

QUEUEING, BRIDGED = CallState.QUEUEING, CallState.BRIDGED


class FakeRecorder:
    def __init__(self, fail_after: int | None = None) -> None:
        self.kinds: list[str] = []
        self.fail_after = fail_after
        self.closed = False

    def record_calls(self, snapshot: CallsSnapshot) -> bool:
        return self._write("calls")

    def record_users(self, snapshot: UsersSnapshot) -> bool:
        return self._write("users")

    def _write(self, kind: str) -> bool:
        from rtdash.core.recording import RecordingError

        if self.fail_after is not None and len(self.kinds) >= self.fail_after:
            raise RecordingError("disk full")
        self.kinds.append(kind)
        return True

    def close(self) -> None:
        self.closed = True


def test_the_recorder_is_a_consumer_that_keeps_every_poll() -> None:
    feed, source, clock, _ = rig()
    recorder = FakeRecorder()
    consumer = RecordingConsumer(recorder)
    feed.subscribe(consumer)
    first = source.calls(call("q", QUEUEING, 0))
    feed.on_calls(first.again(clock.now()))  # unchanged: recorded all the same
    source.users(*AGENTS)
    assert recorder.kinds == ["calls", "calls", "users"]
    consumer.close()
    assert recorder.closed


def test_a_failing_recorder_stops_once_and_says_so() -> None:
    feed, source, _, _ = rig()
    errors: list[str] = []
    recorder = FakeRecorder(fail_after=1)
    feed.subscribe(RecordingConsumer(recorder, on_error=errors.append))
    source.calls(call("q", QUEUEING, 0))
    source.calls(call("b", BRIDGED, 0))
    source.calls(call("c", BRIDGED, 0))
    assert errors == ["disk full"]
    assert recorder.kinds == ["calls"]
    assert feed.calls is not None and feed.metrics.talking == 1  # the feed carried on
