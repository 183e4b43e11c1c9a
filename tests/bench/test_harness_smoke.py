"""The benchmark harness works: ``python -m bench --quick`` measures both apps.

Only that every measure produced a number for rtdash and for the baseline, that the
framework floor (a bare Textual app) produced its five, and that the report was
written with them; never how fast anything was (timings belong in bench/RESULTS.md,
not in tests).
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest

from tests.bench.running import run_module

MEASURES = {"P1", "P2", "P3", "P4", "P5", "P6"}
#: the framework floor's rows, as (what, setting) in the report's table
FLOOR_ROWS = {
    ("start to first paint", "160×48 pty"),
    ("start to first paint", "160×48 pty, httpx + pydantic + platformdirs imported first"),
    ("CPU at rest", "160×48 pty, one line redrawn 1/s"),
    ("CPU at rest", "160×48 pty, a time on each of 41 lines redrawn 1/s"),
    ("CPU at rest", "160×48 pty, nothing redrawn"),
}


@pytest.mark.slow
def test_quick_run_measures_both_apps(tmp_path: Path) -> None:
    report, raw = tmp_path / "RESULTS.md", tmp_path / "results.json"
    done = run_module("bench", "--quick", "--output", str(report), "--json", str(raw), timeout=420)
    assert done.returncode == 0, done.stderr[-3000:]

    written = json.loads(raw.read_text())
    rows = written["rows"]
    assert {row["measure"] for row in rows} == MEASURES
    for row in rows:
        for app in ("rtdash", "baseline"):
            samples = row["samples"].get(app)
            assert samples, f"{row['measure']} {row['load']}: no sample for {app}"
            assert all(math.isfinite(value) and value >= 0 for value in samples), row

    # P4 live says how much of it is the polls alone, a number from a real poll
    live = next(row for row in rows if row["measure"] == "P4" and "live" in row["setting"])
    polling = [note for note in live["notes"] if "polling alone" in note]
    assert len(polling) == 1 and re.search(r"\d+\.\d\d ms a poll = \d+\.\d\d %", polling[0])

    # SCALE: the three apps at the quick size, each a real number, in its own table
    scale = written["scale"]
    assert [row["calls"] for row in scale["rows"]] == [200]
    for app in ("rtdash", "baseline", "peer"):
        samples = scale["rows"][0]["total"].get(app)
        assert samples, f"SCALE: no sample for {app}"
        assert all(math.isfinite(value) and value > 0 for value in samples)

    floor = written["floor"]
    assert {(row["what"], row["setting"]) for row in floor} == FLOOR_ROWS
    for row in floor:
        assert row["samples"], row
        assert all(math.isfinite(value) and value >= 0 for value in row["samples"]), row
        assert row["summary"]["n"] == len(row["samples"])

    text = report.read_text()
    assert "## Machine" in text and "Textual" in text and "load average" in text
    section = text.split("## Scaling", 1)[1].split("\n## ", 1)[0]
    assert re.search(
        r"\| 200 \(100\) \| [\d.]+ \(n=1\) \| [\d.]+ \(n=1\) \| [\d.]+ \(n=1\) \|", section
    )
    for measure in MEASURES:
        assert f"| {measure} " in text

    # the floor is its own section, after the targets and before the full table, with
    # its five rows (information: no PASS or FAIL)
    assert text.index("## Targets") < text.index("## Framework floor")
    assert text.index("## Framework floor") < text.index("## All results")
    section = text.split("## Framework floor", 1)[1].split("\n## ", 1)[0]
    assert "no rtdash code" in section
    for row in floor:
        line = f"| {row['what']} | {row['setting']} | "
        assert line in section, f"no floor row {line!r} in:\n{section}"
        shown = next(part for part in section.splitlines() if part.startswith(line))
        assert row["unit"] in shown and "PASS" not in shown and "FAIL" not in shown


def test_floor_rows_leave_the_targets_alone(tmp_path: Path) -> None:
    """A full run's targets are judged without the floor: a floor row far under a target
    neither turns its FAIL into a PASS nor shows up among the targets."""
    from bench.plan import FULL
    from bench.report import write_report
    from bench.rows import FloorRow, Row, Target

    p2 = Row("P2", "start to first data", "medium", "160×48 pty", "s", 1.0)
    p2.samples = {"rtdash": [1.5, 1.4, 1.6], "baseline": [1.7, 1.6, 1.8]}
    p2.target = Target("≤ 0.6 s", lambda r, b: r.median <= 0.6)
    floor = FloorRow("start to first paint", "160×48 pty", "s", 1.0, "P2 start to first data")
    floor.samples = [0.5, 0.45, 0.55]
    report = tmp_path / "RESULTS.md"
    write_report(report, [p2], plan=FULL, floor=[floor], profile=None, elapsed=1.0, argv=[])

    text = report.read_text()
    targets = text.split("## Targets", 1)[1].split("\n## ", 1)[0]
    judged = [line for line in targets.splitlines() if line.startswith("| P")]
    assert len(judged) == 1 and judged[0].startswith("| P2 ") and judged[0].endswith("| FAIL |")
    assert "first paint" not in targets
    section = text.split("## Framework floor", 1)[1].split("\n## ", 1)[0]
    assert (
        "| start to first paint | 160×48 pty | P2 start to first data | 0.50 [0.45–0.55] s | 3 |"
        in section
    )


def test_only_and_unknown_measures_are_checked() -> None:
    from bench.run import parse_args

    assert parse_args(["--only", "p1, P3"]).only == ["P1", "P3"]
    assert parse_args(["--only", "floor"]).only == ["FLOOR"]
    done = run_module("bench", "--only", "P9", timeout=60)
    assert done.returncode == 2 and "P9" in done.stderr


def _scale(costs: dict[int, float]) -> object:
    from bench.scale import ScaleResult, ScaleRow

    result = ScaleResult()
    for calls, cost in costs.items():
        row = ScaleRow(calls, calls // 2)
        row.total = {"rtdash": [cost, cost * 1.1, cost * 0.9], "peer": [cost * 10]}
        row.poll = {"rtdash": [cost * 0.8] * 3, "peer": [cost * 8]}
        row.tick = {"rtdash": [cost * 0.2] * 3, "peer": [cost * 2]}
        result.rows.append(row)
    return result


def test_scale_targets_and_growth_exponent() -> None:
    """The exponent is the log-log slope between 2,000 and 50,000 calls; the targets
    judge rtdash's medians."""
    from bench.scale import ScaleResult
    from bench.scale_report import target_lines

    flat = _scale({2_000: 0.030, 10_000: 0.035, 50_000: 0.030 * 25**0.25})
    assert isinstance(flat, ScaleResult)
    assert abs((flat.exponent() or 0) - 0.25) < 1e-9
    lines = target_lines(flat)
    assert lines[0].startswith("| SCALE CPU per poll + tick, 10,000 calls") and lines[0].endswith(
        "| PASS |"
    )
    assert "idiomatic peer 350 ms" in lines[0] and "idiomatic peer 0.10" in lines[0]
    assert lines[1].startswith("| SCALE CPU per poll + tick, 50,000 calls") and lines[1].endswith(
        "| PASS |"
    )
    assert "| 0.25 |" in lines[2] and lines[2].endswith("| PASS |")

    linear = _scale({2_000: 0.030, 10_000: 0.150, 50_000: 0.750})
    assert isinstance(linear, ScaleResult)
    assert abs((linear.exponent() or 0) - 1.0) < 1e-9
    assert all(line.endswith("| FAIL |") for line in target_lines(linear))


