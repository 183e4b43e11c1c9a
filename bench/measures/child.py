"""A bench's arm run in a child process of its own (what cannot be put back within one
process: the C heap's settings, the garbage collector's history), its answer the JSON
on the last line it prints."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def child_answer(module: str, *args: str) -> dict[str, Any]:
    """``python -m module args`` from the repository's root, with this interpreter; the
    dict it printed last."""
    done = subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    answer: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return answer
