"""A new line of a learnt shape is read straight into its row in C
(rtdash/api/_line_read.c, through rtdash.api.line_plan) only when it is plain, and then
into the very row the reader would make of it; any other line is left to the reader
(None), which reads it as it reads every line."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rtdash.api import line_plan, values
from rtdash.api.mapping import FieldMapping
from rtdash.api.models import RowReader
from rtdash.api.row_types import ActiveCall, PbxUser, RowUnreadable
from rtdash.api.sanitise import plain
from rtdash.api.wire import fast_rows
from tests.api.test_rows import CALL, USER, with_

pytestmark = pytest.mark.skipif(line_plan.built is None, reason="rtdash's C parts are not built")

LONDON = ZoneInfo("Europe/London")
SHAPES = {"call": CALL, "user": USER}
STATES = {"call": ["ringing", "queueing", "bridged"], "user": ["available", "unavailable"]}

PLAIN_TEXT = st.text(alphabet="abcXYZ019 .-+'@", max_size=10).map(lambda text: text.strip())
HOSTILE_TEXT = st.sampled_from(
    [
        " x",
        "x ",
        "\t",
        "\x1b]52;c;aGk=\x07",
        "a\x1b[2Jb",
        "a\u202eb",
        "a\x7fb",
        "x\u00a0",
        "\u00a0x",
        "a\u2028b",
        "Zoë Ñúñez",
        "日本語",
        '"quoted"',
        "back\\slash",
        "\u200dx",
    ]
)
NOT_TEXT = st.sampled_from([None, 0, 7, -3, 1.5, 1e20, True, False, [], {}, {"a": 1}])
TIMES = st.sampled_from(
    [
        "2026-05-01 09:14:10",
        "1970-01-01 00:00:00",
        "2199-12-31 23:59:59",
        "1969-12-31 23:59:59",
        "2200-01-01 00:00:00",
        "2026-02-30 10:00:00",
        "2026-05-01 24:00:00",
        "2026-05-01T10:00:00+02:00",
        "2026-5-1 9:14:10",
        " 2026-05-01 09:14:10",
        "",
        "now",
    ]
)
INTS = st.sampled_from(
    ["0", "12", "007", "-5", " 5", "5.5", "1e3", "", "abc", "123456789012345678901"]
) | st.sampled_from([0, 5, -5, 12345678901234567890, 1.5, True, None])
FLAGS = st.sampled_from(["0", "1", "true", "false", "", "yes", "TRUE", " 1", True, False, None, 1])


def ready(kind: str) -> RowReader:
    """A reader that learnt the lines of ``kind``'s shape and has read a body's first
    rows (which tell the upstream's "now"), and every state once."""
    reader = RowReader(kind, FieldMapping(), LONDON)  # type: ignore[arg-type]
    reader.learn_lines(tuple(SHAPES[kind]))
    for state in STATES[kind] * reader.PROBES:
        reader.read(with_(SHAPES[kind], **{_state_key(kind): state}), False)
    return reader


def _state_key(kind: str) -> str:
    return "callState" if kind == "call" else "state"


def line(row: dict[str, Any]) -> bytes:
    return msgspec.json.encode(row)


def read_in_python(kind: str, raw: bytes) -> ActiveCall | PbxUser | None:
    """What the reader makes of a new line: decoded as the line reader decodes it, read
    afresh (None when either refuses it)."""
    items = fast_rows(raw)
    if items is None or len(items) != 1:
        return None
    try:
        return ready(kind).read(items[0], False)
    except (RowUnreadable, ValueError, RecursionError, OverflowError):
        return None


def same_row(made: Any, expected: Any) -> bool:
    return (
        type(made) is type(expected)
        and made.values() == expected.values()
        and [type(value) for value in made.values()] == [type(v) for v in expected.values()]
    )


def call_rows(
    texts: st.SearchStrategy[Any], times: st.SearchStrategy[Any] = TIMES, ints: Any = INTS
) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {
            "igrp": ints,
            "callRef": texts,
            "callState": st.sampled_from([*STATES["call"], "Bridged", " ringing", "bogus", ""])
            | texts,
            "callStartDatetime": times,
            "stateStartDatetime": times,
            "srcPhoneNumber": texts,
            "dialledPhoneNumber": texts,
            "dgrp": texts,
            "dgrpName": texts,
            "queueRef": texts,
            "operatorRef": texts,
            "displayName": texts,
            "ringTime": ints,
            "queueDuration": ints,
            "bridgeDuration": ints,
            "callDuration": ints,
        }
    ).map(lambda row: {key: row[key] for key in CALL})  # in the learnt shape's order


