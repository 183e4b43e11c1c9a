"""The framework floor: the smallest honest Textual app of rtdash's shape.

A one-line status at the top (a Line API widget, as rtdash's tables are) reading
``data as of HH:MM:SS``, redrawn once a second, and 40 plain one-line ``Static`` rows
under it. No rtdash code, no network, no data: what it costs to start and to sit
there is what Textual itself costs on this machine, the floor under P2 and P4.

    python -m bench.floor_app              # the status redrawn once a second
    python -m bench.floor_app --still      # nothing ever redrawn: Textual at rest
    python -m bench.floor_app --ticking    # the status and a time on each of the 40
                                           # rows redrawn once a second, as a live
                                           # dashboard's times in state are
    python -m bench.floor_app --stack      # httpx, pydantic and platformdirs imported
                                           # first: the rest of rtdash's stack

``q`` quits (the harness's ``Terminal.close()`` sends it).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import datetime

from rich.segment import Segment
from textual.app import App, ComposeResult
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Static

#: rows under the status: about what rtdash shows of a medium load at 160×48
ROWS = 40
#: a row of plain text about as wide as rtdash's table rows, so the first paint carries
#: a comparable number of cells
ROW_TEXT = "  ".join(f"cell {column}" for column in range(12))


class Status(Widget):
    """``data as of HH:MM:SS``, drawn through the Line API; the bytes ``data as of``
    are the harness's marker of first data (``DATA_MARKER``)."""

    DEFAULT_CSS = """
    Status {
        height: 1;
    }
    """

    def __init__(self, *, redraw: bool) -> None:
        super().__init__()
        self.redraw = redraw

    def on_mount(self) -> None:
        if self.redraw:  # rtdash's one-second tick, at its cheapest: one line, no data
            self.set_interval(1.0, self.refresh, name="tick")

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if y:
            return Strip.blank(width, self.rich_style)
        text = f"data as of {datetime.now():%H:%M:%S}"
        return Strip([Segment(text, self.rich_style)]).adjust_cell_length(width, self.rich_style)


class TickingRows(Widget):
    """The 40 rows as one Line API widget whose every line carries a time that moves
    on each second: the least a dashboard can redraw when every time in state ticks."""

    DEFAULT_CSS = f"""
    TickingRows {{
        height: {ROWS};
    }}
    """

    def on_mount(self) -> None:
        self.set_interval(1.0, self.refresh, name="tick")

    def render_line(self, y: int) -> Strip:
        seconds = int(datetime.now().timestamp()) + y * 7
        text = f"row {y:02d}  {seconds // 60 % 60:02d}:{seconds % 60:02d}  {ROW_TEXT}"
        return Strip([Segment(text, self.rich_style)]).adjust_cell_length(
            self.size.width, self.rich_style
        )


class FloorApp(App[None]):
    """The status and the rows; nothing else runs."""

    BINDINGS = [("q", "quit", "Quit")]

    def __init__(self, *, redraw: bool = True, ticking: bool = False) -> None:
        super().__init__()
        self.redraw = redraw
        self.ticking = ticking

    def compose(self) -> ComposeResult:
        yield Status(redraw=self.redraw)
        if self.ticking:
            yield TickingRows()
            return
        for index in range(ROWS):
            yield Static(f"row {index:02d}  {ROW_TEXT}")


def import_stack() -> None:
    """The libraries of rtdash's stack besides Textual, imported as rtdash's start-up
    imports them before its first poll: the part of P2's floor that is not Textual."""
    import httpx  # noqa: F401
    import platformdirs  # noqa: F401
    import pydantic  # noqa: F401


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.floor_app", description=__doc__)
    redraws = parser.add_mutually_exclusive_group()
    redraws.add_argument(
        "--still", action="store_true", help="never redraw the status: Textual at rest"
    )
    redraws.add_argument(
        "--ticking",
        action="store_true",
        help="redraw the status and a time on every row once a second",
    )
    parser.add_argument(
        "--stack", action="store_true", help="import httpx, pydantic and platformdirs first"
    )
    args = parser.parse_args(argv)
    if args.stack:
        import_stack()
    FloorApp(redraw=not args.still, ticking=args.ticking).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
