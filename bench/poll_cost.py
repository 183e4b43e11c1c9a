"""What one poll costs rtdash, against the code of another commit, measured in the
same run, at 200 / 2,000 / 10,000 / 50,000 live calls:

- ``core``: both routes from the body's bytes to the feed's metrics (decode, map to
  rows, snapshot, headline metrics), as the poller does them: CPU of the process;
- ``ui``: the same polls applied to the dashboard of a real app under
  ``App.run_test(size=(160, 48))`` through its own feed (consumers included), every
  frame rendered to the escape codes a terminal would get, plus one tick of the times:
  CPU of the process from the bytes to the frame written.

    python -m bench.poll_cost [--baseline main] [--rounds 5] [--sizes 200,2000,10000,50000]
                              [--modes core,ui]

The bodies are made first by the simulator in-process (medium churn: the model advanced
one second between polls, so every call's durations tick); no socket is involved, so
only rtdash's side is timed (a tree that reads a big body as it comes is handed it in
pieces of the size a socket read gives, through its own transport's opening). The
baseline is the ``--baseline`` commit exported with ``git archive`` into a temporary
folder, its C parts built (:mod:`bench.commit_tree`); each side runs in its own worker
process and the two are asked in turn (ABBA...), so a busy machine slows both alike.
Each figure is the median, over rounds, of the median steady poll of a round (the first
poll of a round meets every row for the first time and is not counted).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import pickle
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal

ROOT = Path(__file__).resolve().parent.parent
POLLS = 6
#: the pieces a body comes in from the socket (the HTTP/1.1 lane reads this much at a time)
PIECE = 64 * 1024


# --- the worker: runs inside the tree it measures ---------------------------------------


def _worker(root: str) -> None:
    sys.path.insert(0, root)
    import asyncio
    import importlib
    import inspect
    from datetime import UTC, datetime

    import rtdash
    from rtdash.api.client import Credentials, InfinityClient
    from rtdash.core.clock import SystemClock
    from rtdash.core.feed import FeedOptions, LiveFeed
    from rtdash.core.snapshot import CallsSnapshot, UsersSnapshot
    from rtdash.core.thresholds import Thresholds

    assert str(Path(rtdash.__file__).resolve()).startswith(str(Path(root).resolve()))
    #: a tree whose snapshots sort in only what changed is handed the last one
    incremental = "previous" in inspect.signature(CallsSnapshot.build).parameters
    #: a tree whose poller builds snapshots with no order keys (``keyed=False``) is
    #: measured that way, as its poller makes them
    placed = "keyed" in inspect.signature(CallsSnapshot.build).parameters
    print(json.dumps({"ready": root}), flush=True)

    # a login drawn for the run: these clients never reach a server
    login = "bench"
    secret = secrets.token_urlsafe(12)

    #: each body cut in the pieces a socket gives, ahead of the timing (the other side
    #: is handed its body whole, ready, as well)
    pieces: dict[int, list[bytes]] = {}

    def _cut(raw: bytes) -> list[bytes]:
        return [raw[start : start + PIECE] for start in range(0, len(raw), PIECE)]

    def cut_ahead(polls: list[tuple[bytes, bytes]]) -> None:
        pieces.clear()
        if hasattr(importlib.import_module("rtdash.api.transport"), "_opening"):
            pieces.update((id(raw), _cut(raw)) for bodies in polls for raw in bodies)

    def stubbed_client() -> tuple[InfinityClient, list[bytes]]:
        client = InfinityClient(
            igrp=1234,
            credentials=Credentials(login, secret),
            base_url="http://127.0.0.1:1/r",
        )
        body: list[bytes] = []
        # a tree that reads a big body as it comes is handed it in the socket's pieces
        opening_of: Any = getattr(importlib.import_module("rtdash.api.transport"), "_opening", None)

        async def get_body(
            route: str, params: object, stream: Any = None
        ) -> tuple[bytes | bytearray | None, str, datetime]:
            raw = body[0]
            if stream is None or opening_of is None:
                return raw, "utf-8", datetime.now(UTC)
            opening = opening_of(stream, "application/x-ndjson", "utf-8")
            assert opening is not None
            for piece in pieces.get(id(raw)) or _cut(raw):
                opening.add(piece)
            return None if opening.taken else opening.buffer, "utf-8", datetime.now(UTC)

        client._get_body = get_body  # type: ignore[method-assign]  # no socket: bytes ready
        return client, body

    async def one_poll(
        client: InfinityClient,
        body: list[bytes],
        feed: LiveFeed,
        bodies: tuple[bytes, bytes],
        last: dict[str, tuple[Any, Any]],
    ) -> None:
        """Both routes, as the poller does them: bytes to rows, the snapshot (the last
        one again for an unchanged body; as the tree's poller builds it), the feed
        (metrics, consumers)."""
        routes: tuple[tuple[str, Literal["call", "user"], bytes, Any, Any], ...] = (
            ("pbxActiveCalls", "call", bodies[0], CallsSnapshot.build, feed.on_calls),
            ("pbxUserStatus", "user", bodies[1], UsersSnapshot.build, feed.on_users),
        )
        for route, kind, raw, build, sink in routes:
            body[:] = [raw]
            result = await client._fetch_rows(route, [("tz", "UTC")], kind, False)
            held = last.get(route)
            if result.unchanged and held is not None and held[0] is result.rows:
                snapshot = held[1].again(result.fetched_at)
            else:
                more: dict[str, Any] = {}
                if incremental:
                    more["previous"] = held[1] if held is not None else None
                    if kind == "call":
                        more["server_now"] = result.server_now
                if placed:  # the poller's snapshots keep no order keys
                    more["keyed"] = False
                changes = getattr(result, "changes", None)
                if changes is not None and held is not None and changes[0] is held[0]:
                    more["changes"] = changes[1:]  # as the poller: what changed, if known
                snapshot = build(result.rows, result.fetched_at, result.unreadable, **more)
            last[route] = (result.rows, snapshot)
            sink(snapshot)
            body.clear()

    async def core_round(polls: list[tuple[bytes, bytes]]) -> float:
        cut_ahead(polls)
        client, body = stubbed_client()
        feed = LiveFeed(FeedOptions(clock=SystemClock(), thresholds=Thresholds()))
        last: dict[str, tuple[Any, Any]] = {}
        times: list[float] = []
        for bodies in polls:
            began = time.process_time()  # CPU, as the ui mode: a busy machine slows less
            await one_poll(client, body, feed, bodies, last)
            times.append(time.process_time() - began)
        await client.aclose()
        assert feed.metrics.waiting is not None and feed.metrics.agents_available is not None
        return statistics.median(times[1:])

    async def ui_round(polls: list[tuple[bytes, bytes]]) -> float:
        """The same polls applied to the dashboard in a real app (160x48, every frame
        rendered to escape codes), plus one tick of the times: CPU from the bytes to the
        frame written, of this process."""
        cut_ahead(polls)
        from bench.accuracy import START
        from bench.measures.inprocess import SIZE, rendering_driver, stop_background
        from rtdash.config import Settings
        from rtdash.core.clock import FrozenClock
        from rtdash.ui.app import RtdashApp

        settings = Settings()
        settings.connection.base_url = "http://127.0.0.1:9/r"  # never asked: polls stopped
        settings.connection.igrp = 1234
        settings.connection.username = login
        settings.connection.password = secret  # type: ignore[assignment]  # kept a secret once set (every release does: this file also drives older trees)
        clock = FrozenClock(START + timedelta(seconds=1800))
        app: Any = RtdashApp(settings, clock=clock)
        client, body = stubbed_client()
        times: list[float] = []
        with rendering_driver():
            async with app.run_test(size=SIZE) as pilot:
                for _ in range(600):
                    if getattr(app.screen, "dashboard", None) is not None:
                        break
                    await pilot.pause(0.05)
                board = app.screen.dashboard
                stop_background(board)
                await pilot.pause()
                last: dict[str, tuple[Any, Any]] = {}
                for bodies in polls:
                    clock.advance(1.0)
                    await pilot.pause()
                    began = time.process_time()
                    await one_poll(client, body, board.feed, bodies, last)
                    await pilot.pause()
                    board.tick()
                    await pilot.pause()
                    times.append(time.process_time() - began)
                shown = sum(
                    len(board.grid.table(state).keys) for state in board.grid.snapshot.groups
                )
                assert shown > 0, "nothing drawn"
        await client.aclose()
        return statistics.median(times[1:])

    for line in sys.stdin:
        path, mode = line.split()
        with open(path, "rb") as handle:
            polls = pickle.load(handle)
        cost = asyncio.run(core_round(polls) if mode == "core" else ui_round(polls))
        print(json.dumps({"seconds": cost}), flush=True)


# --- the parent ---------------------------------------------------------------------------


def _bodies(calls: int, folder: Path) -> Path:
    import base64

    from bench.service_cost import frozen_centre

    sim = frozen_centre(calls)
    auth = "Basic " + base64.b64encode(f"{sim.username}:{sim.password}".encode()).decode()
    polls = []
    for _ in range(POLLS):
        made = [
            sim.serve_inprocess(f"/reports/v2/igrps/{sim.igrp}/{route}", query, auth)
            for route, query in (
                ("pbxActiveCalls", "tz=UTC"),
                ("pbxUserStatus", "tz=UTC&sort[]=stateStartDatetime-asc"),
            )
        ]
        assert all(answer.status == 200 for answer in made)
        polls.append((made[0].body, made[1].body))
        sim.advance(1.0)
    path = folder / f"polls-{calls}.pickle"
    with open(path, "wb") as handle:
        pickle.dump(polls, handle)
    return path


class Worker:
    def __init__(self, root: Path) -> None:
        env = {**os.environ, "PYTHONPATH": str(root)}
        self.proc = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--worker", str(root)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
            cwd=root,
        )
        self._read()

    def _read(self) -> dict[str, Any]:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("a poll_cost worker ended early")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def measure(self, path: Path, mode: str) -> float:
        assert self.proc.stdin is not None
        self.proc.stdin.write(f"{path} {mode}\n")
        self.proc.stdin.flush()
        return float(self._read()["seconds"])

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        self.proc.wait(timeout=60)


MODES = ("core", "ui")


def run(
    baseline: str, sizes: list[int], rounds: int, modes: tuple[str, ...] = MODES
) -> list[dict[str, Any]]:
    # here, not at the top: a worker runs this file inside the tree it measures
    from bench.commit_tree import export_commit

    out: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="rtdash-poll-cost-") as tmp:
        folder = Path(tmp)
        old_tree = export_commit(baseline, folder)
        workers = {"baseline": Worker(old_tree), "branch": Worker(ROOT)}
        try:
            for calls in sizes:
                path = _bodies(calls, folder)
                for mode in modes:
                    seen: dict[str, list[float]] = {"baseline": [], "branch": []}
                    for index in range(rounds):
                        order = ["baseline", "branch"] if index % 2 == 0 else ["branch", "baseline"]
                        for name in order:
                            seen[name].append(workers[name].measure(path, mode))
                    row = {
                        "calls": calls,
                        "mode": mode,
                        "baseline": statistics.median(seen["baseline"]),
                        "branch": statistics.median(seen["branch"]),
                    }
                    out.append(row)
                    print(_line(row), flush=True)
                path.unlink()
        finally:
            for worker in workers.values():
                worker.close()
    return out


def _line(row: dict[str, Any]) -> str:
    return (
        f"| {row['mode']} | {int(row['calls']):,} | {row['baseline'] * 1000:.1f} "
        f"| {row['branch'] * 1000:.1f} | {row['baseline'] / row['branch']:.1f}× |"
    )


def exponent(
    rows: list[dict[str, Any]], side: str, low: int, high: int, mode: str = "core"
) -> float | None:
    """The growth exponent of ``side``'s cost between ``low`` and ``high`` calls."""
    by = {int(row["calls"]): row[side] for row in rows if row["mode"] == mode}
    if low not in by or high not in by:
        return None
    return float(math.log(by[high] / by[low]) / math.log(high / low))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--worker", metavar="ROOT")
    parser.add_argument("--baseline", default="main")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--sizes", default="200,2000,10000,50000")
    parser.add_argument("--modes", default=",".join(MODES), help="core, ui or both")
    args = parser.parse_args()
    if args.worker:
        _worker(args.worker)
        return
    sizes = [int(size) for size in args.sizes.split(",")]
    modes = tuple(args.modes.split(","))
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    print("| measured | live calls | baseline ms a poll | branch ms a poll | baseline ÷ branch |")
    print("|---|---:|---:|---:|---:|")
    rows = run(args.baseline, sizes, args.rounds, modes)
    for mode in modes:
        for side in ("baseline", "branch"):
            grown = exponent(rows, side, 2_000, 50_000, mode)
            if grown is not None:
                print(f"{mode} {side}: growth exponent 2,000 → 50,000 calls: {grown:.2f}")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    if "--worker" not in sys.argv:
        sys.path.insert(0, str(ROOT))
    main()
