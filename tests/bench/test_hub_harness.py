"""The hub benchmark's harness works: ``python -m bench.hub`` with a few viewers writes
its section, with a row per N and kind of viewer, every viewer connected and the
upstream polled. Never how fast anything was (that is bench/RESULTS.md's business)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_the_hub_benchmark_writes_its_section(tmp_path: Path) -> None:
    if shutil.which("redis-server") is None:
        if os.environ.get("RTDASH_E2E_REQUIRED") == "1":
            pytest.fail("redis-server is missing (apt install redis-server)")
        pytest.skip("redis-server is not installed")
    report = tmp_path / "RESULTS.md"
    report.write_text("# results\n\nkept as it was\n")
    options = ["--seconds", "2", "--viewers", "1,3", "--workers", "2", "--ptys", "1"]
    options += ["--memory-seconds", "2", "--output", str(report)]
    done = subprocess.run(
        [sys.executable, "-m", "bench.hub", *options],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    text = report.read_text()
    assert text.startswith("# results\n\nkept as it was\n")
    assert "<!-- kept:hub -->" in text and text.rstrip().endswith("<!-- /kept -->")
    rows = re.findall(r"^\| (\d+) \| (screen|wire) \| (\d+) \| ([\d.]+) \| ([\d.]+) \|", text, re.M)
    assert [(n, kind, workers) for n, kind, workers, _, _ in rows] == [
        ("1", "screen", "1"),
        ("1", "wire", "1"),
        ("3", "screen", "2"),
        ("3", "wire", "2"),
    ]
    for *_, calls, users in rows:
        assert float(calls) > 0 and float(users) > 0, "the hub polled the upstream"
    received = re.findall(r"\| (\d+) / (\d+) \|", text)
    assert len(received) == 4 and all(int(got) > 0 for got, _ in received), received
    command = "python -m bench.hub --seconds 2 --viewers 1,3 --workers 2 --load medium --ptys 1"
    assert f"`{command} --memory-seconds 2`" in text
    # a real dashboard in a terminal was timed, and a delta decoded against a full frame
    timed = re.search(
        r"Real dashboards: 1 `rtdash --hub` .*?(\d+) running at the end, (\d+) snapshots", text
    )
    assert timed is not None and timed.groups()[0] == "1" and int(timed.groups()[1]) > 0, text
    assert re.search(r"full frame [\d.]+ ms .* delta on the snapshot before [\d.]+ ms", text)
