"""Upstream names measured by a real terminal (tmux): the cells the layout gives a
cleaned name are the cells the terminal draws it in.

The layout measures text with Rich's width table; a terminal with its own. Where they
disagree, a name pushes every column after it (the joined emoji of 355ff56, the
blank Hangul fillers); a name holding characters drawn as nothing must take the cells
of the name it reads as. Only a real terminal shows that, so each name is written to
one and the terminal is asked where its cursor stands (``ESC [ 6 n``) after each.
"""

from __future__ import annotations

import json
import shutil
import sys
import uuid
from pathlib import Path

import pytest
from rich.cells import cell_len

from rtdash.api.sanitise import clean
from tests.hostile.catalogue import FILLED_NAMES, JOINED_NAMES, UNSEEN_NAMES
from tests.smoke.tmux_drive import Terminal, clean_env

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

#: names whose cleaned text must measure alike, with plain wide and accented ones
NAMES = [
    *FILLED_NAMES,
    *JOINED_NAMES,
    *(name for name, _ in UNSEEN_NAMES),
    "Cy 👍\U0001f3fd z",
    "王小明",
    "José Ñúñez",
    "Zoë 😀",
]

#: writes each name on a line of its own and notes the cursor's column after it, as the
#: terminal reports it, into a file (the terminal is raw meanwhile: the report is read
#: from its input)
MEASURE = """
import json, os, sys, termios, tty
names, out = json.load(open(sys.argv[1])), sys.argv[2]
fd = sys.stdin.fileno()
saved = termios.tcgetattr(fd)
tty.setraw(fd)
cells = []
try:
    for name in names:
        sys.stdout.write("\\r\\n" + name + "\\x1b[6n")
        sys.stdout.flush()
        report = b""
        while not report.endswith(b"R"):
            report += os.read(fd, 1)
        cells.append(int(report.rsplit(b";", 1)[1][:-1]) - 1)
finally:
    termios.tcsetattr(fd, termios.TCSADRAIN, saved)
json.dump(cells, open(out + ".part", "w"))
os.replace(out + ".part", out)
"""


def _terminal_cells(names: list[str], tmp_path: Path) -> list[int]:
    """The cells tmux draws each of ``names`` in."""
    given, taken = tmp_path / "names.json", tmp_path / f"cells-{uuid.uuid4().hex[:6]}.json"
    given.write_text(json.dumps(names), encoding="utf-8")
    script = tmp_path / "measure.py"
    script.write_text(MEASURE, encoding="utf-8")
    env = {**clean_env(), "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
    term = Terminal([sys.executable, str(script), str(given), str(taken)], 100, 30, env)
    try:
        term.wait_for(lambda _: taken.exists(), "the names measured", timeout=20)
    finally:
        term.close()
    cells: list[int] = json.loads(taken.read_text(encoding="utf-8"))
    return cells


def test_a_cleaned_name_takes_the_cells_a_terminal_draws_it_in(tmp_path: Path) -> None:
    shown = [clean(name) for name in NAMES]
    raw_fillers = [name for name in FILLED_NAMES if name != clean(name)]
    drawn = _terminal_cells(shown + raw_fillers, tmp_path)
    measured = dict(zip(shown, drawn[: len(shown)], strict=True))
    assert measured == {name: cell_len(name) for name in shown}
    # the case this guards against: sent as they came, the fillers measured otherwise
    for name, cells in zip(raw_fillers, drawn[len(shown) :], strict=True):
        assert cells != cell_len(name), name


def test_a_name_holding_characters_drawn_as_nothing_takes_the_cells_of_the_name_it_reads_as(
    tmp_path: Path,
) -> None:
    """Measured alike by the layout and the terminal, yet a Hangul choseong filler is
    two blank cells: left in, the name stood wider than it reads."""
    shown = [clean(name) for name, _ in UNSEEN_NAMES]
    reads_as = [text for _, text in UNSEEN_NAMES]
    drawn = _terminal_cells(shown + reads_as, tmp_path)
    assert drawn[: len(shown)] == drawn[len(shown) :]
