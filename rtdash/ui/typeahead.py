"""Keys typed ahead of a move of the focus: typed where the focus went, not lost.

Textual hands each key to the widget that has the focus when the key comes in, and
looks its binding up only when the key has gone up from there to the app. Keys typed
fast, or sent in one packet over a slow link, come in together: ``/`` and a filter's
words, ``l`` and a number, ``n`` and the next one. Each goes to the focus as it was
before the first of them opened a box to type into, comes back to the app unhandled,
and would be lost there, or, worse, taken as a binding of the screen below (``l``
in a filter's text opening a lookup). :func:`typed_ahead`, asked by the app for each
such key, types it where the focus now is.

A newline (``ctrl+j``) is an Enter where an Enter submits or opens
(:class:`SubmittingInput`, the tables): a terminal not yet in raw mode sends Enter as
one (its line discipline turns the return into a newline), so ``l``, a number and
Enter typed while the app was still starting over a slow link arrive with a newline
for their Enter; typed, ctrl+j is Enter in a shell too. Bound, not re-sent: it is
handled in its turn among the keys that came with it.

Not covered: a key of a later packet that comes in after the focus moved goes straight
to the input, ahead of keys of the packet before still on their way back up from the
old focus. That takes an event loop busy for longer than the gap between two packets.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Input

#: the key of a newline: an Enter sent before the terminal was in raw mode
NEWLINE = "ctrl+j"


def typed_ahead(screen: Screen[Any], event: events.Key) -> bool:
    """Type ``event`` into ``screen``'s focused input, or hand it to the screen's own
    ``take_typed`` (a dialog whose input is not made or focused yet); True when it was
    typed. Only a key that came back to the app unhandled is asked about: one the input
    had the focus for went to it, so a character here was typed before it had."""
    focused = screen.focused
    if isinstance(focused, Input) and event.is_printable and event.character:
        type_character(focused, event.character)
        return True
    take_typed = getattr(screen, "take_typed", None)
    return bool(take_typed is not None and take_typed(event))


def type_character(field: Input, character: str) -> None:
    """``character`` typed into ``field`` as its own key handler types one: over the
    selection, else at the cursor."""
    selection = field.selection
    if selection.is_empty:
        field.insert_text_at_cursor(character)
    else:
        field.replace(character, *selection)


class SubmittingInput(Input):
    """An input a newline submits as Enter does (see the module's docstring)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding(NEWLINE, "submit", show=False)]


class HandingOnInput(SubmittingInput):
    """An input whose Enter hands the focus on at once (``hand_on``), within the key's
    own binding: keys typed with the Enter (Down and Enter after a filter's words, to
    open a call it shows) then go where the focus went, not to this input, which the
    ``Submitted`` message, handled a turn later, would be too late for."""

    def __init__(self, *, hand_on: Callable[[], object], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._hand_on = hand_on

    async def action_submit(self) -> None:
        await super().action_submit()
        self._hand_on()