def test_each_repeats_exponent_is_its_own_runs_medians() -> None:
    """Beside the pooled exponent, each repeat's: its run at 2,000 calls against its run
    at 50,000, medians of each run's rounds, in the repeats' order."""
    from bench.plan import FULL
    from bench.scale import ScaleResult
    from bench.scale_report import section

    result = _scale({2_000: 0.020, 50_000: 0.020 * 25**0.3})
    assert isinstance(result, ScaleResult)
    small, big = result.rows
    small.runs = {"rtdash": [[0.010, 0.011, 0.030], [0.020, 0.019, 0.021]]}
    big.runs = {"rtdash": [[0.010 * 25**0.2] * 3, [0.100, 0.020 * 25**0.4, 0.001]]}
    got = result.exponents_by_repeat()
    assert [round(one, 6) for one in got] == [round(0.2 - math.log(1.1) / math.log(25), 6), 0.4]
    lines = section(result, FULL)
    said = [line for line in lines if "exponent of each repeat alone" in line]
    median = (got[0] + 0.4) / 2
    assert len(said) == 1 and f"{got[0]:.2f}, 0.40 (median {median:.2f}; information" in said[0]
    # one repeat says nothing the pooled figure does not
    small.runs["rtdash"] = small.runs["rtdash"][:1]
    assert not any("each repeat alone" in line for line in section(result, FULL))


