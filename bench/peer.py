"""The idiomatic peer: this dashboard as a competent Textual developer would write it.

Same data, same app, same widgets and layout as rtdash (it *is* rtdash's app with its
tables swapped, as in :mod:`bench.baseline`), and like rtdash it skips a snapshot whose
rows it already drew. Each table is a stock Textual ``DataTable`` with row keys, kept in
step with the snapshot the way its documentation suggests:

* a row that left is ``remove_row``-ed, a row that arrived is ``add_row``-ed at the end;
* a row still there gets ``update_cell`` for each cell whose value changed, and only
  those (the times in state included: they are computed at the poll and at the tick);
* the once-a-second tick ``update_cell``-s the time cells whose text changed;
* rows keep their place; where the snapshot's order differs (a user whose state
  changed moves to the end of the time-ordered list), the rows from the first one out
  of place on are removed and added again in order, so the order is the snapshot's.

It runs through the same entry points as rtdash and the naive baseline:

* in-process: :class:`PeerApp` takes the same arguments as ``RtdashApp``;
* in a terminal: ``python -m bench.peer --base-url URL --igrp ID [--interval S]``
  (credentials from ``RTDASH_USERNAME`` / ``RTDASH_PASSWORD``, like ``rtdash``).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from textual.app import ComposeResult

from bench.baseline import RebuildTable, _rebuilding, run_in_terminal
from rtdash.ui.app import RtdashApp
from rtdash.ui.widgets.calls_grid import CallsGrid
from rtdash.ui.widgets.dashboard import Dashboard
from rtdash.ui.widgets.keyed_table import Cell, RowSpec
from rtdash.ui.widgets.user_panel import UserPanel


class PeerTable(RebuildTable):
    """A stock DataTable kept in step with the rows by key: ``add_row`` for arrivals,
    ``remove_row`` for departures, ``update_cell`` for changed cells only.

    It answers the same few questions as the baseline's table (``keys``,
    ``selected_key``, ``reconcile``, ``tick``); only the way rows reach it differs.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: the values each row was last given, in column order, by row key
        self._shown: dict[str, list[Cell]] = {}
        #: the start times the ticking cells count from, by row key
        self._since: dict[str, dict[str, datetime | None]] = {}
        #: how many update_cell / add_row / remove_row calls were made (for the tests
        #: and the report: proof that only changes reach the table)
        self.updates = 0
        self.added = 0
        self.removed = 0

    def reconcile(self, items: Sequence[Any]) -> None:
        now = self.clock.now()
        specs = [self.describe(item) for item in items]
        wanted = {spec.key: spec for spec in specs}
        for key in [key for key in self._order if key not in wanted]:
            self._remove(key)
        order = [key for key in self._order if key in wanted]
        place = {key: index for index, key in enumerate(order)}
        # the rows already in the wanted order, from the top: they stay where they are
        in_place = 0
        last = -1
        for spec in specs:
            at = place.get(spec.key)
            if at is None or at < last:
                break
            last = at
            in_place += 1
        for spec in specs[:in_place]:
            self._update(spec, now)
        # every row after those goes to the end, in order: a row already in the table
        # further up is taken out and added again, a new row is added
        for spec in specs[in_place:]:
            if spec.key in self._shown:
                self._remove(spec.key)
            self._add(spec, now)
        self._order = [spec.key for spec in specs]
        self._items = tuple(items)

    def tick(self) -> None:
        now = self.clock.now()
        for key in self._order:
            since = self._since[key]
            if not since:
                continue
            shown = self._shown[key]
            for index, column in enumerate(self._columns):
                if column.key in since:
                    value = self._tick_value(column.key, since[column.key], now)
                    if value != shown[index]:
                        shown[index] = value
                        self.update_cell(key, column.key, value)
                        self.updates += 1

    def _tick_value(self, column: str, since: datetime | None, now: datetime) -> Cell:
        seconds = None if since is None else max(0.0, (now - since).total_seconds())
        return self.ticker(column, seconds)

    def _update(self, spec: RowSpec, now: datetime) -> None:
        values = self._values(spec, now)
        shown = self._shown[spec.key]
        for index, column in enumerate(self._columns):
            if values[index] != shown[index]:
                shown[index] = values[index]
                self.update_cell(spec.key, column.key, values[index])
                self.updates += 1
        self._since[spec.key] = spec.since

    def _add(self, spec: RowSpec, now: datetime) -> None:
        values = self._values(spec, now)
        self.add_row(*values, key=spec.key)
        self._shown[spec.key] = values
        self._since[spec.key] = spec.since
        self.added += 1

    def _remove(self, key: str) -> None:
        self.remove_row(key)
        del self._shown[key]
        del self._since[key]
        self.removed += 1


class PeerCallsGrid(CallsGrid):
    def compose(self) -> ComposeResult:
        yield from _rebuilding(super().compose(), PeerTable)


class PeerUserPanel(UserPanel):
    def compose(self) -> ComposeResult:
        yield from _rebuilding(super().compose(), PeerTable)


class PeerDashboard(Dashboard):
    """rtdash's Dashboard with the peer's tables; an unchanged snapshot is skipped, as
    rtdash skips it."""

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if type(widget) is CallsGrid:
                widget.__class__ = PeerCallsGrid
            elif type(widget) is UserPanel:
                widget.__class__ = PeerUserPanel
            yield widget


class PeerApp(RtdashApp):
    """RtdashApp with the peer's dashboard; everything else is rtdash's own."""

    def _view(self, kind: type, *args: Any, **kwargs: Any) -> Any:
        if kind is Dashboard:
            kind = PeerDashboard
        return super()._view(kind, *args, **kwargs)


def main(argv: Sequence[str] | None = None) -> int:
    return run_in_terminal(PeerApp, "python -m bench.peer", __doc__, argv)


if __name__ == "__main__":
    sys.exit(main())
