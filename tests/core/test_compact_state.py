"""What a poll keeps between polls is compact: the line table holds numbers, not the
lines' bytes; rows without extra keys share one empty dict; an agent alone on a ref or
name is indexed without a list. And each still finds what it found before."""

from __future__ import annotations

import json
import random
import sys
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from rtdash.api.client import InfinityClient
from rtdash.api.head_cache import LineRows
from rtdash.api.line_cut import cutter
from rtdash.api.mapping import FieldMapping
from rtdash.api.models import ActiveCall, CallState, PbxUser, RowReader, UserState
from rtdash.core.agent_time import AgentTime
from rtdash.core.agents import OnCall
from tests.api.test_rows import CALL, with_

from .rows import call, user

NOW = datetime(2026, 5, 1, 10, 5, tzinfo=UTC)


def _body(*rows: dict[str, Any]) -> bytes:
    return "".join(json.dumps(row, separators=(",", ":")) + "\n" for row in rows).encode()


def test_the_line_table_keeps_numbers_and_still_tells_every_line_apart() -> None:
    reader = RowReader("call", FieldMapping(), ZoneInfo("UTC"))
    rows = [with_(CALL, callRef=f"c-{n}") for n in range(30)]
    first = InfinityClient._parse_rows(_body(*rows), NOW, False, reader)
    # one byte apart, at the start, in the middle, at the end of a head: all new rows
    rows[3] = with_(rows[3], callRef="d-3")
    rows[4] = with_(rows[4], dgrpName="Sales lind")
    rows[5] = with_(rows[5], displayName="x")
    second = InfinityClient._parse_rows(_body(*rows), NOW, False, reader)
    assert [a is b for a, b in zip(first.rows, second.rows, strict=True)] == [
        n not in (3, 4, 5) for n in range(30)
    ]
    assert (second.rows[3].call_ref, second.rows[4].dgrp_name, second.rows[5].agent_name) == (
        "d-3",
        "Sales lind",
        "x",
    )
    lines = reader.lines
    assert isinstance(lines, LineRows) and len(lines.heads) == 30
    assert all(type(key) is int for key in lines.heads.held_keys())  # no line's bytes are held
    # heads of other lengths, one the start of the next, have keys of their own
    heads = [b"a", b"ab", b"abc", b"a" * 300]
    cut = cutter(())(b"".join(head + b"}\n" for head in heads))
    assert cut is not None and len(set(cut.keys())) == len(heads)


def test_rows_without_extra_keys_share_one_empty_dict() -> None:
    reader = RowReader("call", FieldMapping(), ZoneInfo("UTC"))
    plain = [reader.read(with_(CALL, callRef=f"c-{n}")) for n in range(3)]
    odd = reader.read(with_(CALL, callRef="c-9", colour="blue"))
    assert plain[0].extra == {} and plain[0].extra is plain[1].extra is plain[2].extra
    assert odd.extra == {"colour": "blue"} and plain[0].extra == {}
    assert plain[0].to_json() == {**plain[0].to_json(), "extra": {}}


def _clock_day(seed: int, fresh: bool) -> dict[str, Any]:
    """Agents sharing a folded name (two "Sam"s and a "sam", whom calls that carry
    only a name put on a call together) over a random day."""
    rnd = random.Random(seed)
    clocks = AgentTime()
    refs, names = ["a1", "a2", "a3", "a4", None, None], ["Sam", "Sam", "Jo", None, "sam", "Al"]
    people: dict[str, PbxUser] = {}
    since = 0.0
    for poll in range(120):
        now = 100.0 + 2 * poll
        for i in rnd.sample(range(6), 2):
            people[str(i)] = user(
                str(i), rnd.choice(list(UserState)), now - 1, name=names[i], operator_ref=refs[i]
            )
        if rnd.random() < 0.3 and people:
            people.pop(rnd.choice(sorted(people)))
        on = OnCall.from_calls(
            call(f"c{i}", CallState.BRIDGED, 0, 0, agent_ref=refs[i], agent_name=names[i])
            for i in rnd.sample(range(6), rnd.randint(0, 3))
        )
        rows = tuple(people.values())
        if fresh:
            rows = tuple(row.model_copy() for row in rows)
        clocks.observe(rows, on, now, since)
        since = now
    return clocks.to_dict(400.0)


def test_agents_sharing_a_name_are_followed_as_when_all_are_read() -> None:
    for seed in range(20):
        assert _clock_day(seed, fresh=False) == _clock_day(seed, fresh=True), seed


def test_rows_hold_their_values_in_slots_however_they_were_built() -> None:
    """A row read by the fast reader and one built (and checked by pydantic) by keyword
    are the same size: a slot per field, no dict, no per-row bookkeeping."""
    made = ActiveCall(call_ref="v-1", state=CallState.QUEUEING)
    read = RowReader("call", FieldMapping(), ZoneInfo("UTC")).read(CALL)
    assert sys.getsizeof(made) == sys.getsizeof(read)
    assert sys.getsizeof(read) <= 8 * (len(ActiveCall.model_fields) + 4)
    assert not hasattr(read, "__pydantic_fields_set__")
    assert made.model_copy(update={"queue": "q"}).queue == "q" and made.queue is None
