"""Where the focus goes back to when widgets it was on come back into view.

A terminal too narrow for the call tables hides them, and the focus leaves for the
users panel; widened again, the tables come back but the focus stayed where it was
pushed, so a supervisor's next Enter looked up an agent's caller instead of the call
they had selected. The keeper remembers the widget the focus was on and where it
landed, and puts it back only if it is still where it landed: a focus the user moved
meanwhile is theirs.
"""

from __future__ import annotations

from textual.widget import Widget


class FocusKeeper:
    """The focus of one container's widgets across their hiding and showing."""

    def __init__(self, owner: Widget) -> None:
        self.owner = owner
        self._was_on: Widget | None = None
        self._landed_on: Widget | None = None
        self._hidden = False

    def follow(self, *, hidden: bool) -> None:
        """The owner's widgets are to be hidden, or shown: a change from the last call
        is remembered from or given back."""
        if hidden == self._hidden:
            return
        self._hidden = hidden
        if hidden:
            self.hide(self.owner.screen.focused if self.owner.is_attached else None)
        else:
            self.owner.call_after_refresh(self.show)

    def hide(self, focused: Widget | None) -> None:
        """The owner's widgets are about to be hidden; ``focused`` has the focus now.
        Where the focus lands is read once the screen has moved it."""
        if focused is None or self.owner not in focused.ancestors:
            self._was_on = None
            return
        self._was_on = focused
        self.owner.call_after_refresh(self._note_landing)

    def _note_landing(self) -> None:
        """Read once the focus has left the hidden widget: the layout that hides it
        may come a refresh or two after the class that does."""
        focused = self.owner.screen.focused
        if self._was_on is None:
            return
        if focused is self._was_on and self._was_on.display:
            self.owner.call_after_refresh(self._note_landing)
            return
        self._landed_on = None if focused is self._was_on else focused

    def show(self) -> None:
        """The widgets are back: the focus returns to the one it was on, unless it was
        moved from where the hiding put it."""
        was_on, self._was_on = self._was_on, None
        if was_on is None or not was_on.is_attached or not was_on.focusable:
            return
        focused = self.owner.screen.focused
        if focused is self._landed_on or focused is was_on:
            self.owner.screen.set_focus(was_on)
