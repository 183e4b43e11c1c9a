"""Write one ``<!-- kept:NAME -->`` section of bench/RESULTS.md in place.

A full ``python -m bench`` run rewrites the report but keeps every such section as it
is (:func:`bench.report.kept_sections`), so the long or separate measures (the soak, the
start trace, the SSH link) keep their latest figures between full runs.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Sequence
from pathlib import Path

from bench.report import write_kept

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def stamp(load_before: float) -> str:
    """A section's first words: when it was measured, and how busy the machine was
    before and after (its figures are only comparable within the run)."""
    return (
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; load average "
        f"{load_before:.1f} before, {os.getloadavg()[0]:.1f} after."
    )


def write_section(name: str, lines: list[str], path: Path = RESULTS) -> None:
    """Replace section ``name`` of the report (or append it) with ``lines``."""
    write_kept(path, name, lines)


def publish(name: str, heading: str, method: str, body: list[str], path: Path = RESULTS) -> None:
    """Section ``name`` written and printed: its heading, then ``method`` (what was
    measured, after its :func:`stamp`), then ``body``."""
    lines = [heading, "", method, "", *body]
    write_section(name, lines, path)
    print("\n".join(lines))


def rerun_command(
    parser: argparse.ArgumentParser, args: argparse.Namespace, names: Sequence[str]
) -> str:
    """The command that measures again as this run did, for the section's heading: the
    program and each of ``names`` whose value is not its default."""
    flags = [
        f"--{name} {getattr(args, name):g}"
        for name in names
        if getattr(args, name) != parser.get_default(name)
    ]
    return " ".join([parser.prog, *flags])
