"""The baseline peer: the obvious way to write this dashboard.

Same data, same app, same widgets and layout as rtdash (it *is* rtdash's app with three
widgets subclassed), but every table is the stock Textual DataTable updated the obvious
way: on every poll **and** on every one-second tick, each table is ``clear()``-ed and all
its rows are formatted and added again with fresh times. An unchanged snapshot is
redrawn like any other.

It runs through the same entry points as rtdash, so both are measured identically:

* in-process: :class:`BaselineApp` takes the same arguments as ``RtdashApp``;
* in a terminal: ``python -m bench.baseline --base-url URL --igrp ID [--interval S]``
  (credentials from ``RTDASH_USERNAME`` / ``RTDASH_PASSWORD``, like ``rtdash``).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, Self

from textual import on
from textual.app import ComposeResult
from textual.widgets import DataTable

from rtdash.core.clock import Clock
from rtdash.ui.app import RtdashApp
from rtdash.ui.messages import CallsUpdated, UsersUpdated
from rtdash.ui.widgets.calls_grid import CallsGrid
from rtdash.ui.widgets.dashboard import Dashboard
from rtdash.ui.widgets.keyed_table import Cell, Column, KeyedTable, RowSpec, TickRenderer
from rtdash.ui.widgets.user_panel import UserPanel


class RebuildTable(DataTable):
    """A stock DataTable that shows ``rows`` by clearing itself and adding every row
    again, every row formatted each time.

    It answers the few questions the rest of the app asks of rtdash's KeyedTable
    (``keys``, ``selected_key``, ``reconcile``, ``tick``) so the app works unchanged;
    only the way rows reach the screen differs.
    """

    DEFAULT_CSS = """
    RebuildTable {
        height: auto;
        scrollbar-size-vertical: 1;
        overflow-x: hidden;
    }
    """

    def __init__(
        self,
        columns: Sequence[Column],
        *,
        key: Callable[[Any], str],
        describe: Callable[[Any], RowSpec],
        clock: Clock,
        ticker: TickRenderer,
        **kwargs: Any,
    ) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, **kwargs)
        self._columns = list(columns)
        self.key_of = key
        self.describe = describe
        self.clock = clock
        self.ticker = ticker
        #: the rows last given, re-added on every tick
        self._items: tuple[Any, ...] = ()
        self._order: list[str] = []
        self._index: dict[str, int] = {}

    @classmethod
    def replacing(cls, table: KeyedTable[Any]) -> Self:
        return cls(
            table.columns,
            key=table.key_of,
            describe=table.describe,
            clock=table.clock,
            ticker=table.ticker,
            id=table.id,
            classes=" ".join(table.classes),
        )

    def on_mount(self) -> None:
        for column in self._columns:
            self.add_column(column.label, key=column.key, width=column.width)

    def set_own_widths(self, widths: dict[str, int]) -> None:
        """rtdash's grid widens its Caller column to the longest number in view; a
        stock DataTable's columns keep the widths they were added with, as a developer
        using it would leave them."""

    @property
    def keys(self) -> list[str]:
        return list(self._order)

    @property
    def selected_key(self) -> str | None:
        if not self._order or not 0 <= self.cursor_row < len(self._order):
            return None
        return self._order[self.cursor_row]

    def reconcile(self, items: Sequence[Any]) -> None:
        self._items = tuple(items)
        self._rebuild()

    def tick(self) -> None:
        self._rebuild()

    def _rebuild(self) -> None:
        cursor = self.cursor_row
        now = self.clock.now()
        rows = [self.describe(item) for item in self._items]
        self.clear()
        self.add_rows([self._values(row, now) for row in rows])
        self._order = [row.key for row in rows]
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


def _rebuilding(widgets: ComposeResult, table: type[RebuildTable] = RebuildTable) -> ComposeResult:
    """rtdash's own widgets, in rtdash's own layout, with each KeyedTable replaced by a
    stock-DataTable ``table`` before it mounts (same columns, row descriptions, ids and
    classes); the idiomatic peer (bench/peer.py) passes its own."""
    for widget in widgets:
        if type(widget) is KeyedTable:
            yield table.replacing(widget)
        else:
            yield widget


class BaselineApp(RtdashApp):
    """RtdashApp with the baseline dashboard; everything else is rtdash's own."""

    def _view(self, kind: type, *args: Any, **kwargs: Any) -> Any:
        if kind is Dashboard:
            kind = BaselineDashboard
        return super()._view(kind, *args, **kwargs)

    def make_dashboard(self, *args: Any, **kwargs: Any) -> Dashboard:
        # why the type: ignore below: the baseline swaps in its own view class
        dashboard = super().make_dashboard(*args, **kwargs)  # type: ignore[misc]
        dashboard.__class__ = BaselineDashboard
        return dashboard


def run_in_terminal(
    app_class: Callable[[Any], Any], prog: str, description: str | None, argv: Sequence[str] | None
) -> int:
    """Run a peer app in a terminal, configured as ``rtdash`` is: config file and
    environment, then these flags (checked by the same settings model)."""
    from rtdash.config import load_settings

    parser = argparse.ArgumentParser(prog=prog, description=description)
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
    return int(app_class(settings).run() or 0)


def main(argv: Sequence[str] | None = None) -> int:
    return run_in_terminal(BaselineApp, "python -m bench.baseline", __doc__, argv)


if __name__ == "__main__":
    sys.exit(main())
