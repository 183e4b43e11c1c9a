"""Paths as a person reads them: absolute, or under ``~`` when in the home folder (a
notification that says "." tells nobody where the files went)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rtdash.api.sanitise import clean


def home_relative(path: Path) -> str:
    """``~/exports`` for a folder under the home folder, else the absolute path."""
    absolute = path.expanduser().absolute()
    try:
        return "~/" + str(absolute.relative_to(Path.home().absolute()))
    except (ValueError, RuntimeError):
        return str(absolute)


def export_message(paths: Sequence[Path]) -> str:
    """The folder on the first line, then one file name a line: a narrow notification
    then wraps between names, never inside one."""
    if not paths:
        return "nothing written"
    # a folder or file name may hold anything: each line is made safe on its own
    folder = clean(str(home_relative(paths[0].parent)))
    return "\n".join([f"in {folder}:", *(clean(path.name) for path in paths)])
