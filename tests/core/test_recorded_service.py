"""A replay's service tiles: the totals the dashboard recorded, at the player's
position; a ``service`` line that is not what the dashboard writes is passed over."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

import pytest

from rtdash.core.recorded_service import NOT_YET, RecordedService, recorded_stats
from rtdash.core.recording.codec import ServiceMark
from rtdash.core.service_report import ServiceStats
from rtdash.core.service_tiles import ServiceThresholds
from rtdash.core.thresholds import Level

from .rows import at, outcomes


def _mark(when: datetime, stats: ServiceStats, sl_seconds: object = 20) -> ServiceMark:
    # the form RecordingConsumer writes: ServiceLevel.report's total, as a dict
    return ServiceMark(
        when, {"sl_seconds": sl_seconds, "since": when.isoformat(), "total": asdict(stats)}
    )


def test_a_line_as_the_dashboard_writes_it_reads_back_whole() -> None:
    stats = outcomes(answered=40, within=30, abandoned=10)
    assert recorded_stats(_mark(at(0), stats)) == (stats, 20.0)


@pytest.mark.parametrize(
    "field, value",
    [("answered", "40"), ("answered", True), ("answered", -1), ("sl_percent", float("nan"))],
)
def test_a_line_with_no_number_where_one_belongs_is_passed_over(field: str, value: object) -> None:
    total = asdict(outcomes(answered=40, within=30, abandoned=10)) | {field: value}
    assert recorded_stats(ServiceMark(at(0), {"sl_seconds": 20, "total": total})) is None


@pytest.mark.parametrize("service", [{}, {"total": []}, {"total": {}, "sl_seconds": "20"}])
def test_a_line_of_another_shape_is_passed_over(service: dict[str, object]) -> None:
    assert recorded_stats(ServiceMark(at(0), service)) is None


def test_the_tiles_are_the_last_totals_recorded_at_or_before_the_position() -> None:
    marks = [
        _mark(at(120), outcomes(answered=80, within=40, abandoned=20)),  # out of order
        _mark(at(60), outcomes(answered=40, within=36, abandoned=0)),
        ServiceMark(at(90), {"total": "garbage"}),
    ]
    position = [at(30)]
    recorded = RecordedService.of(marks, ServiceThresholds(), lambda: position[0])
    assert recorded is not None

    def shown() -> dict[str, tuple[str, Level]]:
        return {tile.key: (tile.text, tile.level) for tile in recorded.tiles(("sl", "abandoned"))}

    assert shown() == {"sl": (NOT_YET, Level.OK), "abandoned": (NOT_YET, Level.OK)}
    position[0] = at(60)
    assert shown()["sl"] == ("90%", Level.OK)
    position[0] = at(119)
    assert shown()["abandoned"][0] == "0"
    position[0] = at(500)
    assert shown()["sl"] == ("40%", Level.ALERT) and shown()["abandoned"][0] == "20"


def test_a_recording_without_readable_totals_has_no_tiles() -> None:
    assert RecordedService.of([], ServiceThresholds(), lambda: at(0)) is None
    garbage = [ServiceMark(at(1), {"total": None})]
    assert RecordedService.of(garbage, ServiceThresholds(), lambda: at(0)) is None


def test_what_a_live_dashboard_records_a_replay_shows_the_same(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Through the file: the totals ``--record`` writes (the keeper's own) give the
    replay the tiles the live headline had at that moment."""
    from rtdash.core.recording import Recorder, Recording
    from rtdash.core.service_feed import ServiceKeeper, ServiceOptions
    from rtdash.core.snapshot import CallsSnapshot

    from .test_daystate import _busy_service

    keeper = ServiceKeeper(_busy_service(), ServiceOptions())
    path = tmp_path / "day.rtrec"
    with Recorder(path, installation="x", igrp=1, tz="UTC", started=at(0)) as recorder:
        recorder.record_calls(CallsSnapshot.build([], at(10)))
        recorder.record_service(at(10), keeper.recorded_totals())
    recorded = RecordedService.of(
        Recording.load(path).service, ServiceOptions().thresholds, lambda: at(11)
    )
    assert recorded is not None
    keys = ("sl", "answered", "abandoned", "offered", "asa")
    assert recorded.tiles(keys) == keeper.tiles(keys)


@pytest.mark.parametrize(
    ("since", "said"),
    [
        (at(-3600).isoformat(), at(-3600)),  # as the dashboard writes it
        ("2026-13-45T99:00", None),  # not a time
        (at(-3600).replace(tzinfo=None).isoformat(), None),  # no offset
        (at(7200).isoformat(), None),  # after the line itself
        (12, None),
    ],
)
def test_an_export_of_a_replay_has_the_totals_at_its_position(
    since: object, said: datetime | None
) -> None:
    line = _mark(at(60), outcomes(answered=40, within=36, abandoned=4))
    line.service["since"] = since
    position = [at(30)]
    recorded = RecordedService.of([line], ServiceThresholds(), lambda: position[0], 7.0)
    assert recorded is not None
    assert recorded.report() is None, "before the first totals: none to write"
    position[0] = at(90)
    report = recorded.report()
    assert report is not None
    assert (report.window, report.until, report.short_abandon) == ("recorded", at(60), 7.0)
    assert report.since == (said or at(60)), "a since that is not one: the line's own time"
    assert report.total.answered == 40 and report.queues == ()
