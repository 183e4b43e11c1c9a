"""The filter line under the calls: a box while words are typed, one line once they
filter."""

from __future__ import annotations

from textual import on
from textual.containers import Horizontal
from textual.widgets import Input, Static

#: beside a filter in use: its words are all the line shows, and the empty box's
#: placeholder, which said how to clear it, is gone once there are words
APPLIED_HINT = "Esc clears the filter · / changes it"


class FilterLine(Horizontal):
    """While the box has the focus it is bordered (three lines), as any input. Once
    Enter hands the focus to the calls it is one line, the words and how to change
    them: at 80×24 the two lines go back to the calls, and a filter left in place
    still says what clears it."""

    def __init__(self, box: Input) -> None:
        super().__init__(box, Static(APPLIED_HINT, id="filter-hint"), id="filter-line")
        self.box = box

    @property
    def applied(self) -> bool:
        return self.has_class("-applied")

    def on_descendant_focus(self) -> None:
        self.settle()

    def on_descendant_blur(self) -> None:
        self.settle()

    @on(Input.Changed)
    def _changed(self) -> None:
        # not stopped: the screen filters by it too. Words set while the box has no
        # focus (another installation's filter, a queue chosen) show as a filter in use
        self.settle()

    def show(self, shown: bool) -> None:
        self.display = shown
        self.box.display = shown
        self.settle()

    def settle(self) -> None:
        box = self.box
        self.set_class(bool(box.value) and not box.has_focus, "-applied")
