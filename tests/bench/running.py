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


def kept_section(folder: Path, module: str, name: str, *args: str) -> str:
    """``python -m MODULE ARGS --output REPORT`` on a report of its own in ``folder``:
    the text of the kept section ``name`` it wrote there, once (from its marker to the
    end of the report)."""
    report = folder / "RESULTS.md"
    report.write_text("# rtdash benchmark results\n\n## Targets\n\nfigures\n")
    done = run_module(module, *args, "--output", str(report))
    assert done.returncode == 0, done.stderr[-3000:]
    text = report.read_text()
    marker = f"<!-- kept:{name} -->"
    assert text.count(marker) == 1, text[-3000:]
    return text.split(marker, 1)[1]
