"""The dashboard's Footer: Textual's, composed again only when its keys change, and
narrowed by whole keys on a terminal too narrow for all of them.

Textual's Footer lays its keys out in a row and clips the row at the right edge: on a
narrow terminal the keys a supervisor needs most, ``?`` (which lists every other key)
and Quit, were the ones cut off, and the last key left showed half its word
("Refre"). Here the keys that do not fit are hidden whole, the least needed first.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.events import Resize
from textual.widget import Widget
from textual.widgets import Footer

from rtdash.ui.textual_internals import FOOTER_PALETTE, footer_keys

#: the Footer's keys by action, in the order they give way as the terminal narrows,
#: first to go first. Help goes last: it lists every key, those hidden included; Quit
#: next to last. Refresh and pause go first: the status line already says how old the
#: data is and whether polling is paused. The tables' Enter (``select_cursor``) is the
#: screen's lookup offered from a table. A key not named here (a replay's seek) goes
#: before all of these.
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


def keys_kept(widths: Sequence[int], ranks: Sequence[int], room: int) -> list[bool]:
    """Which keys stay, in their order on the line: keys are dropped, the lowest rank
    first (of an equal rank, the rightmost first), until what is left fits ``room``
    cells. A key is shown whole or not at all."""
    kept = [True] * len(widths)
    total = sum(widths)
    by_rank = sorted(range(len(widths)), key=lambda index: (ranks[index], -index))
    for index in by_rank:
        if total <= room:
            break
        kept[index] = False
        total -= widths[index]
    return kept


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
        for (key, _), kept in zip(keys, keys_kept(widths, ranks, room - others), strict=True):
            key.display = kept
