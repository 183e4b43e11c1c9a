"""The typed rows (a call, a user, a caller's details) and the field rules shared by
the two ways of reading them: which fields are integers, times or shared text, and
what makes a row unreadable. :mod:`rtdash.api.models` is the public face of these.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from enum import StrEnum
from operator import attrgetter
from typing import Any, ClassVar, Literal, Self
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field
from pydantic.fields import FieldInfo

from rtdash.api.sanitise import clean_value


class RowUnreadable(ValueError):
    """A row lacks a field it cannot do without."""


class RowFrozen(ValueError):
    """A row's value was set: rows never change (a ValueError, as pydantic's)."""


class CallState(StrEnum):
    RINGING = "ringing"
    QUEUEING = "queueing"
    BRIDGED = "bridged"


class UserState(StrEnum):
    AVAILABLE = "available"
    UNAVAILABLE = "unavailable"


class _Model(BaseModel):
    """What validates a row built by keyword (tests, a recording read back) and writes
    its JSON: the polled rows themselves are the slotted classes below."""

    model_config = ConfigDict(frozen=True, populate_by_name=True, serialize_by_alias=True)

    #: upstream keys that no mapped field read, kept so nothing the upstream says is lost
    extra: dict[str, Any] = Field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The API's camelCase keys, ISO 8601 datetimes: the CLI's ``--json`` row."""
        return self.model_dump(mode="json", by_alias=True)


class _CallModel(_Model):
    call_ref: str = Field(alias="callRef")
    state: CallState = Field(alias="state")
    igrp: int | None = Field(default=None, alias="igrp")
    call_start: datetime | None = Field(default=None, alias="callStartDatetime")
    state_start: datetime | None = Field(default=None, alias="stateStartDatetime")
    src_number: str | None = Field(default=None, alias="srcPhoneNumber")
    dialled_number: str | None = Field(default=None, alias="dialledPhoneNumber")
    dgrp: str | None = Field(default=None, alias="dgrp")
    dgrp_name: str | None = Field(default=None, alias="dgrpName")
    queue: str | None = Field(default=None, alias="queueRef")
    agent_ref: str | None = Field(default=None, alias="operatorRef")
    agent_name: str | None = Field(default=None, alias="displayName")
    ring_time: int | None = Field(default=None, alias="ringTime")
    queue_duration: int | None = Field(default=None, alias="queueDuration")
    bridge_duration: int | None = Field(default=None, alias="bridgeDuration")
    call_duration: int | None = Field(default=None, alias="callDuration")


class _UserModel(_Model):
    user_id: str = Field(alias="sipUserId")
    state: UserState = Field(alias="state")
    igrp: int | None = Field(default=None, alias="igrp")
    operator_ref: str | None = Field(default=None, alias="operatorRef")
    display_name: str | None = Field(default=None, alias="displayName")
    extension: str | None = Field(default=None, alias="extensionNumber")
    state_start: datetime | None = Field(default=None, alias="stateStartDatetime")
    dashboard: bool = Field(default=False, alias="dashboard")


#: the extra keys of every row that has none: one empty dict, not one a row (nothing
#: writes to a row's extras; a row is frozen)
NO_EXTRA: dict[str, Any] = {}