def user_rows(texts: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {
            "igrp": INTS,
            "sipUserId": texts,
            "operatorRef": texts,
            "displayName": texts,
            "extensionNumber": texts,
            "state": st.sampled_from([*STATES["user"], "Available", "busy"]) | texts,
            "stateStartDatetime": TIMES,
            "dashboard": FLAGS,
        }
    ).map(lambda row: {key: row[key] for key in USER})


ANY_TEXT = PLAIN_TEXT | HOSTILE_TEXT | NOT_TEXT


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        call_rows(ANY_TEXT).map(lambda r: ("call", r)),
        user_rows(ANY_TEXT).map(lambda r: ("user", r)),
    )
)
def test_a_line_read_in_c_is_the_row_the_reader_makes_of_it(
    drawn: tuple[str, dict[str, Any]],
) -> None:
    kind, row = drawn
    raw = line(row)
    made = ready(kind).read_lines([raw])
    assert made is not None and len(made) == 1
    if made[0] is not None:
        expected = read_in_python(kind, raw)
        assert expected is not None, raw
        assert same_row(made[0], expected), raw


@settings(max_examples=150, deadline=None)
@given(
    call_rows(
        PLAIN_TEXT.filter(bool) | st.none(),
        st.datetimes(datetime(1970, 1, 1), datetime(2199, 12, 31, 23, 59, 59)).map(
            lambda when: when.strftime(values.DATETIME_FORMAT)
        ),
        st.integers(0, 10**17).map(str) | st.integers(-(10**17), 10**17) | st.none(),
    ).filter(lambda row: row["callRef"] is not None)
)
def test_a_plain_line_is_read_in_c(row: dict[str, Any]) -> None:
    """The C part is not a no-op: a line of plain texts, known states, times of the
    documented shape and integers is its, whatever the values."""
    raw = line(with_(row, callState="bridged"))
    expected = read_in_python("call", raw)
    assert expected is not None
    made = ready("call").read_lines([raw])
    assert made is not None and made[0] is not None and same_row(made[0], expected)


RAW = msgspec.json.encode(CALL)
BENT = [
    RAW.replace(b'":"', b'": "', 1),  # a space after a colon: not compact
    msgspec.json.encode({"callRef": CALL["callRef"], **CALL}),  # keys in another order
    RAW[:-1] + b',"igrp":"1235"}',  # a key twice
    RAW.replace(b'"c-0001"', b'"c-000\\u0031"'),  # an escape
    RAW[:-1] + b',"extra":1}',  # a key the shape does not have
    RAW[:-1],  # cut short
    RAW + b" ",
    b"",
    b"[]",
]


@pytest.mark.parametrize("bent", BENT)
def test_a_line_not_in_the_learnt_shape_or_not_compact_is_left_to_the_reader(
    bent: bytes,
) -> None:
    made = ready("call").read_lines([bent, RAW])
    assert made is not None and made[0] is None
    assert made[1] is not None and same_row(made[1], read_in_python("call", RAW))


def test_a_hostile_name_never_reaches_a_row_from_c() -> None:
    """Every text with a byte a terminal acts on is left to the reader, which cleans it
    (rtdash.api.sanitise): the C part never makes such a row."""
    reader = ready("call")
    hostile = ["\x1b]52;c;aGk=\x07", "a\x1b[2Jb", "a\u202eb", "a\x7fb", "a\u2028b", "a\rb"]
    made = reader.read_lines([line(with_(CALL, displayName=name)) for name in hostile])
    assert made == [None] * len(hostile)
    read = [
        reader.read(msgspec.json.decode(line(with_(CALL, displayName=n))), False) for n in hostile
    ]
    assert all(row.agent_name is not None and row.agent_name.isprintable() for row in read)


def test_the_caches_c_writes_hold_what_the_reader_would() -> None:
    reader = ready("call")
    rows = [
        with_(
            CALL,
            callRef=f"c-{n}",
            stateStartDatetime=f"2026-05-01 09:{n:02d}:10",
            queueDuration=str(n * 7),
            displayName=f"Agent {n % 3}",
        )
        for n in range(40)
    ]
    made = reader.read_lines([line(row) for row in rows])
    assert made is not None and None not in made
    texts, _, times, _, ints, _, _ = reader.caches()
    for raw, when in times.items():
        assert when == values.timestamp(raw, LONDON) and when.tzinfo is LONDON
    for raw, number in ints.items():
        assert number == values.integer(raw)
    assert all(key == shared for key, shared in texts.items())
    # a repeated name is one string in every row read
    names = {id(row.agent_name) for row in made if row.agent_name == "Agent 1"}
    assert len(names) == 1
    assert made[5].state_start == datetime(2026, 5, 1, 9, 5, 10, tzinfo=LONDON)


