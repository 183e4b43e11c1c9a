"""The arms of a bench script's A/B runs: measured in turn, the order turned each run,
and each arm's figure of every run written into its cell."""

from __future__ import annotations

from bench.stats import alternated, each_run


def test_each_arm_is_measured_once_a_run_the_order_turned_each_run() -> None:
    measured: list[str] = []

    def measure(arm: str) -> dict[str, float]:
        measured.append(arm)
        return {"ms": float(len(measured))}

    runs = alternated(("a", "b"), 3, measure)
    assert measured == ["a", "b", "b", "a", "a", "b"]
    # each run holds both arms, with what their own measure gave
    assert runs == [
        {"a": {"ms": 1.0}, "b": {"ms": 2.0}},
        {"b": {"ms": 3.0}, "a": {"ms": 4.0}},
        {"a": {"ms": 5.0}, "b": {"ms": 6.0}},
    ]
    assert each_run(runs, "a", "ms") == "1.00, 4.00, 5.00"
    assert each_run(runs, "b", "ms", ",.0f") == "2, 3, 6"
