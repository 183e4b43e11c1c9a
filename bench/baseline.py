"""The baseline peer: the obvious way to write this dashboard.

Same data, same app, same widgets and layout as rtdash (it *is* rtdash's app with three
widgets subclassed), but every table is updated the obvious way: on every poll **and**
on every one-second tick, each DataTable is ``clear()``-ed and all its rows are added
again with freshly formatted times. An unchanged snapshot is redrawn like any other.

It runs through the same entry points as rtdash, so both are measured identically:

* in-process: :class:`BaselineApp` takes the same arguments as ``RtdashApp``;
* in a terminal: ``python -m bench.baseline --base-url URL --igrp ID [--interval S]``
  (credentials from ``RTDASH_USERNAME`` / ``RTDASH_PASSWORD``, like ``rtdash``).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.widgets import DataTable

from rtdash.ui.app import RtdashApp
from rtdash.ui.messages import CallsUpdated, UsersUpdated
from rtdash.ui.widgets.calls_grid import CallsGrid
from rtdash.ui.widgets.dashboard import Dashboard
from rtdash.ui.widgets.keyed_table import Cell, KeyedTable, RowSpec
from rtdash.ui.widgets.user_panel import UserPanel


class RebuildTable(KeyedTable):
    """A table that shows ``rows`` by clearing itself and adding every row again.

    It keeps KeyedTable's bookkeeping (``keys``, ``selected_key``) so the rest of the
    app works unchanged; only the way cells reach the DataTable differs.
    """

    #: the rows last given, re-added on every tick
    _rows: tuple[RowSpec, ...] = ()

    def reconcile(self, rows: Sequence[RowSpec]) -> None:
        self._rows = tuple(rows)
        self._rebuild()

    def tick(self) -> None:
        self._rebuild()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        DataTable.watch_scroll_y(self, old_value, new_value)

    def _rebuild(self) -> None:
        cursor = self.cursor_row
        now = self.clock.now()
        self.clear()
        self.add_rows([self._values(row, now) for row in self._rows])
        self.writes += len(self._rows) * len(self._columns)
        self._order = [row.key for row in self._rows]
        self._specs = {row.key: row for row in self._rows}
        self._index = {key: index for index, key in enumerate(self._order)}
        if self._order:
            self.move_cursor(row=min(max(0, cursor), len(self._order) - 1), animate=False)

    def _values(self, row: RowSpec, now: datetime) -> list[Cell]:
        values: list[Cell] = []
        for column in self._columns:
            if column.key in row.since:
                since = row.since[column.key]
                seconds = None if since is None else max(0.0, (now - since).total_seconds())
                values.append(self.ticker(column.key, seconds))
            else:
                values.append(row.cells.get(column.key, ""))
        return values


class BaselineCallsGrid(CallsGrid):
    def compose(self) -> ComposeResult:
        yield from _rebuilding(super().compose())


class BaselineUserPanel(UserPanel):
    def compose(self) -> ComposeResult:
        yield from _rebuilding(super().compose())


class BaselineDashboard(Dashboard):
    """rtdash's Dashboard with the rebuilding widgets, and without the skipping of a
    snapshot that did not change: every poll redraws."""

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if type(widget) is CallsGrid:
                widget.__class__ = BaselineCallsGrid
            elif type(widget) is UserPanel:
                widget.__class__ = BaselineUserPanel
            yield widget

    # Textual runs the @on handlers of every class along the MRO, this one first: with
    # the last snapshot forgotten, rtdash's own handler sees every snapshot as new.

    @on(CallsUpdated)
    def _forget_calls(self, _message: CallsUpdated) -> None:
        self.calls = None

    @on(UsersUpdated)
    def _forget_users(self, _message: UsersUpdated) -> None:
        self.users = None


def _rebuilding(widgets: ComposeResult) -> ComposeResult:
    """rtdash's own widgets, in rtdash's own layout, with each KeyedTable made a
    RebuildTable (the widgets are swapped before they mount, so the layout, ids, classes
    and styles are exactly rtdash's, whatever they become)."""
    for widget in widgets:
        if type(widget) is KeyedTable:
            widget.__class__ = RebuildTable
        yield widget


class BaselineApp(RtdashApp):
    """RtdashApp with the baseline dashboard; everything else is rtdash's own."""

    def _view(self, kind: type, *args: Any, **kwargs: Any) -> Any:
        if kind is Dashboard:
            kind = BaselineDashboard
        return super()._view(kind, *args, **kwargs)  # type: ignore[misc]

    def make_dashboard(self, *args: Any, **kwargs: Any) -> Dashboard:
        dashboard = super().make_dashboard(*args, **kwargs)  # type: ignore[misc]
        dashboard.__class__ = BaselineDashboard
        return dashboard


def main(argv: Sequence[str] | None = None) -> int:
    """Run the baseline in a terminal, configured as ``rtdash`` is: config file and
    environment, then these flags (checked by the same settings model)."""
    from rtdash.config import load_settings

    parser = argparse.ArgumentParser(prog="python -m bench.baseline", description=__doc__)
    parser.add_argument("--base-url")
    parser.add_argument("--igrp", type=int)
    parser.add_argument("--interval", type=float)
    args = parser.parse_args(argv)
    settings = load_settings(None)
    if args.base_url is not None:
        settings.connection.base_url = args.base_url
    if args.igrp is not None:
        settings.connection.igrp = args.igrp
    if args.interval is not None:
        settings.polling.interval = args.interval
    return BaselineApp(settings).run() or 0


if __name__ == "__main__":
    sys.exit(main())