def test_the_exponent_reads_the_runs_made_for_it_alone() -> None:
    """The runs of rtdash alone at the two sizes join the table's rounds in the medians
    the exponent reads, and each pair of them is one more repeat's exponent; the
    table's own medians and the peers' exponent are the table's rounds alone."""
    from bench.plan import FULL
    from bench.scale import ScaleResult
    from bench.scale_report import section, target_lines

    result = _scale({2_000: 0.020, 50_000: 0.020 * 25**0.5})
    assert isinstance(result, ScaleResult)
    assert abs((result.exponent() or 0) - 0.5) < 1e-9
    small, big = result.rows
    # five runs of three rounds each: with the table's three rounds, 18 at each size,
    # whose medians are 0.020 and 0.020 * 25**0.25 (the extra rounds outnumber them)
    small.growth = [[0.020] * 3 for _ in range(5)]
    big.growth = [[0.020 * 25**0.25] * 3 for _ in range(5)]
    assert len(small.growth_rounds("rtdash")) == 18
    assert abs((result.exponent() or 0) - 0.25) < 1e-9
    assert big.median("rtdash") == 0.020 * 25**0.5  # the table's own figure
    assert abs((result.exponent("peer") or 0) - 0.5) < 1e-9
    assert small.growth_rounds("peer") == small.total["peer"]
    assert [round(one, 9) for one in result.exponents_by_repeat()] == [0.25] * 5
    assert "| 0.25 |" in target_lines(result)[-1]
    lines = section(result, FULL)
    said = [line for line in lines if line.startswith("- Growth exponent of rtdash")]
    assert len(said) == 1 and "**0.25** (target ≤ 0.3), the medians of 18 and 18 rounds" in said[0]
    assert "5 runs of rtdash alone" in said[0]


def test_only_carries_the_other_measures_over(tmp_path: Path) -> None:
    """A run of SCALE alone rewrites its own table and keeps every other measure's rows,
    notes, sections and kept sections as the replaced report had them."""
    from bench.plan import FULL
    from bench.report import write_report
    from bench.rows import FloorRow, Row, Target

    p2 = Row("P2", "start to first data", "medium", "160×48 pty", "s", 1.0)
    p2.samples = {"rtdash": [1.5, 1.4, 1.6], "baseline": [1.7, 1.6, 1.8]}
    p2.target = Target("≤ 0.6 s", lambda r, b: r.median <= 0.6)
    p2.notes.append("a note about starts")
    floor = FloorRow("start to first paint", "160×48 pty", "s", 1.0, "P2 start to first data")
    floor.samples = [0.5, 0.45, 0.55]
    report = tmp_path / "RESULTS.md"
    write_report(report, [p2], plan=FULL, floor=[floor], profile=None, elapsed=60.0, argv=[])
    report.write_text(
        report.read_text() + "\n<!-- kept:other -->\n## Other\n\nkept text\n<!-- /kept -->\n"
    )
    before = report.read_text()

    scale = _scale({2_000: 0.030, 10_000: 0.150, 50_000: 0.750})
    write_report(
        report,
        [],
        plan=FULL,
        scale=scale,  # type: ignore[arg-type]
        profile=None,
        elapsed=60.0,
        argv=["--only", "SCALE"],
        measured=["SCALE"],
    )
    text = report.read_text()
    targets = text.split("## Targets", 1)[1].split("\n## ", 1)[0]
    p2_line = next(
        line for line in before.splitlines() if line.startswith("| P2 start to first data, medium")
    )
    assert p2_line in targets
    assert (
        next(
            line.split(" ")[1]
            for line in targets.splitlines()
            if line.startswith("| P2") or line.startswith("| SCALE")
        )
        == "P2"
    )
    assert sum(line.startswith("| SCALE") for line in targets.splitlines()) == 3
    assert "- P2 medium: a note about starts" in text
    assert (
        "| 0.50 [0.45–0.55] s | 3 |" in text.split("## Framework floor", 1)[1].split("\n## ", 1)[0]
    )
    assert "Carried over unchanged from the report this one replaced: P2, FLOOR" in text
    source = next(line for line in text.splitlines() if line.startswith("- carried from "))
    assert source.startswith("- carried from `python -m bench` in 1.0 min;")
    assert source.endswith(" — measures: P2, FLOOR")
    assert "| 10,000 (5,000) | 150 [135–165] |" in text
    assert text.count("kept text") == 1

    # a second run of SCALE alone still says P2 and the floor come from the first run
    write_report(
        report,
        [],
        plan=FULL,
        scale=scale,  # type: ignore[arg-type]
        profile=None,
        elapsed=120.0,
        argv=["--only", "SCALE"],
        measured=["SCALE"],
    )
    again = report.read_text()
    assert source in again and p2_line in again and again.count("kept text") == 1


def test_a_script_s_kept_section_is_written_once_and_survives_a_run(tmp_path: Path) -> None:
    from bench.plan import FULL
    from bench.report import write_kept, write_report

    report = tmp_path / "RESULTS.md"
    write_report(report, [], plan=FULL, profile=None, elapsed=1.0, argv=[])
    write_kept(report, "soak", ["## Soak", "", "soak-one"])
    write_kept(report, "soak", ["## Soak", "", "soak-two"])
    text = report.read_text()
    assert "soak-two" in text and "soak-one" not in text and text.count("<!-- kept:soak -->") == 1
    write_report(report, [], plan=FULL, profile=None, elapsed=1.0, argv=[])
    text = report.read_text()
    assert text.count("<!-- kept:soak -->") == 1 and "soak-two" in text
