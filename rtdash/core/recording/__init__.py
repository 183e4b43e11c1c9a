"""Recording: every snapshot appended to a small, crash-tolerant file, and read back.

The format is gzip-compressed JSON lines, one gzip member per run: a header
(:mod:`.header`), then keyframes and deltas (:mod:`.codec`, with the prediction rules
in :mod:`.state`). :mod:`.container` reads the members back past a crash,
:mod:`.recorder` writes them, :mod:`.reader` turns them into a timeline of snapshots.
"""

from rtdash.core.recording.codec import ROW_KEYS, Delta, EndMark, Keyframe, compact_row
from rtdash.core.recording.errors import RecordingError, RecordingFormatError
from rtdash.core.recording.header import FORMAT_VERSION, RecordingHeader
from rtdash.core.recording.reader import CHECKPOINT_EVERY, Recording
from rtdash.core.recording.recorder import Recorder

__all__ = [
    "CHECKPOINT_EVERY",
    "FORMAT_VERSION",
    "ROW_KEYS",
    "Delta",
    "EndMark",
    "Keyframe",
    "Recorder",
    "Recording",
    "RecordingError",
    "RecordingFormatError",
    "RecordingHeader",
    "compact_row",
]
