"""What ``python -m bench`` runs: the measures, their loads, sizes and repeats.

A plan is data so that ``--quick`` is the same harness at tiny loads, and so the scaling
measure can read its sizes without importing the harness.
"""

from __future__ import annotations

from dataclasses import dataclass

#: FLOOR is information only: the framework floor under P2 and P4, no target; SCALE is
#: rtdash against the naive baseline and the idiomatic peer as the centre grows
MEASURES = ("P1", "P2", "P3", "P4", "P5", "P6", "SCALE", "FLOOR")


@dataclass(frozen=True)
class Plan:
    repeats: int = 3
    p1_loads: tuple[str, ...] = ("small", "medium", "large")
    p1_ticks: int = 6
    #: steady state: past the start-up alert flash (flash_seconds, 10 s by default), which
    #: both apps draw alike and which would otherwise dominate the first seconds
    p1_warmup: int = 12
    p2_loads: tuple[str, ...] = ("medium", "large")
    p2_size: tuple[int, int] = (160, 48)
    p2_repeats: int = 5
    p3_loads: tuple[str, ...] = ("medium", "large")
    p3_sizes: tuple[tuple[int, int], ...] = ((80, 24), (160, 48))
    p3_warmup: float = 12.0
    p3_window: float = 10.0
    p4_loads: tuple[str, ...] = ("medium",)
    p4_warmup: float = 12.0
    p4_window: float = 15.0
    p4_polls: int = 200
    p5_loads: tuple[str, ...] = ("large",)
    p5_window: float = 8.0
    p6_loads: tuple[str, ...] = ("medium", "large")
    #: enough changes for a p90 that is not just the second-largest of ten
    p6_changes: int = 30
    p6_settle: float = 2.0
    profile_load: str | None = "large"
    profile_ticks: int = 8
    scale_sizes: tuple[int, ...] = (200, 2_000, 10_000, 50_000)
    scale_repeats: int = 3
    #: rounds counted a run: the app's day-state save (every 5 s of wall time; the
    #: first of a run encodes the whole day) falls in about one round a run, which was
    #: a third of a run's three and moved the median with it
    scale_polls: int = 8
    scale_warmup: int = 2
    #: the naive baseline takes tens of seconds a round above this: not run there
    scale_naive_max: int = 10_000
    #: CPU seconds a round may take before its app is counted once at that size
    scale_slow: float = 3.0
    #: rtdash's runs at the two sizes of the growth exponent, after the table's repeats
    growth_runs: int = 8
    growth_polls: int = 16
    rss_sizes: tuple[int, ...] = (10_000, 50_000)
    #: the peak differs by several MB from run to run: the median of three is judged
    rss_repeats: int = 3
    rss_window: float = 8.0
    quick: bool = False


FULL = Plan()
QUICK = Plan(
    repeats=1,
    p1_loads=("small",),
    p1_ticks=2,
    p1_warmup=1,
    p2_loads=("small",),
    p2_repeats=1,
    p3_loads=("small",),
    p3_sizes=((80, 24),),
    p3_warmup=0.5,
    p3_window=1.0,
    p4_loads=("small",),
    p4_warmup=0.3,
    p4_window=0.5,
    p4_polls=3,
    p5_loads=("small",),
    p5_window=0.3,
    p6_loads=("small",),
    p6_changes=2,
    p6_settle=0.5,
    profile_load=None,
    scale_sizes=(200,),
    scale_repeats=1,
    scale_polls=1,
    scale_warmup=1,
    growth_runs=0,
    rss_sizes=(),
    quick=True,
)
