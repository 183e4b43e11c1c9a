"""The hostile text the hostile tests send, in one place, by what each value attacks:
so a path a value enters by (a big body's C line reader, say) can be given all of
them, not the few its own test thought of.

Each value is text as an upstream means it; :mod:`tests.hostile.test_line_reader`
writes it the ways a body can carry it (UTF-8, ``\\u`` escapes, raw bytes). What no
JSON text can carry as text (bytes that are not UTF-8) is in :data:`NOT_UTF8`.
"""

from __future__ import annotations

from tests.hostile.upstream import BRACKETED, HOSTILE, MARKUP_QUEUE, OSC52, RAW_SEQUENCES, TITLE

#: characters the fuzzing draws on besides any UTF-8 (tests/hostile/test_fuzz.py)
HOSTILE_CHARACTERS = [
    "\x1b",
    "\r",
    "\n",
    "\x08",
    "\x07",
    "\x7f",
    "\x9b",
    "\u202e",
    "\u2066",
    "[",
    "]",
    "/",
]

#: emoji joined into one picture: a family (ZWJ), a heart in colour (VS16), a keycap
JOINED_NAMES = ["Ann 👨\u200d👩\u200d👧 x", "Bo ❤\ufe0f y", "Di 1\ufe0f\u20e3 w"]

#: (call reference, displayName, dgrpName) as sent, and as shown: each joiner case on
#: its own (the others plain), so no row is left to Python for another reason. The
#: variation selectors and skin tones are printable: the C reader's own test must refuse
#: them; a ZWJ or a tag is refused there as unprintable already
JOINED_ROWS = [
    (("c-{}", "Agent {}", "Sales line"), ("c-{}", "Agent {}", "Sales line")),
    (("c-{}", "Bo ❤\ufe0f y", "Sales line"), ("c-{}", "Bo ❤ y", "Sales line")),
    (("c-{}", "Cy 👍\U0001f3fd z", "Sales line"), ("c-{}", "Cy 👍 z", "Sales line")),
    (("c-{}", "Di 1\ufe0f\u20e3 w", "Sales line"), ("c-{}", "Di 1\u20e3 w", "Sales line")),
    (("c-{}", "Agent {}", "Sales ☎\ufe0e line"), ("c-{}", "Agent {}", "Sales ☎ line")),
    (("c-{}-👋\U0001f3ff", "Agent {}", "Sales line"), ("c-{}-👋", "Agent {}", "Sales line")),
    (
        ("c-{}", "Ann 👨\u200d👩\u200d👧 x", "Flag 🏴\U000e0067\U000e0062\U000e007f"),
        ("c-{}", "Ann 👨👩👧 x", "Flag 🏴"),
    ),
    # the Hangul fillers: blank, printable, and of another width to a terminal
    (("c-{}", "Eve\u3164Lee", "Sales\uffa0line"), ("c-{}", "EveLee", "Salesline")),
]

#: blank Hangul fillers: the layout counts them as no cell, tmux as two (U+3164) and
#: one (U+FFA0)
FILLED_NAMES = ["Eve\u3164Lee", "\u3164\u3164", "Bo\uffa0x"]

#: printable characters drawn as nothing (U+115F as two blank cells), each measured
#: alike by the layout and a terminal: the Hangul choseong and jungseong fillers, the
#: combining grapheme joiner, the Khmer inherent vowels, the Mongolian free variation
#: selectors and the variation selectors 1 to 14 and 17 to 256
UNSEEN = [
    "\u115f",
    "\u1160",
    "\u034f",
    "\u17b4",
    "\u17b5",
    *map(chr, [0x180B, 0x180C, 0x180D, 0x180F]),
    *map(chr, range(0xFE00, 0xFE0E)),
    *map(chr, range(0xE0100, 0xE01F0)),
]

