"""What every row type is made of: a table of its fields (one definition: name, upstream
key, type, default) and the frozen, slotted class built on it.

The polled rows are built from values the readers already typed, unchecked
(:meth:`Row.of`, :meth:`Row.from_values`): a big centre holds tens of thousands of
them. A row built by keyword or from upstream-shaped data (tests, a lookup, a recording
read back) is checked by a msgspec Struct made from the same table, and written as the
API's JSON by msgspec; neither needs pydantic's model machinery, which would cost the
dashboard's start and memory for a handful of rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from operator import attrgetter
from typing import Any, ClassVar, NamedTuple, Self

import msgspec

from rtdash.api.untrack import untrack


class RowUnreadable(ValueError):
    """A row lacks a field it cannot do without, or holds a value it cannot."""


class RowFrozen(ValueError):
    """A row's value was set: rows never change."""


#: the default of a field a row cannot be without
REQUIRED: Any = msgspec.NODEFAULT


class RowField(NamedTuple):
    """One field of a row type."""

    #: rtdash's name: the attribute, and the key when a row is built by keyword
    name: str
    #: the upstream's key, also the key of the row's JSON and of a recording
    alias: str
    #: the type a value is checked against (and converted to, as JSON would say it)
    type: Any
    #: the value when the upstream does not say; :data:`REQUIRED` when it must say
    default: Any = None

    @property
    def required(self) -> bool:
        return self.default is REQUIRED


def field_names(table: Iterable[RowField]) -> tuple[str, ...]:
    """The names of ``table``'s fields, in order: a row type's ``__slots__``."""
    return tuple(item.name for item in table)


#: the extra keys of every row that has none: one empty dict, not one a row (nothing
#: writes to a row's extras; a row is frozen)
NO_EXTRA: dict[str, Any] = {}


def _checker(name: str, table: tuple[RowField, ...]) -> type[msgspec.Struct]:
    """The Struct that checks and converts upstream-shaped data for ``table``'s rows
    (keyword-only, so a required field may follow one with a default)."""
    spec = [
        (item.name, item.type) if item.required else (item.name, item.type, item.default)
        for item in table
    ]
    aliases = {item.name: item.alias for item in table if item.alias != item.name}
    return msgspec.defstruct(name, spec, rename=aliases, kw_only=True)


def _reason(exc: msgspec.ValidationError) -> str:
    """msgspec's words for what is wrong, the key first (``state: Invalid enum value
    'ringin'``, ``callRef is missing``)."""
    text = str(exc)
    what, at, where = text.rpartition(" - at `$.")
    if at:
        return f"{where.removesuffix('`')}: {what}"
    missing = text.removeprefix("Object missing required field `")
    if missing != text:
        return f"{missing.removesuffix('`')} is missing"
    return text


