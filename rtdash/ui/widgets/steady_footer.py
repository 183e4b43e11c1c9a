"""The dashboard's Footer: Textual's, composed again only when its keys change, and
narrowed by whole keys on a terminal too narrow for all of them.

Textual's Footer lays its keys out in a row and clips the row at the right edge: on a
narrow terminal the keys a supervisor needs most, ``?`` (which lists every other key)
and Quit, were the ones cut off, and the last key left showed half its word
("Refre"). Here the keys that do not fit are hidden whole, the least needed first.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

from textual.app import ComposeResult
from textual.events import Resize
from textual.widget import Widget
from textual.widgets import Footer

from rtdash.ui.commands import COMMANDS
from rtdash.ui.textual_internals import FOOTER_PALETTE, footer_keys

#: the Footer's keys by action, in the order they give way as the terminal narrows,
#: first to go first. Help goes last: it lists every key, those hidden included; Quit
#: next to last. Refresh and pause go first: the status line already says how old the
#: data is and whether polling is paused. The tables' Enter (``select_cursor``) is the
#: screen's lookup offered from a table. A key not named here (a replay's seek) goes
#: before all of these, and with its pair (:func:`goes_with`).
GIVES_WAY: tuple[str, ...] = (
    "refresh",
    "pause",
    "resume",
    "lookup_number",
    "filter",
    "select_cursor",
    "lookup_selected",
    FOOTER_PALETTE,
    "app.quit",
    "help",
)

#: each grouped command's action -> its group's first action: a pair the help lists on
#: one row ("← → 10 s back or forward") gives way as one. The replay's seek keys went
#: one at a time, and a footer with "← -10 s" but no "→ +10 s" read as if there was no
#: way forward
_ACTION_OF = {command.id: command.action for command in COMMANDS}
_GROUP_OF = {
    _ACTION_OF[member]: _ACTION_OF[command.group[0]]
    for command in COMMANDS
    for member in command.group
}


def keys_kept(
    widths: Sequence[int],
    ranks: Sequence[int],
    room: int,
    together: Sequence[Hashable] | None = None,
) -> list[bool]:
    """Which keys stay, in their order on the line: keys are dropped, the lowest rank
    first (of an equal rank, the rightmost first), until what is left fits ``room``
    cells. A key is shown whole or not at all; keys with the same ``together`` value
    (a pair, back and forward) are dropped as one, at the lowest rank among them and
    the place of the rightmost."""
    bundles = list(range(len(widths))) if together is None else list(together)
    members: dict[Hashable, list[int]] = {}
    for index, bundle in enumerate(bundles):
        members.setdefault(bundle, []).append(index)
    kept = [True] * len(widths)
    total = sum(widths)
    order = sorted(members.values(), key=lambda keys: (min(ranks[i] for i in keys), -max(keys)))
    for keys in order:
        if total <= room:
            break
        for index in keys:
            kept[index] = False
            total -= widths[index]
    return kept


def goes_with(action: str) -> str:
    """The action whose key ``action``'s key gives way with: the first of its help
    row's group (the replay's back and forward), so neither is shown without the
    other; itself for a key of no group."""
    return _GROUP_OF.get(action, action)


def gives_way_rank(action: str) -> int:
    """How long the key for ``action`` stays as the terminal narrows: higher stays
    longer."""
    return GIVES_WAY.index(action) + 1 if action in GIVES_WAY else 0


def key_width(key: Widget, footer: Widget) -> int:
    """The cells ``key`` takes on the line: its words with their padding, its own
    padding and border (the palette key's rule) and its margins."""
    styles = key.styles
    content = key.get_content_width(footer.size, footer.size)
    return content + styles.gutter.width + styles.margin.width


class SteadyFooter(Footer):
    """Textual's Footer, composed again only when what it shows would change, and
    showing only the keys that fit whole.

    The stock Footer composes all its keys anew after every change of the screen's
    bindings (a focus moving, a widget mounting), one compose for each: several in a
    row while the dashboard starts, each mounting and styling every key again."""

    _shown: tuple[object, ...] | None = None

    def _bindings_shown(self) -> tuple[object, ...]:
        return (
            self.show_command_palette,
            self.compact,
            tuple(
                (
                    key,
                    binding.key,
                    binding.action,
                    binding.description,
                    binding.show,
                    binding.key_display,
                    id(binding.group),
                    enabled,
                    tooltip,
                )
                for key, (_, binding, enabled, tooltip) in self.screen.active_bindings.items()
            ),
        )

    def compose(self) -> ComposeResult:
        keys = list(super().compose())
        self._shown = self._bindings_shown() if keys else None  # none: not ready yet
        yield from keys

    async def recompose(self) -> None:
        if getattr(self.app, "holding_first_frame", False):
            # its keys come just after the first frame (DashboardScreen.release_paint):
            # the line is there, empty, so nothing above it moves when they do
            return
        if self._shown is not None and self._shown == self._bindings_shown():
            return
        await super().recompose()
        self.fit_keys()  # the new keys, before they are first drawn

    def on_resize(self, event: Resize) -> None:
        self.fit_keys()

    def fit_keys(self) -> None:
        """Show the keys that fit the line whole, hide the others (see
        :data:`GIVES_WAY`). Not laid out yet (no width): every key, until it is."""
        room = self.size.width
        if room <= 0:
            return
        keys = footer_keys(self)
        widths = [key_width(key, self) for key, _ in keys]
        # a key grouped with others (Textual's binding groups, which rtdash has none
        # of) is not ours to hide: such a group keeps its room
        ours = {key for key, _ in keys}
        others = sum(child.outer_size.width for child in self.children if child not in ours)
        ranks = [gives_way_rank(action) for _, action in keys]
        together = [goes_with(action) for _, action in keys]
        fits = keys_kept(widths, ranks, room - others, together)
        for (key, _), kept in zip(keys, fits, strict=True):
            key.display = kept
