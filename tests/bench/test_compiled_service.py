"""``python -m bench.compiled_service`` compiles the service level with mypyc in a copy
of the tree and measures each arm in a child of its own: the compiled arm must really
have run compiled code, and the interpreted one the repository's own."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from bench.compiled_service import COMPILED, ROOT
from rtdash.api import line_cut
from tests.bench.running import kept_section


def test_each_compiled_module_is_a_module_of_the_tree() -> None:
    assert all((ROOT / path).is_file() for path in COMPILED)


def test_the_compiled_arm_runs_the_compiled_tracker_and_both_are_measured(tmp_path: Path) -> None:
    if line_cut.scanner is None and os.environ.get("RTDASH_SCANNER_REQUIRED") != "1":
        pytest.skip("no compiler built rtdash's C parts here: none to compile with either")
    section = kept_section(
        tmp_path,
        "bench.compiled_service",
        "compiled-service",
        "--calls",
        "400",
        "--rounds",
        "5",
        "--runs",
        "1",
    )
    found = dict(
        (arm, (float(service), float(round_ms), loaded))
        for arm, service, round_ms, loaded in re.findall(
            r"^\| (interpreted|compiled) \| ([\d.]+) \| ([\d.]+) \| `([^`]+)` \|$", section, re.M
        )
    )
    assert set(found) == {"interpreted", "compiled"}, section
    assert found["interpreted"][2] == "outcomes.py"
    assert re.fullmatch(r"outcomes\..+\.so", found["compiled"][2]), found["compiled"][2]
    # the service level runs within the round in both arms
    assert all(0 < service < round_ms for service, round_ms, _ in found.values())
    assert re.search(r"each run: [\d.]+ \(median [\d.]+\)\.", section)
