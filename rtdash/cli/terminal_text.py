"""Whether the terminal can show the dashboard's marks.

The screens say state by symbol as much as by colour (▲ and ‼ for thresholds, ● ◆ ○
for agents, box lines, big digits), so the board reads the same under ``NO_COLOR``. A
terminal whose encoding cannot hold them (a Latin-1 locale) got each one as a literal
``\\uXXXX`` that also broke every line's width: refused in one line before the screen
is taken over, saying what to set. A C or POSIX locale is not refused: Python reads
it as UTF-8, as modern terminals are.
"""

from __future__ import annotations

import codecs
import os
import sys

from rtdash.cli.common import PROG, UsageError

#: one of each kind of mark the screens draw
MARKS = "▲‼●◆○◌▸☎⇄◷│─█▀▄…–"


def refuse_terminal_without_marks() -> None:
    """A UsageError when the terminal's encoding cannot show :data:`MARKS`."""
    stream = sys.__stderr__  # what the dashboard is drawn on
    if stream is None or os.environ.get("TEXTUAL_DRIVER"):
        return  # textual-serve's web driver draws in a browser, in UTF-8
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        MARKS.encode(encoding)
    except UnicodeEncodeError:
        name = codecs.lookup(encoding).name
        raise UsageError(
            f"{PROG}: this terminal's encoding ({name}) cannot show the dashboard's marks "
            "and lines: use a UTF-8 locale (e.g. LANG=en_GB.UTF-8) or PYTHONIOENCODING=utf-8 "
            "if the terminal itself is UTF-8"
        ) from None
    except LookupError:
        return  # an encoding Python does not know: left to the terminal
