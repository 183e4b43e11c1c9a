"""Medians and spreads of repeated samples."""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")
A = TypeVar("A", bound=Hashable)


@dataclass(frozen=True)
class Summary:
    n: int
    median: float
    low: float
    high: float
    q1: float
    q3: float
    p90: float

    @classmethod
    def of(cls, samples: list[float]) -> Summary:
        if not samples:
            raise ValueError("no samples")
        ordered = sorted(samples)
        if len(ordered) >= 2:
            q1, _, q3 = statistics.quantiles(ordered, n=4, method="inclusive")
            p90 = statistics.quantiles(ordered, n=10, method="inclusive")[-1]
        else:
            q1 = q3 = p90 = ordered[0]
        return cls(
            n=len(ordered),
            median=statistics.median(ordered),
            low=ordered[0],
            high=ordered[-1],
            q1=q1,
            q3=q3,
            p90=p90,
        )

    def as_dict(self) -> dict[str, float]:
        return {
            "n": self.n,
            "median": self.median,
            "min": self.low,
            "max": self.high,
            "q1": self.q1,
            "q3": self.q3,
            "p90": self.p90,
        }


def growth_exponent(small_cost: float, big_cost: float, small_size: int, big_size: int) -> float:
    """The log-log slope of a cost from one size to another: SCALE's growth exponent."""
    return math.log(big_cost / small_cost) / math.log(big_size / small_size)


def ratios_line(said: str, ratios: list[float]) -> str:
    """One sentence of a report: ``said`` (what over what), each run's ratio, and their
    median."""
    each = ", ".join(f"{one:.2f}" for one in ratios)
    return f"{said}, each run: {each} (median {statistics.median(ratios):.2f})."


def alternated(arms: Sequence[A], runs: int, measure: Callable[[A], T]) -> list[dict[A, T]]:
    """Each arm measured once a run, ``runs`` times, the order turned every run (the
    host drifts: neither arm is always measured first)."""
    made: list[dict[A, T]] = []
    for index in range(runs):
        order = arms if index % 2 == 0 else arms[::-1]
        made.append({arm: measure(arm) for arm in order})
    return made


def each_run(
    runs: Sequence[Mapping[str, Mapping[str, float]]], arm: str, key: str, spec: str = ".2f"
) -> str:
    """A report's cell: one arm's ``key`` in each run, in order."""
    return ", ".join(format(run[arm][key], spec) for run in runs)