class Row:
    """A polled row: frozen, its values in slots (no dict of its own, no per-row
    bookkeeping: a big centre holds tens of thousands of them), with the face of the
    pydantic model that checks it when it is built by keyword (``model_fields``,
    ``model_validate``, ``model_copy``, ``to_json``). The readers build rows from
    values already of the fields' types, unchecked (:meth:`of`, :meth:`from_values`)."""

    __slots__ = ()

    _model: ClassVar[type[_Model]]
    #: the fields, in the order of the model (and of the JSON and the exports)
    model_fields: ClassVar[dict[str, FieldInfo]]
    #: each field's value when the upstream does not say
    defaults: ClassVar[tuple[Any, ...]]
    #: each field's place in :attr:`defaults` and :meth:`from_values`
    index: ClassVar[dict[str, int]]
    _setters: ClassVar[tuple[Callable[[Any, Any], None], ...]]
    _getter: ClassVar[Callable[[Any], tuple[Any, ...]]]

    def __init_subclass__(cls) -> None:
        fields: dict[str, FieldInfo] = cls._model.model_fields
        names: tuple[str, ...] = tuple(fields)
        slots: tuple[str, ...] = vars(cls)["__slots__"]
        if slots != names:
            raise TypeError(f"{cls.__name__}'s slots are not its model's fields")
        cls.model_fields = fields
        cls._getter = attrgetter(*names)
        cls.index = dict(zip(names, range(len(names)), strict=True))
        cls.defaults = tuple(
            NO_EXTRA if name == "extra" else None if info.is_required() else info.get_default()
            for name, info in cls.model_fields.items()
        )
        cls._setters = tuple(getattr(cls, name).__set__ for name in names)

    def __init__(self, **data: Any) -> None:
        checked = self._model(**data).__dict__
        for name, put in zip(self.model_fields, self._setters, strict=True):
            put(self, checked[name])

    @classmethod
    def from_values(cls, values: Iterable[Any]) -> Self:
        """A row of ``values`` in field order, unchecked."""
        made = object.__new__(cls)
        for put, value in zip(cls._setters, values, strict=True):
            put(made, value)
        return made

    @classmethod
    def of(cls, values: Mapping[str, Any]) -> Self:
        """A row of ``values`` by field name, unchecked."""
        return cls.from_values(map(values.__getitem__, cls.model_fields))

    @classmethod
    def model_validate(cls, data: Any) -> Self:
        """A row from upstream-shaped data (aliases or names), checked by the model."""
        return cls.of(cls._model.model_validate(data).__dict__)

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
        """This row with ``update``'s values (unchecked, as pydantic's)."""
        values = list(self.values())
        for name, value in (update or {}).items():
            values[self.index[name]] = value
        return self.from_values(values)

    def to_json(self) -> dict[str, Any]:
        """The API's camelCase keys, ISO 8601 datetimes: the CLI's ``--json`` row."""
        return self._model.model_construct(**self.__dict__).to_json()

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


class ActiveCall(Row):
    __slots__ = tuple(_CallModel.model_fields)
    _model = _CallModel

    extra: dict[str, Any]
    call_ref: str
    state: CallState
    igrp: int | None
    call_start: datetime | None
    state_start: datetime | None
    src_number: str | None
    dialled_number: str | None
    dgrp: str | None
    dgrp_name: str | None
    queue: str | None
    agent_ref: str | None
    agent_name: str | None
    ring_time: int | None
    queue_duration: int | None
    bridge_duration: int | None
    call_duration: int | None


class PbxUser(Row):
    __slots__ = tuple(_UserModel.model_fields)
    _model = _UserModel

    extra: dict[str, Any]
    user_id: str
    state: UserState
    igrp: int | None
    operator_ref: str | None
    display_name: str | None
    extension: str | None
    state_start: datetime | None
    dashboard: bool

    @property
    def label(self) -> str:
        return self.display_name or self.operator_ref or self.extension or self.user_id


