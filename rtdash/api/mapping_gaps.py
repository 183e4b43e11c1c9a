"""Words for rows that could not be read because a field they cannot do without (a
call's reference and state, a user's id and state) is under none of the keys the
mapping names for it.

Told only "no known call state (none given)", a user whose ``[mapping]`` named a key
the service never sends could not tell which setting was wrong nor what to name
instead: these words say which ``[mapping]`` key names what, and which keys the rows
do carry. Those keys are the service's text, so each is cleaned and cut, and so is
their list: the words stay one line of bounded length.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rtdash.api.mapping import CALL_FIELDS, USER_FIELDS, FieldMapping
from rtdash.api.sanitise import one_line

#: the fields a row is refused without, each with the fields it falls back to (a user
#: with no id is known by its operator ref, then its extension)
NEEDED: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "call": (("call_ref", ()), ("state", ())),
    "user": (("user_id", ("operator_ref", "extension")), ("state", ())),
}
_DEFAULTS = {"call": CALL_FIELDS, "user": USER_FIELDS}
#: characters of one key or name shown, names of one field shown, and characters of
#: the list of the rows' keys
NAME_CHARS = 40
NAMES = 6
KEYS_CHARS = 160


def gap(kind: str, mapping: FieldMapping, keys: Iterable[str]) -> str | None:
    """Which needed fields of ``kind`` rows none of ``keys`` (every key of the rows)
    holds, said with the ``[mapping]`` key that names each and the keys the rows carry;
    None when each needed field has a key (the rows were refused for their values)."""
    table = mapping.call if kind == "call" else mapping.user
    carried = list(dict.fromkeys(keys))
    present = set(carried)
    said = [
        _field_said(kind, field, table[field], table[field] != _DEFAULTS[kind][field])
        for field, fallbacks in NEEDED.get(kind, ())
        if not any(alias in present for name in (field, *fallbacks) for alias in table[name])
    ]
    if not said:
        return None
    return "; ".join(said) + f" (the rows carry: {keys_said(carried)})"


def _field_said(kind: str, field: str, aliases: Sequence[str], overridden: bool) -> str:
    names = [f'"{one_line(alias, NAME_CHARS)}"' for alias in aliases[:NAMES]]
    if len(aliases) > NAMES:  # a config's list is the user's own, but not bounded
        listed = ", ".join(names) + f" or {len(aliases) - NAMES} more"
    elif len(names) == 1:
        listed = names[0]
    else:
        listed = ", ".join(names[:-1]) + " or " + names[-1]
    which = "which no row carries" if len(aliases) == 1 else "none of which any row carries"
    if overridden:
        return f"[mapping] {kind}_{field} names {listed}, {which}"
    return f"{kind}_{field}, not set in [mapping], names {listed} by default, {which}"


def keys_said(keys: Sequence[str]) -> str:
    """``keys`` cleaned, each cut, as many as fit :data:`KEYS_CHARS`, then how many
    more there are."""
    shown: list[str] = []
    size = 0
    for key in keys:
        text = one_line(key, NAME_CHARS) or '""'
        if shown and size + len(text) > KEYS_CHARS:
            break
        shown.append(text)
        size += len(text) + 2
    if not shown:
        return "no keys"
    more = len(keys) - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more else "")
