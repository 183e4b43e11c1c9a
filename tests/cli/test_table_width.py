"""The CLI's tables at a terminal's width: a line wider than the terminal wrapped
mid-word into the next; fitted, the numbers and times stay whole."""

from __future__ import annotations

from rich.cells import cell_len

from rtdash.cli.render import calls_table
from tests.core.rows import at, call

CALLS = [
    call(
        f"c-1234-{i:06d}",
        "bridged",
        src_number="+447700900972",
        dialled_number="+441632960100",
        dgrp_name="Maintenance line for the north",
        queue="maintenance-north",
        agent_name="Agnieszka Clarke-Fitzwilliam",
        state_start=-300,
        call_start=-360,
    )
    for i in range(3)
]


def test_a_table_fits_the_terminal_it_is_written_to() -> None:
    whole = calls_table(CALLS, at(0), pii_excluded=False)
    assert max(map(cell_len, whole.splitlines())) > 80, "the case this is about"
    fitted = calls_table(CALLS, at(0), pii_excluded=False, width=80)
    lines = fitted.splitlines()
    assert max(map(cell_len, lines)) <= 80, fitted
    header = lines[0].split()
    assert "DIALLED" not in header and "LINE" not in header, "the first columns to go"
    for line in lines[1:]:
        assert "+44 7700 900972" in line and line.startswith("c-1234-")  # never cut
        assert line.endswith("5:00   6:00"), line  # nor the times
        assert "…" in line, "the names are cut instead"


def test_a_table_written_to_a_pipe_is_whole() -> None:
    row = calls_table(CALLS, at(0), pii_excluded=False, width=None).splitlines()[1]
    assert "Agnieszka Clarke-Fitzwilliam" in row and "+44 1632 960100" in row