class CallerDetails(_Model):
    """One ``activeCall`` row: visitor and marketing attribution of a caller."""

    mode: Literal["basic", "advanced"] = Field(alias="mode")
    igrp: int | None = Field(default=None, alias="igrp")
    igrp_name: str | None = Field(default=None, alias="igrpName")
    dgrp: str | None = Field(default=None, alias="dgrp")
    dgrp_name: str | None = Field(default=None, alias="dgrpName")
    txr: str | None = Field(default=None, alias="txr")
    vid: str | None = Field(default=None, alias="vid")
    ch: str | None = Field(default=None, alias="ch")
    ch_name: str | None = Field(default=None, alias="chName")
    ch_type: str | None = Field(default=None, alias="chType")
    pub: str | None = Field(default=None, alias="pub")
    campaign: str | None = Field(default=None, alias="campaign")
    ad_group: str | None = Field(default=None, alias="adGroup")
    keyword: str | None = Field(default=None, alias="matchRef")
    src_number: str | None = Field(default=None, alias="srcPhoneNumber")
    dialled_number: str | None = Field(default=None, alias="dialledPhoneNumber")
    dest_number: str | None = Field(default=None, alias="destPhoneNumber")
    trigger_time: datetime | None = Field(default=None, alias="triggerDatetime")
    landing_page_title: str | None = Field(default=None, alias="landingPageTitle")
    page_title: str | None = Field(default=None, alias="pageTitle")
    landing_url: str | None = Field(default=None, alias="landingHref")
    conversion_url: str | None = Field(default=None, alias="conversionHref")
    referrer: str | None = Field(default=None, alias="vref")
    call_state: str | None = Field(default=None, alias="callState")
    call_duration: int | None = Field(default=None, alias="callDuration")
    bridge_duration: int | None = Field(default=None, alias="bridgeDuration")
    #: every ``pt_*`` (pass-through tag) and ``c_*`` (custom variable) key, as sent
    custom: dict[str, str] = Field(default_factory=dict, alias="custom")


_INT_FIELDS = {"igrp", "ring_time", "queue_duration", "bridge_duration", "call_duration"}
_TIME_FIELDS = {"call_start", "state_start", "trigger_time"}
#: text fields whose values repeat across rows and polls (lines, queues, agents, a
#: caller who calls again or many calls from a withheld number): one shared string each
#: instead of a copy per row
_SHARED_TEXT = {
    "src_number",
    "dgrp",
    "dgrp_name",
    "queue",
    "agent_ref",
    "agent_name",
    "dialled_number",
    "operator_ref",
    "display_name",
    "extension",
}
#: integer fields that count up on every poll while nothing else about the row changes
_TICKING = {"ring_time", "queue_duration", "bridge_duration", "call_duration"}
_UTC = ZoneInfo("UTC")


def _scalar(raw: Any) -> Any:
    """``raw`` when it can be a field's value; an object or list cannot."""
    if isinstance(raw, dict | list):
        raise RowUnreadable("an object or list where a value was expected")
    return raw


def _clean_extra(extra: dict[str, Any]) -> dict[str, Any]:
    """Unmapped keys and values, safe to show and bounded in depth (RowUnreadable if
    not: a value nested a thousand deep would break ``--json``, the log and recording)."""
    try:
        cleaned: dict[str, Any] = clean_value(extra)  # a dict in, a dict out
        return cleaned
    except ValueError as exc:
        raise RowUnreadable(str(exc)) from None


#: the duration that counts up while a call is in each state
_STATE_DURATION = {
    CallState.RINGING: "ring_time",
    CallState.QUEUEING: "queue_duration",
    CallState.BRIDGED: "bridge_duration",
}


def ticked(call: ActiveCall, now: datetime | None) -> ActiveCall:
    """``call`` with its durations brought forward to the upstream's ``now``.

    A polled call is held from the poll its values other than the durations last
    changed (see :class:`~rtdash.api.row_reader.RowReader`), so its durations are those
    of the moment it was read: its start plus its call duration. From there to ``now``
    the call duration and the current state's duration grew by the same seconds.
    ``call`` itself when nothing is to be added (or cannot be known)."""
    if now is None or call.call_start is None or call.call_duration is None:
        return call
    try:
        read_at = call.call_start.timestamp() + call.call_duration
    except (OverflowError, ValueError):
        return call
    grown = int(now.timestamp() - read_at)
    if grown <= 0:
        return call
    update: dict[str, int] = {"call_duration": call.call_duration + grown}
    name = _STATE_DURATION[call.state]
    held = getattr(call, name)
    if held is not None:
        update[name] = held + grown
    return call.model_copy(update=update)
