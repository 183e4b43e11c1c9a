"""The idiomatic peer (bench/peer.py) is a fair one: it shows what rtdash shows, row for
row and cell for cell, and it reaches that through stock DataTable calls made only for
what changed (a cell that did not change gets no ``update_cell``)."""

from __future__ import annotations

import time
from functools import partial
from typing import Any

from rich.text import Text
from textual.coordinate import Coordinate

from bench.loads import Load, make_sim
from bench.measures.inprocess import dashboard_of, has_data, settings_for, stop_background, wait_for
from bench.peer import PeerApp, PeerTable
from rtdash.api.client import InfinityClient
from rtdash.api.credentials import Credentials, Secret
from rtdash.core.clock import FrozenClock
from rtdash.core.snapshot import CALL_STATES, CallsSnapshot, UsersSnapshot
from rtdash.ui.app import RtdashApp
from rtdash.ui.messages import CallsUpdated, UsersUpdated

LOAD = Load("test", 60, 40)
SIZE = (160, 48)


def _plain(value: Any) -> str:
    return value.plain if isinstance(value, Text) else str(value)


def _tables(app: Any) -> dict[str, Any]:
    board = dashboard_of(app)
    tables = {f"calls-{state}": board.grid.table(state) for state in CALL_STATES}
    tables["users"] = board.user_panel.table
    return tables


def _shown(table: Any) -> list[tuple[str, list[str]]]:
    """The rows as the table holds them, in its own order, as plain text."""
    if isinstance(table, PeerTable):
        rows = []
        for index in range(table.row_count):
            key = table.coordinate_to_cell_key(Coordinate(index, 0)).row_key.value
            assert key is not None
            rows.append((key, [_plain(cell) for cell in table.get_row_at(index)]))
        return rows
    return [(key, table.get_row(key)) for key in table.keys]


async def _snapshots(client: InfinityClient, clock: FrozenClock) -> tuple[Any, Any]:
    calls = await client.active_calls()
    users = await client.user_status()
    return (
        CallsSnapshot.build(calls.rows, clock.now(), calls.unreadable),
        UsersSnapshot.build(users.rows, clock.now(), users.unreadable),
    )


async def test_peer_shows_what_rtdash_shows_and_updates_only_changed_cells() -> None:
    with make_sim(LOAD) as sim:
        clock = FrozenClock(sim.now)
        ours, peer = (
            RtdashApp(settings_for(sim), clock=clock),
            PeerApp(settings_for(sim), clock=clock),
        )
        client = InfinityClient(
            igrp=sim.igrp,
            credentials=Credentials(sim.username, Secret(sim.password)),
            base_url=sim.url,
            now=clock.now,
        )
        async with ours.run_test(size=SIZE) as our_pilot, peer.run_test(size=SIZE) as peer_pilot:
            for app in (ours, peer):
                await wait_for(partial(has_data, app), timeout=30)
                stop_background(dashboard_of(app))

            async def show(calls: Any, users: Any, *, tick: bool = False) -> None:
                for app, pilot in ((ours, our_pilot), (peer, peer_pilot)):
                    board = dashboard_of(app)
                    board.post_message(CallsUpdated(calls))
                    board.post_message(UsersUpdated(users))
                    await pilot.pause()
                    if tick:
                        board.tick()
                        await pilot.pause()

            def same() -> None:
                mine, theirs = _tables(ours), _tables(peer)
                for name, table in theirs.items():
                    assert isinstance(table, PeerTable), name
                    assert _shown(table) == _shown(mine[name]), name
                    assert table.keys == mine[name].keys, name

            sim.advance(1)
            clock.advance(1)
            calls, users = await _snapshots(client, clock)
            await show(calls, users)
            same()

            # a poll later: every update_cell changes a value, and far fewer cells are
            # written than the tables hold
            tables = list(_tables(peer).values())
            calls_made: list[tuple[str, str, str, str]] = []
            for table in tables:
                original = table.update_cell

                def spy(
                    row: Any,
                    column: Any,
                    value: Any,
                    *,
                    table: Any = table,
                    original: Any = original,
                    **kw: Any,
                ) -> None:
                    before = _plain(table.get_cell(row, column))
                    calls_made.append((str(row), str(column), before, _plain(value)))
                    original(row, column, value, **kw)

                table.update_cell = spy
            counts = [(t.updates, t.added, t.removed) for t in tables]
            sim.advance(1)
            clock.advance(1)
            calls, users = await _snapshots(client, clock)
            await show(calls, users, tick=True)
            same()
            assert calls_made, "a second passed: some times in state changed"
            assert all(before != after for _r, _c, before, after in calls_made)
            cells = sum(t.row_count * len(t.columns) for t in tables)
            assert len(calls_made) < cells / 2
            assert sum(t.updates for t in tables) - sum(c[0] for c in counts) == len(calls_made)

            # half a minute later: calls came and went, users changed state (and moved to
            # the end of the time-ordered list); still the same rows in the same order
            counts = [(t.updates, t.added, t.removed) for t in tables]
            sim.advance(30)
            clock.advance(30)
            calls, users = await _snapshots(client, clock)
            await show(calls, users, tick=True)
            same()
            assert sum(t.added for t in tables) > sum(c[1] for c in counts)
            assert sum(t.removed for t in tables) > sum(c[2] for c in counts)

            # the same snapshot again at the same moment: nothing reaches the tables
            counts = [(t.updates, t.added, t.removed) for t in tables]
            for table in tables:
                table.reconcile(table._items)
                table.tick()
            assert [(t.updates, t.added, t.removed) for t in tables] == counts
        await client.aclose()


def test_the_peer_runs_in_a_terminal_as_rtdash_does() -> None:
    """``python -m bench.peer --base-url … --igrp …`` in a real pty shows its data."""
    from bench.loads import LOADS, PEER
    from bench.measures.terminal import terminal

    with make_sim(LOADS["small"]) as sim, terminal(PEER, sim, (160, 48)) as term:
        term.wait_for()  # "data as of" on the screen, else TimeoutError / RuntimeError
        before = term.bytes_so_far()
        deadline = time.monotonic() + 30
        while term.bytes_so_far() == before and time.monotonic() < deadline:
            time.sleep(0.05)  # the next second's tick or poll draws again
        assert term.process.poll() is None, term.said()
    assert term.bytes_so_far() > before
