"""What reading a big centre's body in wide pieces saves a SCALE round: asyncio's own
256 KiB reads against :meth:`rtdash.api.http11_stream.Incoming.widen`'s, taking turns
round by round in one run.

    python -m bench.wide_reads [--calls 50000] [--rounds 24]

One process, one simulator (in a process of its own), SCALE's rounds (``measure_scale``:
one poll of both routes to the frame written, then a tick); before each round the
connection is set to read as its arm does. Taking turns round by round (first one arm
first, then the other: ABBA, so neither always follows the other), the two arms see
the same host: a slower stretch of the machine falls on both alike. Besides each
round's CPU, the reads the socket gave in it are counted. The medians go into
bench/RESULTS.md as the kept section ``wide-reads``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
from pathlib import Path

from bench.kept import RESULTS, publish, rerun_command, stamp
from bench.loads import RTDASH
from bench.measures.remote_sim import remote_sim
from bench.measures.scaling import measure_scale, scale_load
from rtdash.api.http11_stream import Incoming

#: each arm's read size, as it is called in the report
ARMS = {
    "asyncio's reads (256 KiB)": 256 * 1024,
    f"wide reads ({Incoming.WIDE_READ // 1024:,} KiB, today's)": Incoming.WIDE_READ,
}


class _Turns:
    """Handed to ``measure_scale`` as its profiler (enabled and disabled around each
    counted round): it sets the read size of the round's arm, and counts the reads."""

    def __init__(self) -> None:
        self.sizes = list(ARMS.values())
        self.size = self.sizes[0]
        self.rounds = 0
        #: each counted round's arm (an index into ARMS) and its reads
        self.arms: list[int] = []
        self.reads: list[int] = []
        self._read = 0

    def enable(self) -> None:
        pair = self.rounds // 2  # A B, then B A, then A B: ABBA
        arm = (self.rounds + pair) % 2
        self.arms.append(arm)
        self.size = self.sizes[arm]
        self._read = 0

    def disable(self) -> None:
        self.reads.append(self._read)
        self.rounds += 1

    def install(self) -> None:
        """The connection reads as the round's arm does (``widen`` is asked before
        each big body is read), and each read is counted."""
        turns = self
        received = Incoming.data_received

        def widen(stream: Incoming) -> bool:
            setattr(stream.transport, "max_size", turns.size)  # noqa: B010
            return True

        def data_received(stream: Incoming, data: bytes) -> None:
            turns._read += 1
            received(stream, data)

        # the bench's own arms in place of the stream's methods, for this process only
        Incoming.widen = widen  # type: ignore[method-assign]
        Incoming.data_received = data_received  # type: ignore[method-assign]  # (as above)
        Incoming.HOLD = Incoming.WIDE_HOLD  # the same hold for both arms


def measure(calls: int, rounds: int) -> dict[str, dict[str, float]]:
    """Each arm's median round (ms) and reads a round, over ``rounds`` rounds each."""
    turns = _Turns()
    turns.install()
    with remote_sim(scale_load(calls)) as sim:
        run = asyncio.run(
            measure_scale(
                RTDASH, sim, polls=rounds * len(ARMS), warmup=2, slow=None, profiler=turns
            )
        )
    return {
        said: {
            "round_ms": statistics.median(
                total for total, arm in zip(run.total, turns.arms, strict=True) if arm == index
            )
            * 1e3,
            "reads": statistics.median(
                reads for reads, arm in zip(turns.reads, turns.arms, strict=True) if arm == index
            ),
        }
        for index, said in enumerate(ARMS)
    }


def report(calls: int, found: dict[str, dict[str, float]]) -> list[str]:
    lines = [
        f"| arm ({calls:,} calls) | round ms (median) | socket reads a round |",
        "| --- | ---: | ---: |",
    ]
    for said, got in found.items():
        lines.append(f"| {said} | {got['round_ms']:.1f} | {got['reads']:.0f} |")
    narrow, wide = (got["round_ms"] for got in found.values())
    lines += ["", f"Wide reads / asyncio's, round CPU: {wide / narrow:.2f}×."]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.wide_reads", description=__doc__)
    parser.add_argument("--calls", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=24, help="counted rounds of each arm")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    before = os.getloadavg()
    found = measure(args.calls, args.rounds)
    publish(
        "wide-reads",
        "## A big body read in wide pieces or in asyncio's "
        f"(`{rerun_command(parser, args, ['calls', 'rounds'])}`)",
        f"{stamp(before[0])} SCALE's rounds (CPU per poll + tick) in one run, the arms "
        "taking turns round by round; reads counted as the socket gave them.",
        report(args.calls, found),
        args.output,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
