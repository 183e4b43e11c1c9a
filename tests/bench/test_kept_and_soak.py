"""The soak's arithmetic and the kept sections of RESULTS.md, without the long runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.kept import write_section
from bench.soak import Series, per_ten_minutes, slope


def test_the_slope_is_the_least_squares_line() -> None:
    times = [0.0, 60.0, 120.0, 180.0]
    assert slope(times, [70.0, 70.1, 70.2, 70.3]) == pytest.approx(0.1 / 60)
    assert slope(times, [70.0, 70.0, 70.0, 70.0]) == 0


def test_the_slope_counts_only_after_the_warm_up() -> None:
    series = Series("dashboard", term=None)  # type: ignore[arg-type]  # no process needed
    series.times = [0.0, 60.0, 120.0, 180.0, 240.0, 300.0]
    # the first two minutes climb 5 MB, then it holds: flat after a 2-minute warm-up
    series.rss = [60.0, 62.5, 65.0, 65.0, 65.0, 65.0]
    assert per_ten_minutes(series, since=120.0) == pytest.approx(0.0)
    assert per_ten_minutes(series, since=0.0) > 5


def test_a_section_is_replaced_in_place_and_others_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "RESULTS.md"
    path.write_text("# results\n\n<!-- kept:other -->\nkeep me\n<!-- /kept -->\n")
    write_section("soak", ["## first"], path)
    write_section("soak", ["## second", "line"], path)
    text = path.read_text()
    assert text.count("<!-- kept:soak -->") == 1
    assert "## second\nline\n<!-- /kept -->" in text
    assert "## first" not in text
    assert "<!-- kept:other -->\nkeep me\n<!-- /kept -->" in text
    assert text.index("kept:other") < text.index("kept:soak")


def test_the_rerun_command_names_only_the_flags_off_their_defaults() -> None:
    import argparse

    from bench.kept import rerun_command

    parser = argparse.ArgumentParser(prog="python -m bench.idle_cpu")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--window", type=float, default=20.0)
    names = ("rounds", "window")
    assert rerun_command(parser, parser.parse_args([]), names) == "python -m bench.idle_cpu"
    changed = parser.parse_args(["--window", "7.5"])
    assert rerun_command(parser, changed, names) == "python -m bench.idle_cpu --window 7.5"
