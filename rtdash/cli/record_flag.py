"""``--record FILE``, checked before the screen is taken over, so a path the recorder
could not use is one line and exit 2 rather than a dashboard that records nothing."""

from __future__ import annotations

import os
from pathlib import Path

from rtdash.cli.common import PROG, UsageError

#: the file name a refusal suggests for a folder given as ``--record DIR/``
EXAMPLE_NAME = "day.rtrec"


def record_path(given: str | None) -> Path | None:
    """The file to record to, or None without ``--record``.

    A folder is refused, not filled: with several installations the file's name gets
    each one's id (``day.rtrec`` -> ``day-1234.rtrec``), which needs a name to put it
    in, and a name made up here would be one the user has to go and find."""
    if not given:
        return None
    path = Path(given).expanduser()
    if given.endswith(("/", os.sep)) or path.is_dir():
        example = path / EXAMPLE_NAME
        raise UsageError(
            f"{PROG}: --record {given}: a folder, not a file: name the file, "
            f"such as --record {example}"
        )
    folder = path.parent
    if not folder.is_dir():
        raise UsageError(f"{PROG}: --record {given}: no such folder {folder}")
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise UsageError(f"{PROG}: --record {given}: not writable")
    return path
