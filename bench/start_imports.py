"""What the dashboard's start imports, against another commit, in the same run:
``python -X importtime`` of the modules the dashboard path loads before its first frame
(the command line, the settings, the app), each side in a fresh interpreter, the two
alternated.

    python -m bench.start_imports [--baseline main] [--runs 5]

Reports, per side, the median wall time of the imports and the cumulative import time
of a few modules (from ``-X importtime``), and whether the deferred ones were loaded.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.commit_tree import ROOT, export_commit

#: the settings first (what the command line loads before the app), then the app
PROBE = (
    "import time; t = time.perf_counter(); import rtdash.cli; "
    "from rtdash.config import load_settings; s = time.perf_counter(); "
    "import rtdash.ui.app; e = time.perf_counter(); "
    "print(f'WALL {s - t:.4f} {e - t:.4f}')"
)
WATCHED = (
    "rtdash.config",
    "pydantic",
    "httpx",
    # httpx's command-line client (rtdash.warmup.skip_httpx_cli)
    "click",
    "textual",
    "textual.app",
    "rtdash.ui.screens.dashboard",
    # httpx's async transport: the head start over plain http does without it
    "httpcore",
    "h11",
    "anyio",
    # read only when there is a config file
    "tomllib",
    "phonenumbers",
    "rtdash.cli.data",
    "rtdash.cli.render",
    "rtdash.cli.serve",
    "rtdash.sim",
)


def _probe(root: Path) -> tuple[float, float, dict[str, float]]:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", PROBE],
        capture_output=True,
        text=True,
        cwd=root,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
        check=True,
    )
    settings, total = map(float, re.findall(r"WALL (\S+) (\S+)", done.stdout)[0])
    cumulative: dict[str, float] = {}
    for line in done.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[2].strip() in WATCHED:
            name = parts[2].strip()
            cumulative.setdefault(name, int(parts[1]) / 1e6)  # first (outermost) import
    return settings, total, cumulative


#: run as ``python -c`` in place of ``python -m rtdash``: when the first ``data as of`` is
#: handed to Textual's writer, the watched modules loaded by then go to $RTDASH_LOADED
AT_FIRST_DATA = """
import json, os, runpy, sys
WATCHED = json.loads(os.environ["RTDASH_WATCHED"])

class Hook:
    def find_spec(self, name, path=None, target=None):
        if name != "textual.app":
            return None
        sys.meta_path.remove(self)
        from textual.drivers._writer_thread import WriterThread as writer
        write = writer.write
        def watching(self, text):
            if "data as of" in text and not os.path.exists(os.environ["RTDASH_LOADED"]):
                with open(os.environ["RTDASH_LOADED"], "w") as out:
                    json.dump([m for m in WATCHED if m in sys.modules], out)
            return write(self, text)
        writer.write = watching
        return None

sys.meta_path.insert(0, Hook())
sys.argv = ["rtdash", *sys.argv[1:]]
runpy.run_module("rtdash", run_name="__main__", alter_sys=True)
"""


def loaded_at_first_data(watched: tuple[str, ...] = WATCHED) -> set[str]:
    """The ``watched`` modules loaded when a real start (a pty, the medium simulator)
    first draws its data: what the static probe cannot see (imports at run time, on
    threads)."""
    import json
    import os
    from pathlib import Path

    from bench.loads import LOADS, RTDASH, make_sim
    from bench.measures.terminal import Terminal, child_env

    with (
        make_sim(LOADS["medium"], realtime=True) as sim,
        tempfile.TemporaryDirectory(prefix="rtdash-loaded-") as home,
    ):
        env = child_env(sim, Path(home))
        env["RTDASH_WATCHED"] = json.dumps(watched)
        env["RTDASH_LOADED"] = os.path.join(home, "loaded.json")
        argv = [sys.executable, "-c", AT_FIRST_DATA, *RTDASH.argv(sim)[3:]]
        term = Terminal(argv, env, (160, 48))
        try:
            term.wait_for()
        finally:
            term.close()
        return set(json.loads(Path(env["RTDASH_LOADED"]).read_text()))


def summary(runs: int = 5) -> list[str]:
    """This tree's dashboard-path imports, ``runs`` fresh interpreters, as RESULTS.md lines:
    the medians of the wall times and of the watched modules' cumulative import times."""
    results = [_probe(ROOT) for _ in range(runs + 1)][1:]  # the first warms the caches
    settings = statistics.median(run[0] for run in results) * 1000
    total = statistics.median(run[1] for run in results) * 1000
    lines = [
        "### What the dashboard path imports (`python -X importtime`, via "
        "`bench.start_imports.summary`)",
        "",
        f"Medians of {runs} fresh interpreters importing `rtdash.cli`, `rtdash.config` "
        f"(the settings) and `rtdash.ui.app`: settings loaded at {settings:.0f} ms, the app "
        f"imported at {total:.0f} ms. Cumulative import time of the watched modules (ms; "
        "*not loaded*: not imported by these three), and whether a real start (`rtdash` "
        "in a 160×48 pty on the medium simulator) had loaded each when it first drew "
        "its data (imports at run time and on threads included):",
        "",
        "| module | ms | loaded at first data |",
        "| --- | --- | --- |",
    ]
    loaded = loaded_at_first_data()
    for module in WATCHED:
        times = [run[2][module] for run in results if module in run[2]]
        cell = f"{statistics.median(times) * 1000:.0f}" if times else "*not loaded*"
        lines.append(f"| `{module}` | {cell} | {'yes' if module in loaded else 'no'} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", default="main")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="rtdash-start-") as tmp:
        sides = {"baseline": export_commit(args.baseline, Path(tmp)), "branch": ROOT}
        seen: dict[str, list[tuple[float, float, dict[str, float]]]] = {s: [] for s in sides}
        for index in range(args.runs + 1):
            order = list(sides) if index % 2 == 0 else list(reversed(sides))
            for name in order:
                result = _probe(sides[name])
                if index:  # the first run warms the file cache
                    seen[name].append(result)
    print("| side | settings loaded (ms) | app imported (ms) | " + " | ".join(WATCHED) + " |")
    print("|---|---:|---:|" + "---:|" * len(WATCHED))
    for name, runs in seen.items():
        settings = statistics.median(run[0] for run in runs) * 1000
        total = statistics.median(run[1] for run in runs) * 1000
        cells = []
        for module in WATCHED:
            times = [run[2][module] for run in runs if module in run[2]]
            cells.append(f"{statistics.median(times) * 1000:.0f}" if times else "not loaded")
        print(f"| {name} | {settings:.0f} | {total:.0f} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
