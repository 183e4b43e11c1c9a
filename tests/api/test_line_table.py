"""The line table of a route's reader is brought from body to body by its new and gone
lines (rtdash/api/head_cache.py ``LineRows.keep``), not rebuilt: poll after poll of a
moving centre it must read every body as a first read of that body reads it, and hold
exactly the lines of the last body."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest

from rtdash.api.head_cache import LineRows
from tests.api.body_pieces import CUTS, Pieces, call, compact, mock_client, outcomes, seen

# every way of cutting lines (rtdash.api.line_cut)
pytestmark = pytest.mark.usefixtures("each_cut")


def _centre(seed: int, polls: int) -> list[bytes]:
    """A centre moving for ``polls`` polls: durations tick, calls arrive and end, lines
    move, a call is answered (a product-used field changes), a line comes twice (the
    same bytes, or the same id with other fields), a line is not a row."""
    rng = random.Random(seed)
    refs = [f"c-{n:03d}" for n in range(40)]
    since: dict[str, int] = {}  # when each answered call was answered
    made = 40
    bodies = []
    for second in range(polls):
        for ref in rng.sample(refs, 3):
            refs.remove(ref)
        for _ in range(rng.randint(0, 4)):
            refs.insert(rng.randrange(len(refs) + 1), f"c-{made:03d}")
            made += 1
        answered = rng.choice(refs)
        since.setdefault(answered, second)
        if rng.random() < 0.5:  # a line moves
            refs.append(refs.pop(rng.randrange(len(refs))))
        rows = [_row(ref, second, since.get(ref)) for ref in refs]
        lines = compact(*rows).splitlines(keepends=True)
        kind = second % 4
        if kind == 1:  # the very same line twice
            lines.insert(rng.randrange(len(lines)), lines[rng.randrange(len(lines))])
        elif kind == 2:  # one id twice, the second saying another state
            twin = call(rng.choice(refs), second, callState="ringing")
            lines.insert(rng.randrange(len(lines)), compact(twin))
        elif kind == 3:  # a line that is not a row (no call reference)
            stray = call("", second)
            lines.insert(rng.randrange(len(lines)), compact(stray))
        bodies.append(b"".join(lines))
    return bodies


def _row(ref: str, second: int, answered: int | None) -> dict[str, Any]:
    """A call as the service writes it: queueing, or bridged since ``answered`` (its
    time in the queue then stands still and its time bridged ticks)."""
    if answered is None:
        return call(ref, second)
    row = call(ref, answered, callState="bridged")
    row.update(bridgeDuration=str(second - answered), callDuration=str(62 + second))
    return row


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_a_moving_centre_reads_as_each_body_read_first_and_the_table_holds_the_last(
    streamed: Callable[[bool], None], seed: int
) -> None:
    bodies = _centre(seed, 12)
    streamed(True)
    upstream = Pieces(CUTS["7"])
    shown: datetime | None = None
    async with mock_client(upstream) as client:
        for body in bodies:
            upstream.body = body
            got = await client.active_calls()
            streamed(False)
            first: Any = (await outcomes([body], CUTS["whole"]))[0]
            streamed(True)
            # the rows (durations as shown), unreadable and duplicate counts
            assert seen(got, shown)[:3] == first[:3]
            shown = got.server_now or shown
            lines = client._readers["call"].lines
            assert isinstance(lines, LineRows)
            distinct = {line for line in body.splitlines() if line}
            assert len(lines.heads) == len(distinct)  # nothing gone is kept


async def test_the_gone_and_new_rows_handed_on_are_those_a_comparison_finds(
    streamed: Callable[[bool], None],
) -> None:
    refs = [f"c-{n:03d}" for n in range(30)]
    later = [*refs[:5], "c-new", *refs[8:], "c-late"]
    bodies = [
        compact(*(call(ref, 0) for ref in refs)),
        compact(
            *(call(ref, 1, **({"callState": "bridged"} if ref == "c-010" else {})) for ref in later)
        ),
    ]
    streamed(True)
    upstream = Pieces(CUTS["7"])
    async with mock_client(upstream) as client:
        upstream.body = bodies[0]
        before = await client.active_calls()
        upstream.body = bodies[1]
        after = await client.active_calls()
    assert after.changes is not None and after.changes[0] is before.rows
    new, gone = after.changes[1], after.changes[2]
    assert sorted(row.call_ref for row in new) == ["c-010", "c-late", "c-new"]
    assert sorted(row.call_ref for row in gone) == ["c-005", "c-006", "c-007", "c-010"]
    held = {id(row) for row in before.rows}
    assert not any(id(row) in held for row in new)
    assert all(id(row) in held for row in gone)
    assert {id(row) for row in after.rows} == (held - {id(row) for row in gone}) | {
        id(row) for row in new
    }