class Row:
    """A row: frozen, its values in slots (no dict of its own, no per-row bookkeeping),
    its fields those of :attr:`table`. A subclass names its table and sets
    ``__slots__ = field_names(table)``; its annotations (for the type checker) must
    name the same fields in the same order.

    Built from values, a row is not followed by the cyclic garbage collector
    (:mod:`rtdash.api.untrack`): its values are texts, numbers, times, enum members and
    a dict of the upstream's extra values, none of which can refer back to it."""

    __slots__ = ()

    #: the fields, in order (the order of the JSON, the exports and the recordings)
    table: ClassVar[tuple[RowField, ...]]
    #: the fields by name, in order (named as pydantic names its own: the exports, the
    #: recordings, the hub and the tests read it)
    model_fields: ClassVar[dict[str, RowField]]
    #: each field's value when the upstream does not say (None for a required field)
    defaults: ClassVar[tuple[Any, ...]]
    #: each field's place in :attr:`defaults` and :meth:`from_values`
    index: ClassVar[dict[str, int]]
    _aliases: ClassVar[tuple[str, ...]]
    #: the names that are not their own upstream key (data using them is mapped first)
    _renamed: ClassVar[dict[str, str]]
    _checker: ClassVar[type[msgspec.Struct]]
    _setters: ClassVar[tuple[Callable[[Any, Any], None], ...]]
    _getter: ClassVar[Callable[[Any], tuple[Any, ...]]]

    def __init_subclass__(cls) -> None:
        table = cls.table
        names = field_names(table)
        if vars(cls).get("__slots__") != names:
            raise TypeError(f"{cls.__name__}'s slots are not its table's fields")
        if tuple(vars(cls).get("__annotations__", ())) != names:
            raise TypeError(f"{cls.__name__}'s annotations are not its table's fields")
        cls.model_fields = {item.name: item for item in table}
        cls.defaults = tuple(  # an empty dict default is the one shared, never written
            None if item.required else NO_EXTRA if item.default == {} else item.default
            for item in table
        )
        cls.index = dict(zip(names, range(len(names)), strict=True))
        cls._aliases = tuple(item.alias for item in table)
        cls._renamed = {item.name: item.alias for item in table if item.alias != item.name}
        cls._checker = _checker(f"{cls.__name__}Check", table)
        cls._getter = attrgetter(*names)
        cls._setters = tuple(getattr(cls, name).__set__ for name in names)

    def __init__(self, **data: Any) -> None:
        """A row from its fields by name (or upstream key), checked and converted."""
        for put, value in zip(self._setters, self._checked(data), strict=True):
            put(self, value)

    @classmethod
    def _checked(cls, data: Any) -> tuple[Any, ...]:
        """``data``'s values in field order, checked against the table (RowUnreadable,
        naming the key, if not). A key may be a field's name or its upstream key (the
        upstream key wins when both are there); other keys are not read."""
        if not isinstance(data, Mapping):
            raise RowUnreadable(f"a {cls.__name__} is an object, not {type(data).__name__}")
        renamed = cls._renamed
        if not renamed.keys().isdisjoint(data):
            data = {
                **{renamed[key]: value for key, value in data.items() if key in renamed},
                **data,
            }
        try:
            checked = msgspec.convert(data, cls._checker, strict=False)
        except msgspec.ValidationError as exc:
            raise RowUnreadable(f"not a readable {cls.__name__}: {_reason(exc)}") from None
        return cls._getter(checked)

    @classmethod
    def model_validate(cls, data: Any) -> Self:
        """A row from upstream-shaped data (upstream keys or names), checked."""
        return cls.from_values(cls._checked(data))

    @classmethod
    def from_values(cls, values: Iterable[Any]) -> Self:
        """A row of ``values`` in field order, unchecked."""
        made = object.__new__(cls)
        for put, value in zip(cls._setters, values, strict=True):
            put(made, value)
        return untrack(made)

    @classmethod
    def of(cls, values: Mapping[str, Any]) -> Self:
        """A row of ``values`` by field name, unchecked."""
        return cls.from_values(map(values.__getitem__, cls.model_fields))

    def values(self) -> tuple[Any, ...]:
        """The row's values in field order."""
        return type(self)._getter(self)

    @property
    # why the type: ignore below: a row has no ``__dict__`` of its own; this stands in
    def __dict__(self) -> dict[str, Any]:  # type: ignore[override]
        """The values by field name (a new dict: a row has none of its own)."""
        return dict(zip(self.model_fields, self.values()))  # noqa: B905  # equal lengths

    @property
    def model_fields_set(self) -> set[str]:
        return set(self.model_fields)

    def model_copy(self, *, update: Mapping[str, Any] | None = None) -> Self:
        """This row with ``update``'s values (by field name), unchecked."""
        values = list(self.values())
        for name, value in (update or {}).items():
            values[self.index[name]] = value
        return self.from_values(values)

    def to_json(self) -> dict[str, Any]:
        """The API's camelCase keys, ISO 8601 datetimes (UTC as ``Z``), enums as their
        values: the CLI's ``--json`` row."""
        values: list[Any] = msgspec.to_builtins(list(self.values()))
        return dict(zip(self._aliases, values, strict=True))

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self is other or self.values() == other.values()

    def __hash__(self) -> int:
        return hash(self.values())

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={value!r}" for name, value in self.__dict__.items())
        return f"{type(self).__name__}({shown})"

    def __setattr__(self, name: str, value: Any) -> None:
        raise RowFrozen(f"{type(self).__name__} is frozen: {name} cannot be set")

    def __delattr__(self, name: str) -> None:
        raise RowFrozen(f"{type(self).__name__} is frozen: {name} cannot be deleted")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self).from_values, (self.values(),))
