"""Every place rtdash relies on how Textual works inside, rather than on its documented
API, in one small module (and one more: a strip's caches, :mod:`rtdash.ui.strip_caches`).

Each of these saves a cost that matters at contact-centre scale (a layout of the whole
screen on every poll; Textual's per-widget line cache copying every line of a tick),
and each depends on something Textual may change in any release. That is why
pyproject holds Textual to one minor version, and why tests/ui/test_textual_internals.py
checks each assumption on its own: when it fails after a Textual upgrade, change this
module (or drop the shortcut), not the widgets.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import pairwise
from math import ceil
from typing import Any

from rich.console import Console
from rich.segment import Segment
from textual.app import App
from textual.events import ScreenResume
from textual.geometry import Region, Size
from textual.notifications import Notification
from textual.screen import Screen
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollBar
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from rtdash.ui.strip_caches import divide_once

#: the Textual versions these shortcuts were checked against (pyproject's range)
CHECKED_TEXTUAL = (8, 2)


def set_virtual_size_quietly(view: ScrollView, size: Size) -> None:
    """Give ``view`` a new virtual size and update its scrollbars, without the layout of
    the whole screen that assigning ``virtual_size`` starts.

    Only safe when the new size cannot move anything else on the screen (the caller
    knows: e.g. a table held at a fixed height). Does what ``Widget._scroll_update``
    (what the reactive's own watcher calls after the layout) does, except that a
    scrollbar is repainted only when what it draws changes: a table of thousands of
    rows gains or loses a few on most polls, and its thumb, a cell or less, stays put.
    """
    view.set_reactive(type(view).virtual_size, size)
    view._refresh_scrollbars()
    width, height = view.container_size
    if view.show_vertical_scrollbar and view.styles.scrollbar_size_vertical:
        window = height - view.scrollbar_size_horizontal
        _set_scrollbar(view.vertical_scrollbar, size.height, window)
    if view.show_horizontal_scrollbar and view.styles.scrollbar_size_horizontal:
        window = width - view.scrollbar_size_vertical
        _set_scrollbar(view.horizontal_scrollbar, size.width, window)
    view.scroll_x = view.validate_scroll_x(view.scroll_x)
    view.scroll_y = view.validate_scroll_y(view.scroll_y)


def _set_scrollbar(bar: ScrollBar, virtual_size: int, window_size: int) -> None:
    """``bar``'s window and virtual size, set without the repaint each reactive asks
    for; the bar is repainted once if its drawing changed."""
    before = scrollbar_drawing(bar)
    bar.set_reactive(ScrollBar.window_virtual_size, virtual_size)
    bar.set_reactive(ScrollBar.window_size, window_size)
    if scrollbar_drawing(bar) != before:
        bar.refresh()


def scrollbar_drawing(bar: ScrollBar) -> list[Segment]:
    """The segments ``bar`` draws along its length, as far as its window, virtual size
    and position decide them (its colours aside), by its own renderer's rules."""
    window_size = bar.window_size if bar.window_size < bar.window_virtual_size else 0
    length = bar.outer_size.height if bar.vertical else bar.outer_size.width
    segments = bar.renderer.render_bar(
        size=length,
        virtual_size=ceil(bar.window_virtual_size),
        window_size=ceil(window_size),
        position=bar.position,
        thickness=bar.thickness,
        vertical=bar.vertical,
    )
    return list(segments.segments)


def has_plain_box(widget: Widget) -> bool:
    """Whether Textual's per-widget style cache would only copy ``widget``'s lines: no
    border, outline, padding, tint, opacity or hatch, which are what that cache adds."""
    styles = widget.styles
    return (
        not any(edge for edge, _ in styles.border)
        and not any(edge for edge, _ in styles.outline)
        and not any(styles.padding)
        and not styles.tint.a
        and widget.opacity == 1.0
        and styles.text_opacity == 1.0
        and not (styles.has_rule("hatch") and styles.hatch != "none")
    )


def lines_past_style_cache(widget: Widget, crop: Region) -> list[Strip]:
    """What ``Widget.render_lines`` returns for a widget with a plain box (see
    :func:`has_plain_box`), straight from its ``render_line``: the compositor calls
    ``render_lines``, and the cache behind it is Textual's own. The caller applies the
    app's line filters itself, which the cache would otherwise do."""
    render_line = widget.render_line
    strips = [render_line(y) for y in crop.line_range]
    x1, x2 = crop.column_span
    if (x1, x2) != (0, widget.size.width):
        strips = [strip.crop(x1, x2) for strip in strips]
    return strips


@lru_cache(maxsize=4096)
def _move_to(x: int, y: int) -> str:
    """The escape code that puts the cursor at (x, y), as ``Control.move_to`` writes it."""
    return f"\x1b[{y + 1};{x + 1}H"


def _render_chops(update: Any, console: Console) -> str:
    """``ChopsUpdate.render_segments``, the same bytes, without a ``Control`` object
    made for each cursor move (a tick writes a hundred pieces or more)."""
    sequences: list[str] = []
    append = sequences.append
    chops = update.chops
    chop_ends = update.chop_ends
    last_y = update.spans[-1][0]
    for y, x1, x2 in update.spans:
        line = chops[y]
        for end, (x, strip) in zip(chop_ends[y], line.items(), strict=False):
            if strip is None or x > x2 or end <= x1:
                continue
            if not (x2 > x >= x1 and end <= x2):
                strip = strip.crop(0, min(end, x2) - x)
            append(_move_to(x, y))
            append(strip.render(console))
        if y != last_y:
            append("\n")
    return "".join(sequences)


#: what :func:`footer_keys` names the command palette's key by: it runs no action of ours
FOOTER_PALETTE = "command palette"


def footer_keys(footer: Footer) -> list[tuple[Widget, str]]:
    """The keys ``footer`` shows in its row, each with the action it runs
    (:data:`FOOTER_PALETTE` for the command palette's). Textual exports neither the
    keys' class (``FooterKey``) nor a name for the palette's key, only its class
    ``-command-palette``; a key inside one of Textual's binding groups is not listed."""
    return [
        (child, FOOTER_PALETTE if child.has_class("-command-palette") else child.action)
        for child in footer.children
        if isinstance(child, FooterKey)
    ]


def withdraw_notification(app: App[Any], notification: Notification) -> None:
    """Take a toast down before its timeout. Textual has no public call for it: a click
    on the toast does this (``Toast._on_click``). Marked expired first, so one whose
    ``Notify`` is still queued is never mounted when it arrives."""
    notification.timeout = 0
    app._unnotify(notification)


def render_only_dirty_lines() -> None:
    """Make Textual's partial screen updates render only the widgets, and the lines of
    them, that a dirty region touches.

    Textual (8.2) renders a partial update by cropping to the *bounding box* of all the
    dirty regions and asking every widget in that box for every one of its lines there,
    then keeping only the dirty lines. A dashboard's one-second tick dirties a few
    cells at the top (a headline number), down the middle (times in the tables) and at
    the bottom (the status line): the box is the whole screen, so every label, tile,
    scrollbar and container rendered its lines each second to paint a few dozen cells.
    Here each widget renders only its lines that a dirty region overlaps, and one no
    dirty region touches renders nothing. And Textual writes every piece of a line
    between two widget edges ("chop") that a dirty span touches whole, from its start:
    a table line whose time moved went out in full, about 160 cells a line a second
    at 160 columns, over SSH too. Here the dirty spans' ends cut the chops as well, so
    only the cells of dirty regions are written. What the screen shows is the same
    (tests/ui/test_textual_internals.py compares it cell by cell with a full render).
    Installed once by the app (idempotent).
    """
    from textual import _compositor

    compositor = _compositor.Compositor
    if getattr(compositor.render_partial_update, "_rtdash", False):
        return

    class Chops(_compositor.ChopsUpdate):
        """A partial update written by :func:`_render_chops`."""

        def render_segments(self, console: Console) -> str:
            return _render_chops(self, console)

    def render_partial_update(self: _compositor.Compositor) -> _compositor.ChopsUpdate | None:
        screen_region = self.size.region
        update_regions = [region.intersection(screen_region) for region in self._dirty_regions]
        update_regions = [region for region in update_regions if region]
        self._dirty_regions.clear()
        if not update_regions:
            return None
        spans = list(self._regions_to_spans(update_regions))
        cuts = _cuts_at_spans(self.cuts, spans)
        chops = _dirty_chops(self, spans, cuts)
        chop_ends = [cut_set[1:] for cut_set in cuts]
        return Chops(chops, spans, chop_ends)

    # a function attribute marks ours, so a second install is a no-op
    render_partial_update._rtdash = True  # type: ignore[attr-defined]
    # the point of this function: Textual's method replaced on its class
    compositor.render_partial_update = render_partial_update  # type: ignore[method-assign]


def _cuts_at_spans(cuts: list[list[int]], spans: list[tuple[int, int, int]]) -> list[list[int]]:
    """The compositor's cuts (where widgets start and end on each line), with a cut
    added at each end of each dirty span: a chop is written whole from its start, so a
    table line whose only change is a time would otherwise be sent in full."""
    edges: dict[int, set[int]] = {}
    for y, x1, x2 in spans:
        edges.setdefault(y, set()).update((x1, x2))
    if not edges:
        return cuts
    split = list(cuts)
    for y, more in edges.items():
        split[y] = sorted(more.union(cuts[y]))
    return split


def _dirty_chops(
    compositor: Any, spans: list[tuple[int, int, int]], cuts: list[list[int]]
) -> list[Any]:
    """``Compositor._render_chops`` for the chops inside dirty spans only (the cuts are
    made at the spans' ends, so each chop is wholly in a span or wholly out of it).

    Widgets come front to back and the front one's piece of a chop wins, so a widget
    is asked only for its lines where a chop in a span is still empty, and only for the
    columns of those chops: a container behind a table whose times ticked renders
    nothing (it rendered every one of those lines to have them thrown away), and the
    table renders its time columns, not its lines. Chops outside the spans stay empty,
    and an empty chop is not written (not even the cursor move to it)."""
    chops: list[dict[int, Strip | None]] = [dict.fromkeys(cut_set[:-1]) for cut_set in cuts]
    #: by line, where each empty chop in a span starts -> where it ends
    empty: dict[int, dict[int, int]] = {}
    for y, x1, x2 in spans:
        for start, end in pairwise(cuts[y]):
            if x1 <= start < x2:
                empty.setdefault(y, {})[start] = end
    for widget, (region, clip) in compositor.visible_widgets.items():
        if not empty:
            break
        visible = region.intersection(clip)
        if not visible:
            continue
        first_cut, last_cut = visible.column_span
        top_line, bottom_line = visible.y, visible.bottom
        wanted: dict[int, list[int]] = {}
        # the widget's lines or the lines left to fill, whichever are fewer
        lines = range(top_line, bottom_line) if bottom_line - top_line < len(empty) else empty
        for y in lines:
            starts = empty.get(y)
            if starts is not None and top_line <= y < bottom_line:
                mine = [start for start in starts if first_cut <= start < last_cut]
                if mine:
                    wanted[y] = mine
        for top, bottom in _runs(sorted(wanted)):
            band_lines = range(top, bottom)
            left = min(min(wanted[y]) for y in band_lines)
            right = max(empty[y][start] for y in band_lines for start in wanted[y])
            band = Region(left, top, right - left, bottom - top)
            strips = widget.render_lines(band.translate((-region.x, -region.y)))
            for y, strip in zip(band_lines, strips, strict=False):
                starts = empty[y]
                chops_line = chops[y]
                edges = [left, *(cut for cut in cuts[y] if left < cut < right), right]
                length = strip.cell_length
                pieces = divide_once(strip, [c - left for c in edges[1:] if c - left <= length])
                for edge, piece in zip(edges, pieces, strict=False):
                    if edge in starts:
                        chops_line[edge] = piece
                        del starts[edge]
                if not starts:
                    del empty[y]
    return chops


def _runs(lines: list[int]) -> list[tuple[int, int]]:
    """Sorted line numbers as runs: [1, 2, 3, 7] -> [(1, 4), (7, 8)] (end exclusive)."""
    runs: list[tuple[int, int]] = []
    for y in lines:
        if runs and runs[-1][1] == y:
            runs[-1] = (runs[-1][0], y + 1)
        else:
            runs.append((y, y + 1))
    return runs


class PaintHold(Screen[object]):
    """A screen that is laid out as usual but not painted while :meth:`paint_held`
    says so, and painted whole, once, by :meth:`release_paint`.

    The dashboard holds its first frame back until the first answer is in: no empty
    dashboard is rendered only to be drawn over a moment later. The layout goes on
    meanwhile, so the widgets know their sizes when the data is drawn (a table sizes
    its columns to its width). Overrides ``Screen._compositor_refresh``, through which
    every paint of a screen goes, and, on the first resume, ``ScreenResume``'s
    ``refresh_styles``.
    """

    _paint_was_held = False
    _layout_was_held = False
    _resumed = False
    #: the size :meth:`release_layout` laid the screen out at, while the paint is held
    _released_at: Size | None = None

    def paint_held(self) -> bool:
        return False

    def _on_screen_resume(self, event: ScreenResume) -> None:
        """The first resume, while held, does not style the whole screen again: its
        widgets were styled as they mounted, a moment ago, and nothing has changed
        since (a later resume, after a theme change say, still does)."""
        if not self._resumed and self.paint_held():
            event.refresh_styles = False
        self._resumed = True
        super()._on_screen_resume(event)

    def layout_held(self) -> bool:
        return False

    def _refresh_layout(self, size: Size | None = None, scroll: bool = False) -> None:
        if self.layout_held():
            self._layout_was_held = True
            return
        super()._refresh_layout(size, scroll)

    def release_layout(self) -> None:
        """The layout held back, now, at the app's size (nothing if none was asked
        for); painted only once :meth:`release_paint` is called."""
        if self._layout_was_held:
            self._layout_was_held = False
            self._released_at = self.app.size
            self._refresh_layout(self._released_at)

    def _screen_resized(self, size: Size) -> None:
        """Between :meth:`release_layout` and the first paint, a resize to the size the
        screen was just laid out at is not laid out again. The app tells its screens
        the terminal's size when it is next idle (``App._check_resize``), which, after
        a start spent busy, is just after the held layout: the whole screen would be
        arranged again, once for each screen that hears it, to find every widget
        where it is. A layout a widget asks for still comes (``_layout_required``);
        any other size is laid out as usual."""
        if size == self._released_at and self.paint_held():
            return
        super()._screen_resized(size)

    def _compositor_refresh(self) -> None:
        if self.paint_held():
            self._paint_was_held = True
            return
        super()._compositor_refresh()

    def release_paint(self) -> None:
        """Paint the whole screen at the next refresh, if a paint was held back."""
        self._released_at = None
        if self._paint_was_held:
            self._paint_was_held = False
            self.refresh()
