"""Numbers as large as their room: a 3×5 bitmap font scaled by whole cells.

Why a font of our own rather than a library: figlet-style fonts (pyfiglet) come in
fixed sizes, so a number could only jump between a few heights and would leave most of
a TV blank; Textual's ``Digits`` is three rows at every size. A bitmap glyph scaled by
integer factors fills any tile, and drawn with full and half blocks (``█ ▀ ▄``) it has
no anti-aliasing or box-drawing joins to go wrong, so it stays crisp in tmux and in
xterm.js (``rtdash serve``). A font pixel is ``w`` columns by ``h`` half-rows; a cell is
about twice as tall as wide, so ``w == h`` is a square pixel. The height may stretch
to twice the width (tall, condensed digits, as on LED boards) so a narrow tile still
uses its height.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text

GLYPHS: dict[str, tuple[str, ...]] = {
    "0": ("###", "#.#", "#.#", "#.#", "###"),
    "1": (".#.", "##.", ".#.", ".#.", "###"),
    "2": ("###", "..#", "###", "#..", "###"),
    "3": ("###", "..#", ".##", "..#", "###"),
    "4": ("#.#", "#.#", "###", "..#", "..#"),
    "5": ("###", "#..", "###", "..#", "###"),
    "6": ("###", "#..", "###", "#.#", "###"),
    "7": ("###", "..#", ".#.", ".#.", ".#."),
    "8": ("###", "#.#", "###", "#.#", "###"),
    "9": ("###", "#.#", "###", "..#", "###"),
    ":": (".", "#", ".", "#", "."),
    ".": (".", ".", ".", ".", "#"),
    # five wide: at three, the slash and its two dots read as a Z (or a 2)
    "%": ("##..#", "##.#.", "..#..", ".#.##", "#..##"),
    "–": ("...", "...", "###", "...", "..."),
    "-": ("...", "...", "###", "...", "..."),
    " ": ("..", "..", "..", "..", ".."),
}
#: font pixels between glyphs
GAP = 1
ROWS = 5
#: the most a pixel may be stretched: h half-rows per w columns
MAX_STRETCH = 2


def _glyph(char: str) -> tuple[str, ...]:
    return GLYPHS.get(char, GLYPHS["–"])


def text_pixels(text: str) -> int:
    """Width of ``text`` in font pixels, gaps included."""
    if not text:
        return 0
    return sum(len(_glyph(char)[0]) for char in text) + GAP * (len(text) - 1)


@dataclass(frozen=True, slots=True)
class Scale:
    #: columns per font pixel
    w: int
    #: half-rows per font pixel
    h: int

    @property
    def rows(self) -> int:
        return (ROWS * self.h + 1) // 2


def fit(text: str, width: int, height: int) -> Scale:
    """The largest scale at which ``text`` fits ``width`` columns by ``height`` rows;
    at least 1×1 (three rows), which is what a tile shows when it is cramped."""
    pixels = max(1, text_pixels(text))
    w = max(1, width // pixels)
    h = max(1, (height * 2) // ROWS)
    w = min(w, h)  # never wider than square
    h = min(h, w * MAX_STRETCH)
    return Scale(w, h)


def render_big(text: str, scale: Scale) -> list[str]:
    """The lines of ``text`` drawn at ``scale``: full blocks where both half-rows are
    set, half blocks at an odd edge."""
    pixel_rows: list[str] = []
    for row in range(ROWS):
        line = []
        for index, char in enumerate(text):
            if index:
                line.append(" " * (GAP * scale.w))
            for bit in _glyph(char)[row]:
                line.append(("█" if bit == "#" else " ") * scale.w)
        pixel_rows.extend(["".join(line)] * scale.h)
    if len(pixel_rows) % 2:
        pixel_rows.append(" " * len(pixel_rows[0]) if pixel_rows else "")
    lines = []
    for top, bottom in zip(pixel_rows[::2], pixel_rows[1::2], strict=True):
        cells = []
        for upper, lower in zip(top, bottom, strict=True):
            if upper != " " and lower != " ":
                cells.append("█")
            elif upper != " ":
                cells.append("▀")
            elif lower != " ":
                cells.append("▄")
            else:
                cells.append(" ")
        lines.append("".join(cells))
    return lines


def big_text(text: str, width: int, height: int, scale: Scale, style: str = "") -> Text:
    """``text`` at ``scale``, centred in ``width`` × ``height``; where even the smallest
    scale does not fit, the plain text (a number cut off would be a wrong number)."""
    lines = render_big(text, scale)
    if not lines or len(lines[0]) > width or len(lines) > height:
        return Text(text.center(width), style=style, no_wrap=True)
    pad_top = (height - len(lines)) // 2
    left = (width - len(lines[0])) // 2
    rows = [""] * pad_top + [" " * left + line for line in lines]
    return Text("\n".join(rows), style=style, no_wrap=True)
