"""A short ``bench.accuracy`` day: the inferred service level agrees with the simulator's
ground truth, and a broken inference is caught (loose bounds: counts, not timings)."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bench.accuracy import SCENARIOS, SHORT_ABANDON, SL_SECONDS, misses, run_day
from rtdash.core.outcomes import Abandoned, OutcomeTracker, TrackedCall
from rtdash.core.service import ServiceLevel

#: a short day of the medium load; targets widened 3 times for the short sample
HOURS = 0.25
LOOSE = 3.0


def test_short_day_meets_loose_targets() -> None:
    run = run_day(SCENARIOS["medium"], 2.0, hours=HOURS)
    assert run.truth["answered"] > 100 and run.truth["abandoned"] > 100
    assert misses([run], scale=LOOSE) == []
    # the longest wait answered is read exactly from the rows
    assert run.inferred.total.longest_answer == run.truth["longest_answer"]


def test_short_day_talk_is_within_a_second_of_the_truth() -> None:
    """Talk runs from the bridged row's answer to an end placed halfway between the
    polls around it: at 2 s polls each end is at most a second out, and the average of
    many is closer still."""
    run = run_day(SCENARIOS["staffed"], 2.0, hours=HOURS)
    total = run.inferred.total
    assert run.truth["talked"] > 100
    assert total.talked == pytest.approx(run.truth["talked"], rel=0.02)
    assert total.avg_talk is not None and run.truth["avg_talk"] is not None
    assert abs(total.avg_talk - run.truth["avg_talk"]) <= 1.0
    assert total.longest_talk is not None
    assert abs(total.longest_talk - run.truth["longest_talk"]) <= 1.0


class _EveryVanishAbandoned(OutcomeTracker):
    """The classic mistake: every call that disappears is counted as abandoned."""

    def _vanish(self, tracked: TrackedCall, now: float, gap_start: float | None) -> None:
        self._events.append(Abandoned(tracked.ref, tracked.queue, now, now - tracked.wait_start))


@pytest.mark.parametrize("broken", [_EveryVanishAbandoned])
def test_a_broken_inference_fails_the_bounds(broken: type[OutcomeTracker]) -> None:
    def make() -> ServiceLevel:
        service = ServiceLevel(ZoneInfo("UTC"), sl_seconds=SL_SECONDS, short_abandon=SHORT_ABANDON)
        service.tracker = broken(emit_all=service._on_events)
        return service

    run = run_day(SCENARIOS["medium"], 2.0, hours=HOURS, make_service=make)
    # it ran to the end (a consumer that fails is only logged): the answered are all
    # counted, and every answered call that ended is counted abandoned as well
    assert run.inferred.total.answered > 100
    assert run.inferred.total.abandoned > run.truth["abandoned"] * 1.2
    assert any("abandoned" in miss for miss in misses([run], scale=LOOSE))


def test_the_accuracy_section_survives_a_rewrite_of_the_report(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from bench.accuracy import write_section
    from bench.report import kept_sections

    path = tmp_path / "RESULTS.md"
    path.write_text("# rtdash benchmark results\n\nold body\n")
    write_section(path, "<!-- kept:accuracy -->\n## Service level accuracy\nv1\n<!-- /kept -->\n")
    write_section(path, "<!-- kept:accuracy -->\n## Service level accuracy\nv2\n<!-- /kept -->\n")
    text = path.read_text()
    assert text.startswith("# rtdash benchmark results\n\nold body\n") and "v1" not in text
    # what `python -m bench` carries over when it rewrites everything else
    assert kept_sections(path) == [
        "",
        "<!-- kept:accuracy -->",
        "## Service level accuracy",
        "v2",
        "<!-- /kept -->",
    ]


def test_the_poll_cost_section_survives_a_rewrite_too(tmp_path: Path) -> None:
    from bench.report import kept_sections

    path = tmp_path / "RESULTS.md"
    accuracy = "<!-- kept:accuracy -->\nA\n<!-- /kept -->"
    poll = "<!-- kept:poll-cost -->\nP\n<!-- /kept -->"
    path.write_text(f"# results\n\nold\n\n{poll}\n\nmore\n\n{accuracy}\n")
    assert kept_sections(path) == ["", *poll.splitlines(), "", *accuracy.splitlines()]
