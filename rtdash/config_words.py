"""msgspec's validation messages in words a person reads: ``Expected `float` > 0.0``
becomes ``must be greater than 0``, ``Expected `int | null`, got `str``` becomes
``expected a whole number, got text``. msgspec names types and bounds, never the value
given, so no message made here can carry a password.
"""

from __future__ import annotations

import math
import re
from typing import Any

#: msgspec's name for a type -> what a config file calls it
_KINDS = {
    "int": "a whole number",
    "float": "a number",
    "str": "text",
    "Secret": "text",
    "Path": "a path",
    "bool": "true or false",
    "object": "a table",
    "array": "a list",
    "datetime": "a date and time",
    "date": "a date",
    "time": "a time",
}
#: ... and what was found instead, where that reads differently
_GOT = {**_KINDS, "float": "a decimal number", "bool": "true or false", "null": "nothing"}

_BOUNDS = {">": "greater than", ">=": "at least", "<": "less than", "<=": "at most"}

_TYPE = re.compile(r"Expected `([^`]+)`, got `([^`]+)`")
_BOUND = re.compile(r"Expected `[^`]+` (>=|>|<=|<) (\S+)")
_LENGTH = re.compile(r"Expected `([^`]+)` of length (>=|<=) (\d+)")
_PATTERN = re.compile(r"Expected `str` matching regex '(.*)'")
_UNKNOWN = re.compile(r"Object contains unknown field `([^`]+)`")
_MISSING = re.compile(r"Object missing required field `([^`]+)`")
#: a section's own check names the key first: ``wait_alert: must be at least wait_warn``
_KEYED = re.compile(r"([a-z_][a-z0-9_]*): (.+)", re.S)


def plain_problem(raw: str) -> tuple[str, str | None]:
    """``(problem, key)`` for one of msgspec's messages without its ``- at `$...``` part;
    ``key`` is the key the message names beyond the path (an unknown or missing key, or
    the key a section's own check is about), else None."""
    if match := _TYPE.fullmatch(raw):
        expected = [_KINDS.get(kind, kind) for kind in match[1].split(" | ") if kind != "null"]
        got = _GOT.get(match[2], match[2])
        return f"expected {' or '.join(expected) or 'nothing'}, got {got}", None
    if match := _BOUND.fullmatch(raw):
        return f"must be {_BOUNDS[match[1]]} {_number(match[2])}", None
    if match := _LENGTH.fullmatch(raw):
        most = "at least" if match[2] == ">=" else "at most"
        unit = "character" if match[1] == "str" else "item"
        many = "" if match[3] == "1" else "s"
        return f"must have {most} {match[3]} {unit}{many}", None
    if match := _PATTERN.fullmatch(raw):
        return f"must match {match[1]}", None
    if match := _UNKNOWN.fullmatch(raw):
        return "unknown key", match[1]
    if match := _MISSING.fullmatch(raw):
        return "must be set", match[1]
    if match := _KEYED.fullmatch(raw):
        return plain_problem(match[2])[0], match[1]
    return raw, None


def _number(text: str) -> str:
    """``0.0`` as ``0``, ``1.5`` as it is."""
    try:
        value = float(text)
    except ValueError:
        return text
    return str(int(value)) if value.is_integer() else text


def non_finite(value: Any) -> bool:
    """nan or inf, as a number or as text a flag or the file gave."""
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            return False
    return isinstance(value, float) and not math.isfinite(value)
