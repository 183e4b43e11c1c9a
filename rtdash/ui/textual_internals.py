"""Every place rtdash relies on how Textual works inside, rather than on its documented
API, in one small module.

Each of these saves a cost that matters at contact-centre scale (a layout of the whole
screen on every poll; Textual's per-widget line cache copying every line of a tick),
and each depends on something Textual may change in any release. That is why
pyproject holds Textual to one minor version, and why tests/ui/test_textual_internals.py
checks each assumption on its own: when it fails after a Textual upgrade, change this
module (or drop the shortcut), not the widgets.
"""

from __future__ import annotations

from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget

#: the Textual versions these shortcuts were checked against (pyproject's range)
CHECKED_TEXTUAL = (8, 2)


def set_virtual_size_quietly(view: ScrollView, size: Size) -> None:
    """Give ``view`` a new virtual size and update its scrollbars, without the layout of
    the whole screen that assigning ``virtual_size`` starts.

    Only safe when the new size cannot move anything else on the screen (the caller
    knows: e.g. a table held at a fixed height). Uses ``Widget._scroll_update``, what
    the reactive's own watcher calls after the layout.
    """
    view.set_reactive(type(view).virtual_size, size)
    view._scroll_update(size)


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
