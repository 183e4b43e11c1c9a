"""What the calls grid and the user panel share: a snapshot, a filter and a sort."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual.containers import Vertical
from textual.widgets import Static

from rtdash.core.sorting import SortCycle, SortKey


class RowsView(Vertical):
    """A panel that draws one kind of snapshot, filtered by ``/`` and sorted by ``s``."""

    #: the rows' name in the status bar's words ("calls sorted by caller ↑")
    noun = "rows"

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
        self.filter_text = text.strip()
        self.render_rows()

    def cycle_sort(self) -> str:
        """Ascending, then descending, then the next column: one key reaches every order."""
        words = self.sort.cycle()
        self.render_rows()
        return f"{self.noun} {words}"

    def render_rows(self) -> None:
        """Draw the snapshot as filtered and sorted now."""
        raise NotImplementedError

    def _set_title(self, widget_id: str, title: Text) -> None:
        """Update a title line only when its text changed: most polls don't change it,
        and an update repaints the line."""
        if self._titles.get(widget_id) != title:
            self._titles[widget_id] = title
            self.query_one(f"#{widget_id}", Static).update(title, layout=False)
