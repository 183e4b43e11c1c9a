"""``python -m bench.scale_phases`` times the steps of real SCALE rounds at each size
asked for and keeps its section."""

from __future__ import annotations

import math
import re
from pathlib import Path

from tests.bench.running import kept_section, run_module

ROUND = "the round (poll + tick, SCALE's measure)"
TAKEN_IN = "the bytes taken in (the four steps below and the Python around them)"
SERVICE = "today's service level"
SHOWN_MS = 0.005  # a time shown to two decimals is within this of the one measured
SHOWN_EXPONENT = 0.0005  # an exponent shown to three decimals, likewise


def rounded(figures: int) -> float:
    """How far a sum of ``figures`` times shown to two decimals can be from the same sum
    of the times measured (with a hair for binary fractions)."""
    return figures * SHOWN_MS + 1e-9


def exponent_of(shown: float, top: float, bottom: float, *, top_figures: int = 1) -> bool:
    """Whether ``shown`` is log10(top / bottom) for some measured times that round to the
    figures shown: ``bottom`` one figure, ``top`` the sum of ``top_figures`` figures.

    The section computes each exponent from the times as measured, so checking it
    against the rounded ones needs each rounding's own slack, not a fixed tolerance
    (a small round near 5 ms moves the third decimal on its own)."""
    slack = SHOWN_MS * top_figures
    lowest = math.log10((top - slack) / (bottom + SHOWN_MS))
    highest = math.log10((top + slack) / (bottom - SHOWN_MS))
    return lowest - SHOWN_EXPONENT <= shown <= highest + SHOWN_EXPONENT


def phases(folder: Path, *args: str, calls: tuple[str, str] = ("200", "2000")) -> str:
    """The kept section of ``python -m bench.scale_phases`` at two small sizes, five
    rounds each, with ``args``."""
    return kept_section(
        folder, "bench.scale_phases", "scale-phases", "--calls", *calls, "--rounds", "5", *args
    )


def test_the_steps_of_scale_rounds_at_two_sizes_land_in_a_kept_section(tmp_path: Path) -> None:
    section = phases(tmp_path, calls=("2000", "200"))
    # the sizes in ascending order, whatever order they were asked in
    assert (
        "| step (ms per round) | 200 calls | 2,000 calls | grew by, 200 → 2,000 "
        "| the round's exponent had it not grown |" in section
    )
    rows = re.findall(
        r"^\| \**(.+?)\** \| ([\d.]+) \| ([\d.]+) \| ([+-][\d.]+) \| ([\d.-]+) \|$", section, re.M
    )
    steps = {what: tuple(map(float, numbers)) for what, *numbers in rows}
    assert len(steps) == 19, section
    for small, big, grew, _ in steps.values():  # the growth: the larger size's less the smaller's
        assert abs(big - small - grew) <= rounded(3)
    # the round's own row holds its exponent; a step's, the round's had that step stayed
    # at the smaller size's cost (more than the round's when the step grew)
    small_round, big_round, _, exponent = steps[ROUND]
    assert exponent_of(exponent, big_round, small_round)
    for what, (small, big, _, without) in steps.items():
        if what == ROUND:
            assert without == exponent
        else:  # the big round less the step's growth: three figures rounded
            flat = big_round - (big - small)
            assert exponent_of(without, flat, small_round, top_figures=3), what
    names = list(steps)
    inside = {
        parent: [what for what in names[names.index(parent) + 1 :]][:4]
        for parent in (TAKEN_IN, SERVICE)
    }
    for parent, children in inside.items():
        assert all(what.startswith("– ") for what in children), (parent, children)
    for column in (0, 1):
        # each step ran in real rounds at both sizes, and the steps inside another sum
        # to no more than it (a rounding each)
        for step in (
            "the socket's reads (asyncio's transport)",
            TAKEN_IN,
            "calls snapshot from the changes",
            SERVICE,
            "– the calls' outcomes followed",
            "the screen's changed lines painted",
        ):
            assert steps[step][column] > 0, step
        for parent, children in inside.items():
            total = sum(steps[what][column] for what in children)
            assert total <= steps[parent][column] + 0.04, parent
        assert steps[TAKEN_IN][column] < steps[ROUND][column]
    # the bound: the round less the events' steps at each size, and its exponent
    events = [
        "a body's gone rows and ids",
        "calls snapshot from the changes",
        "users snapshot",
        SERVICE,
        "the headline's agents counted (after each route)",
    ]
    said = re.search(
        r"Had the events' steps \((.+?)\) cost nothing at either size, the round would cost "
        r"([\d.]+) ms at 200 calls and ([\d.]+) ms at 2,000: an exponent of ([\d.-]+) "
        r"\(the round's own: ([\d.-]+)\)\.",
        section,
    )
    assert said is not None, section
    assert said[1] == ", ".join(events)
    spared = [float(said[2]), float(said[3])]
    for column, cost in enumerate(spared):
        events_cost = sum(steps[what][column] for what in events)
        assert abs(cost - (steps[ROUND][column] - events_cost)) <= rounded(2 + len(events))
        assert cost < steps[ROUND][column]
    assert exponent_of(float(said[4]), spared[1], spared[0])
    assert float(said[5]) == exponent


