"""The one place upstream text is made safe to show.

Every string that comes from the upstream (and from a recording, a config value shown
back, an error message) passes through :func:`clean` where it enters, so nothing
downstream (the TUI, CLI tables, stderr, the log file, CSV, replay) can write a control
byte to a terminal: an ``ESC ] 52`` in an agent's name would otherwise set the
supervisor's clipboard, an ``ESC [ 2 J`` or a CR would draw fake lines over the screen,
and a bidi override would make a number read backwards.

What is replaced, and by what:

- ESC becomes ``␛`` (visible, so an attack is noticed rather than hidden);
- line breaks (CR, LF, CRLF, VT, FF, NEL, U+2028/2029) become ``↵``;
- tab becomes a space;
- bidi embeddings, overrides, isolates and marks, the BOM and the tag characters are
  removed (they have no glyph; a visible mark would only add noise to right-to-left
  names, and tags carry text a screen never shows but a copy keeps);
- so is every other invisible format character (zero-width space and non-joiner, word
  joiner, soft hyphen, invisible operators and the like): a name that reads ``ZeroWidth``
  but holds one matched no ``/ZeroWidth`` filter and carried it into exports and the
  terminal. Only the format characters drawn as a sign (the Arabic number and year
  signs that stand before digits) are kept;
- what joins emoji into one picture (the zero-width joiner, the variation selectors, the
  skin-tone modifiers) is removed: the screen's layout counts a joined emoji as two
  cells, and a terminal that draws each code point (tmux, xterm) as two cells each,
  so a crafted name pushed every column after it; apart, both count the same;
- the Hangul fillers U+3164 and U+FFA0 are removed: printable yet blank (a name of
  them alone reads as no name), counted as no cell by the layout and drawn two and one
  cells wide by tmux, so they too pushed the columns after them;
- so are the other printable characters drawn as nothing: the Hangul choseong and
  jungseong fillers U+115F and U+1160 (U+115F as two blank cells), the combining
  grapheme joiner U+034F, the Khmer inherent vowels U+17B4 and U+17B5, the Mongolian
  free variation selectors and the variation selectors 1 to 14 and 17 to 256. The
  layout and a terminal measure them alike, but a name holding one reads as the name
  without it yet matched no filter typed as it reads (and one of fillers alone reads as
  no name); the letter a selector varies is kept;
- every other C0/C1 control, DEL and lone surrogate becomes ``�``.

Ordinary text costs one ``str.isprintable`` call (and, for text that is not ASCII, a
search for the printable characters above): the regular expression only runs on strings
that hold something unprintable (which includes harmless ones such as a no-break space).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

ESCAPE_MARK = "\u241b"  # ␛
LINE_MARK = "\u21b5"  # ↵
OTHER_MARK = "\ufffd"  # �

#: bidi embeddings/overrides/isolates/marks, the BOM and the tag characters (invisible:
#: text hidden in a name that a screen never shows but a copy carries), and the other
#: invisible format characters (Unicode category Cf but the signs drawn before digits):
#: removed. Not one is printable, so only the slow path below meets them
_REMOVED = (
    "\u00ad\u061c\u180e\u200b\u200c\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f"
    "\ufeff\ufff9-\ufffb\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0000-\U000e007f"
)
#: what joins emoji (ZWJ, variation selectors 15 and 16, skin tones) and the blank
#: Hangul fillers whose width the layout and a terminal disagree on: removed
_MISMEASURED = "\u200d\ufe0e\ufe0f\U0001f3fb-\U0001f3ff\u3164\uffa0"
#: printable characters drawn as nothing (the other Hangul fillers, the combining
#: grapheme joiner, the Khmer inherent vowels, the other variation selectors): removed
_UNSEEN = "\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180d\u180f\ufe00-\ufe0d\U000e0100-\U000e01ef"
#: all printable but the ZWJ, so text that is not ASCII is searched for them (and
#: rtdash/api/_line_read_values.h leaves a line holding one to this module)
_PRINTABLE_DROPPED = _MISMEASURED + _UNSEEN
_PRINTABLE_DROPPED_FOUND = re.compile(f"[{_PRINTABLE_DROPPED}]")
#: what has no mark: taken out (the rest of what is unsafe is replaced, below)
_DROPPED = re.compile(f"[{_REMOVED}{_PRINTABLE_DROPPED}]")
_UNSAFE = re.compile(
    "\r\n|[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff" + _REMOVED + _PRINTABLE_DROPPED + "]"
)
_REPLACEMENT = {
    "\x1b": ESCAPE_MARK,
    "\r\n": LINE_MARK,
    "\n": LINE_MARK,
    "\r": LINE_MARK,
    "\x0b": LINE_MARK,
    "\x0c": LINE_MARK,
    "\x85": LINE_MARK,
    "\u2028": LINE_MARK,
    "\u2029": LINE_MARK,
    "\t": " ",
}

#: containers nested deeper than this in one row are refused (the log, ``--json`` and
#: a recording all walk them recursively)
MAX_DEPTH = 32


class TooDeep(ValueError):
    """A value nests containers deeper than :data:`MAX_DEPTH`."""


def _replace(match: re.Match[str]) -> str:
    found = match.group()
    if _DROPPED.fullmatch(found):
        return ""
    return _REPLACEMENT.get(found, OTHER_MARK)


def plain(text: str) -> bool:
    """True when :func:`clean` leaves ``text`` as it is, at the cost of its fast path
    (for readers that only call it on text that is not)."""
    return text.isprintable() and (text.isascii() or _PRINTABLE_DROPPED_FOUND.search(text) is None)


def clean(text: str) -> str:
    """``text`` with nothing a terminal would act on (see the module docstring)."""
    if plain(text):
        return text
    return _UNSAFE.sub(_replace, text)


def is_clean(text: str) -> bool:
    """True when :func:`clean` would leave ``text`` as it is (for tests and checks)."""
    return _UNSAFE.search(text) is None


def clean_value(value: Any, depth: int = 0) -> Any:
    """A decoded JSON value with every string in it (keys too) cleaned.

    Raises :class:`TooDeep` past :data:`MAX_DEPTH` and ``ValueError`` for a float that
    is not finite, so the caller can count the row unreadable.
    """
    kind = type(value)
    if kind is str:
        return clean(value)
    if kind is int or kind is bool or value is None:
        return value
    if kind is float:
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError("not a finite number")
        return value
    if depth >= MAX_DEPTH:
        raise TooDeep(f"nested more than {MAX_DEPTH} deep")
    if isinstance(value, Mapping):
        return {clean(str(key)): clean_value(item, depth + 1) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [clean_value(item, depth + 1) for item in value]
    return clean(str(value))


def clean_lines(text: str) -> str:
    """Each line of ``text`` made safe, its line breaks kept: for messages of several
    lines that rtdash wrote itself around quoted values."""
    if plain(text):
        return text
    return "\n".join(clean(line) for line in text.split("\n"))


def one_line(text: str, limit: int = 160) -> str:
    """``text`` cleaned, its whitespace runs made one space, and cut at ``limit``: for
    error messages quoted from the upstream."""
    flat = " ".join(clean(text).replace(LINE_MARK, " ").split())
    return flat[:limit] + ("…" if len(flat) > limit else "")