#: names holding them, each with the name it reads as: one of each kind (the ends of a
#: run), where such a name has them (after the letter a selector varies), and one of
#: fillers alone
UNSEEN_NAMES = [
    ("Eve\u115fLee", "EveLee"),
    ("\u115f\u1160", ""),
    ("Ha\u1100\u1160n", "Ha\u1100n"),
    ("Jo\u034fe", "Joe"),
    ("Sok \u1780\u17b4\u17b5", "Sok \u1780"),
    ("Bat \u1820\u180b\u1821\u180f", "Bat \u1820\u1821"),
    ("Mo \u2205\ufe00 x\ufe0d", "Mo \u2205 x"),
    ("Kai \u845b\U000e0100\u57ce\U000e01ef", "Kai \u845b\u57ce"),
]

#: text hidden in a name in tag characters (a screen never shows it, a copy keeps it)
TAGGED = "Ann" + "".join(chr(0xE0000 + ord(char)) for char in "ignore all rules") + " Lee"

#: long enough to be a cost where a value is scanned a character at a time
LONG = 5_000

#: every hostile text value, by what it is
TEXTS: dict[str, str] = {
    "the hostile name": HOSTILE,
    "OSC 52, set the clipboard": OSC52,
    "OSC 0, retitle the window": TITLE,
    **{f"sequence {sequence!r}": sequence for sequence in RAW_SEQUENCES},
    "OSC 0 in a call reference": "c-\x1b]0;x\x07",
    "CSI, clear the screen": "a\x1b[2Jb",
    "line breaks": "one\r\ntwo\nthree\rfour",
    "BEL, BS, DEL, C1 CSI, NUL": "\x07\x08\x7f\x9b\x00",
    "bidi override and isolates": "abc\u202edef\u2066x\u2069",
    "tab": "tab\there",
    "tag characters": TAGGED,
    "Rich markup": MARKUP_QUEUE,
    "brackets": BRACKETED,
    "printable text, not ASCII": "Zoë 😀 café",
    **{f"joined emoji {name!r}": name for name in JOINED_NAMES},
    **{
        f"joined emoji {text!r}": text
        for sent, _ in JOINED_ROWS
        for text in sent
        if "{}" not in text
    },
    "skin tone": "Cy 👍\U0001f3fd z",
    **{f"Hangul filler {name!r}": name for name in FILLED_NAMES},
    **{f"unseen {name!r}": name for name, _ in UNSEEN_NAMES},
    **{f"U+{ord(char):04X} inside": f"a{char}b" for char in HOSTILE_CHARACTERS},
    "C1 NEL": "a\x85b",
    "C1 OSC, ended by C1 ST": "\x9d0;PWNED\x9c",
    "C1 DCS": "a\x90qb",
    "line separator": "a\u2028b",
    "paragraph separator": "a\u2029b",
    "BOM": "\ufeffx",
    "zero-width space": "a\u200bb",
    "zero-width non-joiner": "a\u200cb",
    "zero-width joiner": "\u200dx",
    "word joiner": "a\u2060b",
    "Arabic letter mark": "a\u061cb",
    "left-to-right and right-to-left marks": "a\u200eb\u200f",
    "spaces at the ends": " x ",
    "a tab alone": "\t",
    "a space alone": " ",
    "no-break spaces at the ends": "\u00a0x\u00a0",
    "ideographic space first": "\u3000x",
    "quotes and backslash": '"quoted" back\\slash',
    "lone high surrogate": "a\ud800b",
    "lone low surrogate": "a\udc00b",
    "surrogates reversed": "\udc00\ud800",
    "long": "x" * LONG,
    "long, a bidi override last": "x" * LONG + "\u202e",
    "long, a skin tone last": "x" * LONG + "\U0001f3fb",
    "long run of escapes": "\x1b[" * (LONG // 2),
}

#: bytes that are not UTF-8, as an upstream may put them in a value
NOT_UTF8: dict[str, bytes] = {
    "an overlong slash": b"a\xc0\xafb",
    "an encoded surrogate": b"a\xed\xa0\x80b",
    "Latin-1": b"caf\xe9",
    "a byte never in UTF-8": b"a\xffb",
    "a character cut short": b"a\xe2\x82",
    "an overlong NUL": b"a\xc0\x80b",
    "an overlong ESC": b"\xc0\x9b[2J",
}
