"""``python -m bench.traced DIR [rtdash arguments]``: rtdash under tracemalloc.

For the soak's ``--trace`` runs: the allocations are traced from the first import, and
a thread writes a snapshot to ``DIR/snap-NNNN.bin`` every ``RTDASH_BENCH_TRACE_EVERY``
seconds (default 60), so what grows between two of them can be diffed afterwards
(``python -m bench.soak --diff DIR``). Tracing costs memory and CPU of its own: these
runs find what grows, they do not measure how fast.
"""

from __future__ import annotations

import os
import sys
import threading
import time
import tracemalloc
from pathlib import Path


def _dump(folder: Path, every: float) -> None:
    count = 0
    while True:
        time.sleep(every)
        snapshot = tracemalloc.take_snapshot()
        snapshot.dump(str(folder / f"snap-{count:04d}.bin"))
        count += 1


def main() -> int:
    tracemalloc.start(12)
    folder = Path(sys.argv[1])
    folder.mkdir(parents=True, exist_ok=True)
    every = float(os.environ.get("RTDASH_BENCH_TRACE_EVERY", "60"))
    threading.Thread(target=_dump, args=(folder, every), daemon=True, name="trace").start()
    from rtdash.cli import main as rtdash_main

    return rtdash_main(sys.argv[2:])


if __name__ == "__main__":
    raise SystemExit(main())