def test_a_user_without_an_id_takes_its_operator_ref_then_its_extension() -> None:
    reader = ready("user")
    lines = [
        line(with_(USER, sipUserId="")),
        line(with_(USER, sipUserId="", operatorRef="")),
        line(with_(USER, sipUserId="201", extensionNumber="201")),
        line(with_(USER, sipUserId="", operatorRef="", extensionNumber="")),
    ]
    made = reader.read_lines(lines)
    assert made is not None
    assert [row.user_id if row else None for row in made] == ["a.user", "201", "201", None]
    assert made[2].extension is made[2].user_id  # one string for both, as the reader does
    assert made[3] is None and read_in_python("user", lines[3]) is None


def test_the_first_rows_of_a_body_are_read_by_the_reader_to_tell_its_now() -> None:
    reader = RowReader("call", FieldMapping(), LONDON)
    reader.learn_lines(tuple(CALL))
    assert reader.read_lines([line(CALL)]) is None
    reader.new_body()
    for _ in range(reader.PROBES):
        reader.read(dict(CALL), False)
    assert reader.body_now is not None
    made = reader.read_lines([line(CALL)])
    assert made is not None and made[0] is not None


@pytest.mark.parametrize(
    "change",
    [
        {"names": ("table",)},  # a class attribute, not a slot
        {"names": ("nope",)},
        {"defaults": ()},
        {"kinds": (9,)},
        {"places": (99,)},
        {"zone": "Europe/London"},
        {"fallbacks": (1,)},
    ],
)
def test_a_plan_that_does_not_fit_its_model_is_refused(change: dict[str, Any]) -> None:
    assert line_plan.built is not None
    model = ActiveCall
    args: dict[str, Any] = {
        "model": model,
        "names": tuple(model.model_fields),
        "defaults": tuple(model.defaults),
        "keys": (b'"callRef":',),
        "kinds": (line_plan.built.TEXT,),
        "places": (model.index["call_ref"],),
        "id_at": model.index["call_ref"],
        "fallbacks": (),
        "max_cached": 100,
        "zone": LONDON,
    }
    if "names" in change:
        args["names"] = (*args["names"][:-1], change["names"][0])
    else:
        args.update(change)
    with pytest.raises((TypeError, ValueError, AttributeError)):
        line_plan.built.Plan(*args.values())


def test_read_takes_bytes_lines_and_the_reader_s_dicts() -> None:
    reader = ready("call")
    plan = reader._line_plan
    with pytest.raises(TypeError):
        plan.read(["not bytes"], *reader.caches())
    with pytest.raises(TypeError):
        plan.read([line(CALL)], *reader.caches()[:-1], [])


@pytest.mark.parametrize(
    ("written", "in_c"),
    [
        ("1970-01-01 00:00:00", True),
        ("2199-12-31 23:59:59", True),
        ("2024-02-29 12:00:00", True),
        ("1969-12-31 23:59:59", False),  # out of the reader's years: the row is refused
        ("2200-01-01 00:00:00", False),
        ("2026-02-30 10:00:00", False),  # no such day: the reader reads it as unset
        ("2026-05-01 24:00:00", False),
        ("2026-05-01T10:00:00+02:00", False),  # an offset: the reader's own reading
        ("2026-05-01 9:14:10", False),
    ],
)
def test_a_time_is_read_in_c_only_in_the_documented_shape_and_years(
    written: str, in_c: bool
) -> None:
    raw = line(with_(CALL, stateStartDatetime=written))
    made = ready("call").read_lines([raw])
    assert made is not None
    assert (made[0] is not None) == in_c
    if in_c:
        assert same_row(made[0], read_in_python("call", raw))


def test_c_reads_every_printable_character_exactly_where_the_sanitiser_keeps_it() -> None:
    """The C reader keeps its own list of the printable characters that
    :func:`rtdash.api.sanitise.clean` removes (``_line_read_values.h``): a name holding
    one must be left to the reader, which cleans it. Every printable character past
    ASCII, in a name, against :func:`~rtdash.api.sanitise.plain`: the two lists cannot
    drift apart unnoticed."""
    chars = [
        chr(point)
        for point in range(0x80, 0x110000)
        if not 0xD800 <= point <= 0xDFFF and chr(point).isprintable()
    ]
    wrong = []
    # a reader a few thousand names at a time: past its caches' room for new texts, C
    # leaves every line to the reader, whatever it holds
    for start in range(0, len(chars), 4096):
        some = chars[start : start + 4096]
        made = ready("call").read_lines([line(with_(CALL, displayName=f"a{c}b")) for c in some])
        assert made is not None and len(made) == len(some)
        wrong += [
            f"U+{ord(char):04X}"
            for char, row in zip(some, made, strict=True)
            if (row is not None) != plain(f"a{char}b")
        ]
    assert wrong == []
