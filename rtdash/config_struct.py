"""What every settings section is: a msgspec Struct that refuses unknown keys and
checks each key however the section is made (from the file's tables by
:func:`convert`, by its constructor, or a key set later, as a flag is), so a key is
refused the same way whichever way it came, with a message that names it.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any, TypeVar

import msgspec

from rtdash.api.credentials import Secret
from rtdash.config_words import non_finite, plain_problem

T = TypeVar("T")


def convert(data: Any, kind: type[T]) -> T:
    """``data`` (the file's tables, or a flag's text) checked and converted to ``kind``;
    raises :class:`msgspec.ValidationError`. Text is read as a number or a boolean
    where one is wanted (flags arrive as text); a whole number is a valid float."""
    return msgspec.convert(data, kind, strict=False, dec_hook=_decode)


#: the names msgspec gives a value's type in its messages
_VALUE_KINDS = {bool: "bool", int: "int", float: "float", str: "str", list: "array", dict: "object"}


def _decode(kind: type, value: Any) -> Any:
    """The types msgspec does not know: a secret and a path, both given as text."""
    if isinstance(value, kind):
        return value
    if isinstance(value, str) and kind in (Secret, Path):
        return kind(value)
    got = "null" if value is None else _VALUE_KINDS.get(type(value), type(value).__name__)
    # in msgspec's own words, so the message is made plain as its others are
    raise ValueError(f"Expected `str`, got `{got}`")


#: each section's keys and their types, read once per section
_FIELDS: dict[type, tuple[tuple[str, Any], ...]] = {}


class Section(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A table of the file: unknown keys refused; each key checked when the section is
    made and again when it is set (``settings.polling.interval = 0.5`` raises)."""

    def __post_init__(self) -> None:
        fields = _FIELDS.get(type(self))
        if fields is None:
            found = tuple((f.name, f.type) for f in msgspec.structs.fields(type(self)))
            fields = _FIELDS[type(self)] = found
        for name, kind in fields:
            value = getattr(self, name)
            try:
                checked = convert(value, kind)
            except msgspec.ValidationError as exc:
                problem = plain_problem(str(exc).rpartition(" - at `")[0] or str(exc))[0]
                if non_finite(value):
                    problem = "must be a finite number"
                raise ValueError(f"{name}: {problem}") from None
            if isinstance(checked, float) and not math.isfinite(checked):
                # no inf or nan: "interval = nan" would otherwise pass a bound, or read
                # as a range error
                raise ValueError(f"{name}: must be a finite number")
            if checked is not value:
                self._put(name, checked)
        self._check()

    def _check(self) -> None:
        """The section's own checks, beyond each key's type and range: a ValueError
        that starts with the key (``wait_alert: must be at least wait_warn``)."""

    def _put(self, name: str, value: Any) -> None:
        """Set without checking (the value is the checked one)."""
        msgspec.Struct.__setattr__(self, name, value)

    def _fix(self, name: str, check: Any) -> None:
        """Run ``check`` on a key's value (when set) and keep what it returns."""
        value = getattr(self, name)
        if value is None:
            return
        try:
            fixed = check(value)
        except ValueError as exc:
            raise ValueError(f"{name}: {exc}") from None
        if fixed is not value:
            self._put(name, fixed)

    def __setattr__(self, name: str, value: Any) -> None:
        """Checked as the same key in the file is: the section is made again with the
        new value (so its own checks run too), and the checked value kept."""
        if name not in self.__struct_fields__:
            raise AttributeError(f"{type(self).__name__} has no setting {name!r}")
        checked = msgspec.structs.replace(self, **{name: value})
        self._put(name, getattr(checked, name))
