"""Property-based: any JSON value in any field of any route's row. Decoding and mapping
never raise (a row is read or counted unreadable), and every string that reaches a
renderer (the rows, CLI tables, CSV, the lookup listing, the TUI's lookup sections) is
free of control characters."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from rtdash.api import errors
from rtdash.api.client import Credentials, InfinityClient
from rtdash.api.mapping import FieldMapping
from rtdash.api.models import RowReader
from rtdash.api.sanitise import is_clean
from rtdash.api.wire import iter_body
from rtdash.cli.render import calls_table, lookup_listing, users_table
from rtdash.core import export
from rtdash.core.caller_sections import details_sections
from rtdash.core.phone import LookupQuery
from tests.hostile.catalogue import HOSTILE_CHARACTERS
from tests.hostile.upstream import call, user

NOW = datetime(2026, 5, 1, 10, 5, tzinfo=UTC)
UTC_ZONE = ZoneInfo("UTC")
FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: text with every kind of character a hostile upstream would use
hostile_text = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(HOSTILE_CHARACTERS),
    ),
    max_size=30,
)
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats()  # NaN and infinities included: json.dumps writes them as NaN/Infinity
    | hostile_text
    | st.sampled_from(["0001-01-01T00:00:00+14:00", "9999-12-31 23:59:59", "1e999", "-0", ""]),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(hostile_text, children, max_size=3)
    ),
    max_leaves=8,
)


def strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for key, item in value.items() for s in (str(key), *strings(item))]
    if isinstance(value, list | tuple):
        return [s for item in value for s in strings(item)]
    return []


def assert_clean_lines(text: str) -> None:
    for line in text.split("\n"):
        assert is_clean(line), repr(line)


def body_with(row: dict[str, Any], field: str, value: Any) -> str:
    return json.dumps({**row, field: value})  # allow_nan: NaN / Infinity go on the wire


@FUZZ
@given(
    field=st.sampled_from([*call("c").keys(), "extraField", "custom\x1b"]),
    value=json_values,
)
@example(field="ringTime", value=float("inf"))
@example(field="displayName", value=float("nan"))
def test_any_value_in_any_call_field(field: str, value: Any) -> None:
    reader = RowReader("call", FieldMapping(), UTC_ZONE)
    body = "\n".join([body_with(call("c-1"), field, value), json.dumps(call("c-2"))])
    result = InfinityClient._parse_rows(body, NOW, False, reader)
    assert len(result.rows) + result.unreadable == 2
    assert "c-2" in [row.call_ref for row in result.rows]  # one bad value costs one row
    for row in result.rows:
        for text in strings(row.to_json()):
            assert is_clean(text), repr(text)
    assert_clean_lines(calls_table(result.rows, NOW, pii_excluded=False))
    assert_clean_lines(export.calls_csv(result.rows, NOW))


@FUZZ
@given(
    field=st.sampled_from([*user("1").keys(), "extraField"]),
    value=json_values,
)
@example(field="state", value=float("nan"))
@example(field="extraField", value=float("-inf"))
def test_any_value_in_any_user_field(field: str, value: Any) -> None:
    reader = RowReader("user", FieldMapping(), UTC_ZONE)
    body = "[" + ",".join([body_with(user("1"), field, value), json.dumps(user("2"))]) + "]"
    result = InfinityClient._parse_rows(body, NOW, False, reader)
    assert "2" in [row.user_id for row in result.rows]
    for row in result.rows:
        for text in strings(row.to_json()):
            assert is_clean(text), repr(text)
    assert_clean_lines(users_table(result.rows, NOW, UTC_ZONE, show_dashboard=True))
    assert_clean_lines(export.users_csv(result.rows, NOW))


CALLER_FIELDS = [
    "igrp",
    "dgrp",
    "txr",
    "pub",
    "campaign",
    "triggerDatetime",
    "callDuration",
    "landingHref",
    "c_tag",
    "pt_x",
]


@FUZZ
@given(
    fields=st.dictionaries(
        st.sampled_from(CALLER_FIELDS) | hostile_text, json_values, min_size=1, max_size=4
    )
)
def test_any_lookup_answer(fields: dict[str, Any]) -> None:
    body = json.dumps({"igrp": "1234", **fields}).encode()
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=body))

    async def lookup() -> Any:
        async with httpx.AsyncClient(transport=transport) as http:
            client = InfinityClient(
                igrp=1234,
                credentials=Credentials("u", "p"),
                base_url="https://upstream.test/r",
                http=http,
            )
            try:
                return await client.caller_details(call_ref="c-1")
            except errors.UnreadableResponse:
                return None  # said as an error, never raised as anything else

    details = asyncio.run(lookup())
    if details is None:
        return
    for text in strings(details.to_json()):
        assert is_clean(text), repr(text)
    query = LookupQuery(call_ref="c-1", number=None)
    assert_clean_lines(lookup_listing(details, query, UTC_ZONE))
    for title, rows in details_sections(details, UTC_ZONE):
        for label, value in rows:
            assert is_clean(title) and is_clean(label) and is_clean(value)


@FUZZ
@given(body=st.text(max_size=200) | st.builds(lambda v: json.dumps(v), json_values))
def test_any_body_decodes_without_raising(body: str) -> None:
    for item in iter_body(body):
        assert item is not None


@FUZZ
@given(
    field=st.sampled_from([*call("c").keys(), "extraField"]),
    value=json_values,
    compact=st.booleans(),
)
@example(field="callRef", value=float("nan"), compact=True)
def test_the_fast_reader_of_bytes_reads_as_the_strict_reader_of_text(
    field: str, value: Any, compact: bool
) -> None:
    separators = (",", ":") if compact else (", ", ": ")
    lines = [
        json.dumps({**call("c-1"), field: value}, separators=separators, ensure_ascii=False),
        json.dumps(call("c-2"), separators=separators),
    ]
    body = "\n".join(lines) + "\n"
    fast = InfinityClient._parse_rows(
        body.encode(), NOW, False, RowReader("call", FieldMapping(), UTC_ZONE)
    )
    strict = InfinityClient._parse_rows(
        body, NOW, False, RowReader("call", FieldMapping(), UTC_ZONE)
    )
    assert [row.to_json() for row in fast.rows] == [row.to_json() for row in strict.rows]
    assert fast.unreadable == strict.unreadable
