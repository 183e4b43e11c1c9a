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
(:class:`TypeaheadInput`, the tables): a terminal not yet in raw mode sends Enter as
one (its line discipline turns the return into a newline), so ``l``, a number and
Enter typed while the app was still starting over a slow link arrive with a newline
for their Enter; typed, ctrl+j is Enter in a shell too. Bound, not re-sent: it is
handled in its turn among the keys that came with it.

Not covered: a key of a later packet that comes in after the focus moved goes straight
to the input, ahead of keys of the packet before still on their way back up from the
old focus. That takes an event loop busy for longer than the gap between two packets.
"""

from __future__ import annotations

import functools
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


class TypeaheadInput(Input):
    """An input that keeps keys typed ahead in their order, and that a newline submits
    as Enter does (see the module's docstring).

    Textual's ``Input`` types a character in its own key handler, but runs the key of
    a binding (Backspace, Enter, the arrows) only once the key has gone up to the app:
    with keys that come in one read, every character was typed before any Backspace or
    Enter among them ran ('07700 9', then seven Backspaces and '020 7946 0018' and
    Enter at once, looked up '07700 9020 79'). Here a key this input binds runs its
    action as it comes, in turn with the characters; the action is the one the app
    would have found first anyway, the focused widget's own."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding(NEWLINE, "submit", show=False)]

    async def on_key(self, event: events.Key) -> None:
        # Textual calls each class's own key handler in turn, this one first: Input's
        # comes next, types a character and shows the cursor again. A key that came
        # after the focus moved on (an Enter handed it on) goes up to the app, which
        # finds the new focus's binding for it, as before
        if event.is_printable or self.screen.focused is not self:
            return
        actions = _bound_actions(type(self))
        action = next((actions[key] for key in event.aliases if key in actions), None)
        if action is not None and await self.app.run_action(action, self):
            event.stop()  # run: not again by the app's bindings
        # else unbound here, or the action stepped aside (copy with nothing selected):
        # the key goes up to the app's bindings, as it always did


@functools.cache
def _bound_actions(kind: type[Input]) -> dict[str, str]:
    """The keys an input class binds (its own and those it inherits), to their
    actions; a subclass's binding of a key replaces its base's."""
    actions: dict[str, str] = {}
    for klass in reversed(kind.__mro__):
        for binding in Binding.make_bindings(klass.__dict__.get("BINDINGS", ())):
            actions[binding.key] = binding.action
    return actions


class HandingOnInput(TypeaheadInput):
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