def test_the_largest_size_standing_still_splits_its_round_into_size_and_change(
    tmp_path: Path,
) -> None:
    section = phases(tmp_path, "--still")
    assert "| 2,000 calls, standing still | the change's own |" in section
    rows = re.findall(
        r"^\| \**(.+?)\** \| ([\d.]+) \| ([\d.]+) \| ([+-][\d.]+) \| ([\d.-]+) "
        r"\| ([\d.]+) \| ([+-][\d.]+) \|$",
        section,
        re.M,
    )
    steps = {what: tuple(map(float, numbers)) for what, *numbers in rows}
    assert len(steps) == 19, section
    for _, moving, _, _, still, change in steps.values():
        assert abs(moving - still - change) <= rounded(3)
    # standing still, no poll brings a change: no snapshot is built from changes and
    # no new line is read, while the bytes are still taken in and the times painted
    for step in ("calls snapshot from the changes", "– new lines read into rows (C reader)"):
        assert steps[step][4] == 0.0, step
    for step in (TAKEN_IN, "the screen's changed lines painted"):
        assert steps[step][4] > 0, step
    assert steps[SERVICE][4] < steps[SERVICE][1]
    moving_round, still_round, change = steps[ROUND][1], steps[ROUND][4], steps[ROUND][5]
    said = re.search(
        r"At 2,000 calls the round costs ([\d.]+) ms with the centre standing still .*? "
        r"and (?:([\d.]+) ms more for a second of medium churn: (\d+)% of the round"
        r"|(no more) for a second of medium churn)",
        section,
    )
    assert said is not None, section
    assert float(said[1]) == still_round
    if said[4]:  # the two sizes are separate runs: on a busy machine the still one can
        # cost as much as the moving one, and the section says so
        assert change <= 0
        return
    assert float(said[2]) == change
    # a whole percent of the times measured, checked against the times shown
    lowest = 100 * (change - SHOWN_MS) / (moving_round + SHOWN_MS) - 0.5
    highest = 100 * (change + SHOWN_MS) / (moving_round - SHOWN_MS) + 0.5
    assert lowest <= int(said[3]) <= highest


def test_runs_alternate_the_sizes_and_keep_each_steps_median(tmp_path: Path) -> None:
    section = phases(tmp_path, "--runs", "3")
    assert "--calls 200 2000 --runs 3 --rounds 5" in section
    rows = re.findall(
        r"^\| \**(.+?)\** \| ([\d.]+) \| ([\d.]+) \| ([+-][\d.]+) \| ([\d.-]+) \|$", section, re.M
    )
    steps = {what: tuple(map(float, numbers)) for what, *numbers in rows}
    said = re.search(
        r"Each of the 3 runs, the round at 200 and at 2,000 calls .*?: (.+?); "
        r"the median of the runs' exponents ([\d.-]+)\.",
        section,
    )
    assert said is not None, section
    each = re.findall(r"([\d.]+) → ([\d.]+) ms \(([\d.-]+)\)", said[1])
    assert len(each) == 3, said[1]
    small, big, exponents = zip(*((float(a), float(b), float(e)) for a, b, e in each), strict=True)
    for a, b, exponent in zip(small, big, exponents, strict=True):
        assert exponent_of(exponent, b, a)
    # the table's round is the median run's at each size, and the line's median is the
    # median of the exponents listed
    assert steps[ROUND][0] == sorted(small)[1] and steps[ROUND][1] == sorted(big)[1]
    assert float(said[2]) == sorted(exponents)[1]


def test_runs_below_one_are_refused_with_one_message() -> None:
    done = run_module("bench.scale_phases", "--runs", "0", timeout=60)
    assert done.returncode == 2
    assert "--runs must be 1 or more" in done.stderr
    assert "Traceback" not in done.stderr
