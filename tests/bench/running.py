"""A bench script run as a person runs it: ``python -m ...`` from the repository's root,
its output kept so a failing run shows why."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_module(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """``python -m ARGS`` in the repository's root, with this interpreter."""
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )
