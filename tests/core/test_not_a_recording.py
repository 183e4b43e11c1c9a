"""Files that are not recordings, and files a recording cannot be written to: each is
refused in one line, and the recorder never appends to a file that is not its own."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest

from rtdash.core.recording import Recorder, RecordingError
from rtdash.core.replay import Recording


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"", "is empty"),
        (b"callRef,state\nc-1,ringing\n", "is not gzip-compressed"),
        (gzip.compress(b'{"hello": "world"}\n'), "does not start with an rtdash header"),
        (gzip.compress(b"not json at all\n"), "does not start with an rtdash header"),
        (gzip.compress(b""), "has no readable header"),
    ],
    # named, not shown: gzip bytes carry the time they were made, and every test
    # worker must collect the same names
    ids=["empty", "csv", "other-json", "not-json", "empty-gzip"],
)
def test_a_file_that_is_not_a_recording_says_so_in_one_line(
    tmp_path: Path, content: bytes, why: str
) -> None:
    path = tmp_path / "other.csv"
    path.write_bytes(content)
    with pytest.raises(RecordingError) as caught:
        Recording.load(path)
    message = str(caught.value)
    assert message == f"not an rtdash recording: {path} {why}"
    assert "\n" not in message


def test_a_newer_format_and_a_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "future.rtrec"
    path.write_bytes(gzip.compress(b'{"rtdash_recording": 2, "igrp": 1}\n'))
    with pytest.raises(RecordingError, match=r"^not an rtdash recording this version reads: .* 2"):
        Recording.load(path)
    with pytest.raises(RecordingError, match=r"^cannot read .*missing\.rtrec: No such file"):
        Recording.load(tmp_path / "missing.rtrec")


def test_the_recorder_never_appends_to_a_file_that_is_not_a_recording(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("my notes\n")
    with pytest.raises(RecordingError, match="exists and is not an rtdash recording"):
        Recorder(path, installation="x", igrp=1, tz="UTC")
    assert path.read_text() == "my notes\n"
    other = tmp_path / "other.rtrec"
    Recorder(other, installation="x", igrp=1, tz="UTC").close()
    size = other.stat().st_size
    with pytest.raises(RecordingError, match="records installation 1, not 2"):
        Recorder(other, installation="y", igrp=2, tz="UTC")
    assert other.stat().st_size == size


def test_a_write_failure_is_one_line_and_stops_recording(tmp_path: Path) -> None:
    if not os.path.exists("/dev/full"):
        pytest.skip("needs /dev/full")
    with pytest.raises(RecordingError) as caught:
        Recorder("/dev/full", installation="x", igrp=1, tz="UTC")
    assert str(caught.value) == "recording stopped: cannot write /dev/full: No space left on device"
    with pytest.raises(RecordingError, match=r"^cannot record to .*: No such file or directory$"):
        Recorder(tmp_path / "no" / "such" / "folder.rtrec", installation="x", igrp=1, tz="UTC")
