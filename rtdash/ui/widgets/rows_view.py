"""What the calls grid and the user panel share: a snapshot, a filter and a sort."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual.containers import Vertical
from textual.widgets import Static

from rtdash.core.sorting import SortCycle, SortKey
from rtdash.ui.widgets.keyed_table import Column, KeyedTable, RowOrder


class RowsView(Vertical):
    """A panel that draws one kind of snapshot, filtered by ``/`` and sorted by ``s``."""

    #: the rows' name in the status bar's words ("calls sorted by caller ↑")
    noun = "rows"
    #: the tables' columns, in the order ``s`` sorts by them
    columns: tuple[Column, ...] = ()

    def __init__(self, sorts: Sequence[SortKey[Any]], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.snapshot: Any = None
        self.filter_text = ""
        self.sort: SortCycle[Any] = SortCycle(sorts)
        self._titles: dict[str, Text] = {}

    def update_snapshot(self, snapshot: Any) -> None:
        self.snapshot = snapshot
        self.render_rows()

    def set_filter(self, text: str) -> None:
        """Show the rows ``text`` matches; the same filter again redraws nothing (the
        filter box's Enter applies its words ahead of their own Changed messages)."""
        text = text.strip()
        if text == self.filter_text:
            return
        self.filter_text = text
        self.render_rows()

    def cycle_sort(self) -> str:
        """Ascending, then descending, then the next column: one key reaches every order."""
        words = self.sort.cycle()
        self.render_rows()
        self.show_sort()
        return f"{self.noun} {words}"

    def sort_by(self, name: str) -> str:
        """One column's order (the palette's "Sort calls by Caller"); again flips it."""
        words = self.sort.sort_by(name)
        self.render_rows()
        self.show_sort()
        return f"{self.noun} {words}"

    def sortable_columns(self) -> list[Column]:
        """The columns a sort key is named after, left to right."""
        names = {key.name for key in self.sort.keys}
        return [column for column in self.columns if column.key in names]

    def reset_sort(self) -> None:
        self.sort.reset()
        self.render_rows()
        self.show_sort()

    def on_mount(self) -> None:
        self.show_sort()

    def sorted_tables(self) -> list[Any]:
        """The tables whose header shows the sort."""
        return []

    def show_sort(self) -> None:
        """The headers' labels (:meth:`header_labels`), in every table of this panel."""
        labels = self.header_labels()
        for table in self.sorted_tables():
            if hasattr(table, "set_labels"):  # the benchmark's baseline has stock tables
                table.set_labels(labels)

    def header_labels(self) -> dict[str, str]:
        """Each column's header word, the sorted one with its arrow."""
        return sort_labels(self.columns, self.sort.column, self.sort.arrow)

    def row_order(self) -> RowOrder[Any]:
        """How the rows handed to the tables are sorted now: the default is the
        snapshot's own order, which the first key follows."""
        return RowOrder(self.sort.keys[self.sort.index].key, self.sort.reverse)

    def reconcile(self, table: Any, rows: Sequence[Any]) -> None:
        """Hand ``rows`` (filtered and sorted now) to ``table``, saying how they are
        sorted; the benchmark's baseline and peer put tables of their own here."""
        if isinstance(table, KeyedTable):
            table.reconcile(rows, self.row_order())
        else:
            table.reconcile(rows)

    def render_rows(self) -> None:
        """Draw the snapshot as filtered and sorted now."""
        raise NotImplementedError

    def _set_title(self, widget_id: str, title: Text) -> None:
        """Update a title line only when its text changed: most polls don't change it,
        and an update repaints the line."""
        if self._titles.get(widget_id) != title:
            self._titles[widget_id] = title
            self.query_one(f"#{widget_id}", Static).update(title, layout=False)


def sort_labels(columns: Sequence[Column], sorted_by: str, arrow: str) -> dict[str, str]:
    """Each column's header word, the sorted one with its arrow (spaced when it fits)."""
    labels = {}
    for column in columns:
        label = column.label
        if column.key == sorted_by:
            label = f"{label} {arrow}" if len(label) + 2 <= column.width else f"{label}{arrow}"
        labels[column.key] = label
    return labels
