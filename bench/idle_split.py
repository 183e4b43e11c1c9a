"""Where the quiet second goes: rtdash live on a frozen centre, taken apart.

The same pty harness as ``python -m bench.idle_cpu`` (a frozen medium centre seen on
the system clock, 160×48, % of one core over a window after a warm-up), one variant
of rtdash at a time, alternated, the order turning each round:

- *live*: as ``bench.idle_cpu`` measures it (1 s poll, times ticking, breaches flashing);
- *no flash*: ``--no-flash`` (a new breach's tile does not blink for its first seconds);
- *tick alone*: ``--interval 60`` (the times tick, the centre is asked once a minute);
- *paused*: ``p`` typed once the data is in (only the age of the data moves).

and, in-process, the CPU of one poll of both routes of the unchanged centre through
the product's client (``bench.measures.inprocess.poll_cpu``: the thread's time, not the
simulator's), this tree against ``--baseline`` in the same run.

    python -m bench.idle_split --baseline b780a75

Writes the ``quiet-profile`` section of RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.commit_tree import export_commit
from bench.idle_cpu import rtdash_sample
from bench.kept import stamp, write_section

SECTION = "quiet-profile"
VARIANTS: dict[str, tuple[tuple[str, ...], bytes]] = {
    "live": ((), b""),
    "no flash": (("--no-flash",), b""),
    "tick alone (poll every 60 s)": (("--interval", "60"), b""),
    "paused": ((), b"p"),
}
#: what the measures above follow from (the figures are the run's, above)
NOTES = [
    "What makes the unchanged poll cheap: the polled GETs go over the client's own "
    "HTTP/1.1 lane on asyncio's streams (`rtdash/api/http11.py`; httpx stays the lane "
    "for an injected client or a proxy from the environment), the request's bytes are "
    "made once per query, and a small body byte for byte the last one is known by one "
    "comparison before any line is read. What makes the tick cheaper: strips drawn once "
    "and written once are made without Textual's per-strip caches, a partial update's "
    "cursor moves are cached escape codes, a widget is asked only about the dirty lines "
    "it covers, and a table's time cells are compared and merged with fewer look-ups.",
    "",
    "What is left, largest first: the tables' time cells (compared, drawn, written every "
    "second for every row on screen); the longest-wait number and the status line, drawn "
    "each second through Textual's own rendering (styles cache, content, visual); a "
    "breach's flashing (each blink sets the tile's lit look as inline styles, no longer a "
    "class that sent the tile and its children through the style sheet, then redraws the "
    "tile); the poller's messages. Next step: the big number, the status line and the "
    "tile's border through the Line API, each checked against the snapshots.",
]
POLL_CPU = (
    "import asyncio, json, statistics;"
    "from bench.loads import LOADS;"
    "from bench.measures.inprocess import poll_cpu;"
    "print(json.dumps(statistics.median(asyncio.run(poll_cpu(LOADS['medium'], {polls})))))"
)


def poll_ms(tree: Path | None, polls: int) -> float:
    """Median ms of CPU for one poll of both routes, by the client of ``tree`` (this
    one if None), in a process of its own."""
    env = dict(os.environ)
    argv = [sys.executable, "-c", POLL_CPU.format(polls=polls)]
    if tree is not None:
        env["PYTHONPATH"] = str(tree)
        argv[1:1] = ["-P"]
    cwd = str(tree) if tree is not None else None
    out = subprocess.run(argv, env=env, cwd=cwd, check=True, capture_output=True, text=True)
    return 1000 * float(json.loads(out.stdout.strip().splitlines()[-1]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.idle_split", description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--warmup", type=float, default=5.0)
    parser.add_argument("--window", type=float, default=20.0)
    parser.add_argument("--polls", type=int, default=200)
    parser.add_argument("--baseline", default=None, help="a commit to compare the poll with")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    load_before = os.getloadavg()[0]
    names = list(VARIANTS)
    seen: dict[str, list[float]] = {name: [] for name in names}
    polls: dict[str, list[float]] = {"this tree": [], str(args.baseline): []}
    with tempfile.TemporaryDirectory(prefix="rtdash-idle-split-") as folder:
        tree = (
            export_commit(args.baseline, Path(folder), compile_bytecode=True)
            if args.baseline
            else None
        )
        for index in range(args.rounds):
            shift = index % len(names)
            order = names[shift:] + names[:shift]
            for name in order[::-1] if index % 2 else order:
                flags, keys = VARIANTS[name]
                cpu, _ = rtdash_sample(
                    warmup=args.warmup, window=args.window, flags=flags, keys=keys
                )
                seen[name].append(cpu)
            sides = [(None, "this tree"), (tree, str(args.baseline))] if tree else []
            for where, label in sides if index % 2 == 0 else sides[::-1]:
                polls[label].append(poll_ms(where, args.polls))
    cpu = {name: statistics.median(values) for name, values in seen.items()}
    command = f"{parser.prog} --rounds {args.rounds}" + (
        f" --baseline {args.baseline}" if args.baseline else ""
    )
    lines = [
        f"### Where the quiet second goes (`{command}`)",
        "",
        f"{stamp(load_before)} rtdash on the frozen "
        f"medium centre, 160×48, % of one core over {args.window:g} s after "
        f"{args.warmup:g} s, {args.rounds} rounds, the variants alternated.",
        "",
        "| rtdash | CPU % median | min | max |",
        "| --- | --- | --- | --- |",
    ]
    for name, values in seen.items():
        lines.append(f"| {name} | {cpu[name]:.2f} | {min(values):.2f} | {max(values):.2f} |")
    live = cpu["live"]
    lines += [
        "",
        f"So of the live {live:.2f} %: the 1 s poll of an unchanged centre (its requests, "
        "the poller, the status it posts, the age of the data it moves on) about "
        f"{live - cpu['tick alone (poll every 60 s)']:.2f}; the new breaches' flashing "
        f"about {live - cpu['no flash']:.2f}; the tick with no poll "
        f"{cpu['tick alone (poll every 60 s)']:.2f}, flashing included; paused (only the "
        f"age of the data moves) {cpu['paused']:.2f}.",
    ]
    if args.baseline:
        mine = statistics.median(polls["this tree"])
        base = statistics.median(polls[str(args.baseline)])
        lines += [
            "",
            f"One poll of both routes of the unchanged centre through the client, CPU of "
            f"the polling thread, median of {args.polls} polls, median of {args.rounds} "
            f"runs alternated: this tree **{mine:.2f} ms**, {args.baseline} "
            f"{base:.2f} ms ({base / mine:.1f}× less).",
        ]
    lines += ["", *NOTES]
    print("\n".join(lines))
    if not args.no_write:
        write_section(SECTION, lines)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
