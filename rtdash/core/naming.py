"""What an installation is called on screen: the name the config gives it, else the name
the service itself uses (``igrpName``, which the Real Time routes send only in a lookup
answer), else its number. Textual-free: the app asks for labels and is told when one
changes, so the tabs and the status line follow the first lookup.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

#: a name from upstream is cut to this: a tab bar holds several
MAX_NAME = 40

Listener = Callable[[int, str], None]


def clean_name(name: str | None) -> str | None:
    """One line of printable text, or None: upstream text is not trusted to be tidy."""
    if not name:
        return None
    text = " ".join("".join(ch if ch.isprintable() else " " for ch in name).split())
    if not text:
        return None
    return text if len(text) <= MAX_NAME else text[: MAX_NAME - 1] + "…"


def label_for(igrp: int | None, name: str | None) -> str:
    """``Northwind (1234)``, or ``installation 1234`` without a name."""
    return f"{name} ({igrp})" if name else f"installation {igrp}"


#: the two shapes :func:`label_for` gives, read back; the id is always last
_NAMED = re.compile(r"(?P<name>.+) \((?P<igrp>\d+)\)")
_UNNAMED = re.compile(r"installation (?P<igrp>\d+)")


class LabelParts(NamedTuple):
    """A label taken apart, so that a line too narrow for it can cut the name and keep
    the id, which is what tells one installation's line from another's."""

    #: None for ``installation 1234`` (no name), and for a label of no known shape
    name: str | None
    #: None when the label holds no id (a recording's own words)
    igrp: str | None


def label_parts(label: str) -> LabelParts:
    """``Northwind (1234)`` is ("Northwind", "1234"), ``installation 1234`` is (None,
    "1234"); any other text is a name with no id, to be cut from its end as it was."""
    if named := _NAMED.fullmatch(label):
        return LabelParts(named["name"], named["igrp"])
    if unnamed := _UNNAMED.fullmatch(label):
        return LabelParts(None, unnamed["igrp"])
    return LabelParts(label, None)


def id_mark(igrp: str) -> str:
    """The shortest a label gets, where even a cut name does not fit: ``#1234``. The
    number is what tells installations apart; ``#`` says it is one in fewer cells than
    a word, and a cramped line (stale data, at 80 columns) has few to give."""
    return f"#{igrp}"


class InstallationNames:
    """The names of the installations one app shows; a configured name always wins."""

    def __init__(self) -> None:
        self._configured: dict[int, str] = {}
        self._learned: dict[int, str] = {}
        self._listeners: list[Listener] = []

    def configure(self, igrp: int, name: str | None) -> None:
        cleaned = clean_name(name)
        if cleaned:
            self._configured[igrp] = cleaned

    def name(self, igrp: int) -> str | None:
        return self._configured.get(igrp) or self._learned.get(igrp)

    def label(self, igrp: int) -> str:
        return label_for(igrp, self.name(igrp))

    def subscribe(self, listener: Listener) -> None:
        """``listener(igrp, label)`` is called when an installation's label changes."""
        self._listeners.append(listener)

    def learn(self, igrp: int | None, name: str | None, *, latest: bool = False) -> bool:
        """The service named ``igrp`` (a lookup answer's ``igrpName``): the first name
        seen sticks, so the tab does not change with every lookup. ``latest``: the name
        is one a hub publishes from its config, which its admin may change: the newest
        replaces it (a name in this app's config still wins). True if the label
        changed."""
        cleaned = clean_name(name)
        if igrp is None or cleaned is None or igrp in self._configured:
            return False
        if self._learned.get(igrp) == cleaned or (igrp in self._learned and not latest):
            return False
        self._learned[igrp] = cleaned
        label = self.label(igrp)
        for listener in list(self._listeners):
            listener(igrp, label)
        return True
