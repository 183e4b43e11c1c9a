"""The trend kept with the day's saved state: a screen restarted the same day draws the
hour it saw, dotted where nothing watched; another day's trend, or one that cannot be
read, is not put back (the totals still are)."""

from __future__ import annotations

import json
from pathlib import Path
from zoneinfo import ZoneInfo

from rtdash.api.models import UserState
from rtdash.core.clock import FrozenClock
from rtdash.core.daystate import read_state, state_key, state_path
from rtdash.core.feed import FeedOptions, LiveFeed
from rtdash.core.service_feed import ServiceKeeper, ServiceOptions, attach_service
from rtdash.core.thresholds import Thresholds

from .feed_rig import ScriptedSource
from .rows import T0, user
from .test_outcomes import bridged, waiting

UTC = ZoneInfo("UTC")
BASE = "https://api.example.com/reports/v2"
IGRP = 7
#: a bucket of the trend
BUCKET = 30.0


def _run(folder: Path, at: float) -> tuple[LiveFeed, ScriptedSource, FrozenClock, ServiceKeeper]:
    """A screen started ``at`` seconds after ``T0`` on the day saved in ``folder``."""
    clock = FrozenClock(T0)
    clock.advance(at)
    feed = LiveFeed(FeedOptions(clock=clock, thresholds=Thresholds(agents_available_min=0)))
    source = ScriptedSource(feed, clock)
    feed.attach(source)
    keeper = attach_service(
        feed,
        ServiceOptions(),
        zone=UTC,
        base_url=BASE,
        igrp=IGRP,
        folder=folder,
        now=clock.now().timestamp(),
    )
    return feed, source, clock, keeper


def _watch(source: ScriptedSource, clock: FrozenClock, polls: int) -> None:
    """A poll every half minute whose calls waiting and agents available move, with
    one call answered at the start so the day has totals to carry on."""
    t = clock.now().timestamp() - T0.timestamp()
    source.calls(waiting("answered", t))
    clock.advance(5)
    source.calls(bridged("answered", t + 4, t))
    for poll in range(polls):
        clock.advance(BUCKET)
        t = clock.now().timestamp() - T0.timestamp()
        calls: list[object] = [waiting(f"w{poll}-{n}", t - n) for n in range(poll % 4 + 1)]
        agents: list[object] = [
            user(str(n), UserState.AVAILABLE if n <= poll % 3 else UserState.UNAVAILABLE)
            for n in range(4)
        ]
        source.poll(calls, agents)
        source.sink.tick()


def _first_run(
    folder: Path, at: float = 0.0, polls: int = 10
) -> tuple[list[int | None], list[int | None], float]:
    """Watch, quit (the last save is written on the way out): the trend the screen
    drew, and when it quit."""
    feed, source, clock, keeper = _run(folder, at)
    _watch(source, clock, polls)
    keeper.close()
    waiting_seen, available_seen = feed.history.window(clock.now())
    seen = [value for value in waiting_seen if value is not None]
    assert len(set(seen)) > 1 and len(seen) == polls, "a trend worth keeping"
    return waiting_seen, available_seen, clock.now().timestamp() - T0.timestamp()


def test_a_restart_the_same_day_draws_the_hour_it_saw_and_dots_the_gap(tmp_path: Path) -> None:
    waiting_seen, available_seen, quit_at = _first_run(tmp_path)
    away = 8  # buckets: four minutes without a screen
    feed, source, clock, keeper = _run(tmp_path, quit_at + away * BUCKET)
    assert keeper.service.report().total.answered == 1  # the day carried on…
    waiting_now, available_now = feed.history.window(clock.now())
    # …and so did its trend: the first run's buckets, moved back by the time away
    assert waiting_now[:-away] == waiting_seen[away:], "the waiting trend was not put back"
    assert available_now[:-away] == available_seen[away:]
    assert waiting_now[-away:] == [None] * away, "the minutes away stay dotted"
    source.poll([waiting("new", quit_at + away * BUCKET)], [user("1")])
    waiting_now, available_now = feed.history.window(clock.now())
    assert waiting_now[-1] == 1 and available_now[-1] == 1  # the restart's own samples
    assert waiting_now[-away:-1] == [None] * (away - 1)
    assert waiting_now[:-away] == waiting_seen[away:]


def test_the_trend_is_put_back_only_on_the_day_it_was_saved(tmp_path: Path) -> None:
    """Saved at ten to midnight: ten minutes later it is within the hour still, but of
    yesterday, and today's trend starts empty as today's totals do."""
    before_midnight = 14 * 3600 + 45 * 60  # T0 is 09:00
    _, _, quit_at = _first_run(tmp_path, at=before_midnight)
    path = state_path(state_key(BASE, IGRP), tmp_path)
    saved = path.read_bytes()
    same_day, _, _, _ = _run(tmp_path, quit_at + 4 * BUCKET)
    assert len(same_day.history) == 10, "the same day's trend was not put back"
    path.write_bytes(saved)
    next_day, _, clock, keeper = _run(tmp_path, quit_at + 20 * BUCKET)
    assert clock.now().day == T0.day + 1
    assert keeper.service.report().total.answered == 0
    assert len(next_day.history) == 0
    assert next_day.history.window(clock.now())[0] == [None] * next_day.history.size


def test_a_trend_entry_that_cannot_be_read_is_ignored_and_the_totals_restored(
    tmp_path: Path,
) -> None:
    _, _, quit_at = _first_run(tmp_path)
    path = state_path(state_key(BASE, IGRP), tmp_path)
    state = read_state(path)
    assert state is not None
    good = state.get("trend")
    assert isinstance(good, dict), "the day file keeps no trend"
    restart = quit_at + 2 * BUCKET
    feed, _, _, keeper = _run(tmp_path, restart)
    assert len(feed.history) == 10, "the entry as written was not put back"
    head, fourth = good["buckets"][:3], good["buckets"][3][0]
    damaged: list[object] = [
        None,  # a day file written before the trend was kept
        {**good, "version": good["version"] + 1},
        {key: value for key, value in good.items() if key != "version"},
        {**good, "bucket_seconds": 60.0},
        {**good, "buckets": [*head, [fourth, "4", 1]]},
        {**good, "buckets": [*head, [fourth, 2]]},
        {**good, "buckets": [*head, [fourth, -1, 1]]},
        {**good, "buckets": list(reversed(good["buckets"]))},
        {**good, "buckets": "[[1, 2, 3]]"},
        "not a trend",
    ]
    for entry in damaged:
        torn = dict(state)
        if entry is None:
            torn.pop("trend")
        else:
            torn["trend"] = entry
        path.write_text(json.dumps(torn), encoding="utf-8")
        feed, source, clock, keeper = _run(tmp_path, restart)
        assert keeper.service.report().total.answered == 1, entry
        assert len(feed.history) == 0, entry
        source.poll([waiting("new", restart)], [user("1")])  # and the trend goes on
        assert feed.history.window(clock.now())[0][-1] == 1, entry


def test_a_new_bucket_is_saved_while_the_totals_stand_still(tmp_path: Path) -> None:
    """A quiet centre changes no total for minutes: its trend is still written, so a
    restart does not dot what the board watched."""
    feed, source, clock, keeper = _run(tmp_path, 0.0)
    _watch(source, clock, 2)
    store = keeper.store
    assert store is not None
    assert getattr(store, "trend", None) is feed.history, "the store keeps no trend"
    assert store.maybe_save(keeper.service, force=True)
    clock.advance(BUCKET)
    source.status()
    feed.tick()  # the same numbers, in a bucket of their own
    assert not keeper.service.dirty
    store.every = 0.0
    assert store.maybe_save(keeper.service), "the new bucket was not saved"
    saved = read_state(store.path)
    assert saved is not None and len(saved["trend"]["buckets"]) == 3
    assert not store.maybe_save(keeper.service), "nothing new: nothing written"


def test_a_clock_set_back_keeps_the_buckets_up_to_now_and_the_trend_moving(
    tmp_path: Path,
) -> None:
    """Restarted with our clock a minute behind the last save: buckets after now would
    make every new sample look older than the newest, and the trend would stop."""
    waiting_seen, _, quit_at = _first_run(tmp_path)
    feed, source, clock, _ = _run(tmp_path, quit_at - 2 * BUCKET)
    waiting_now, _ = feed.history.window(clock.now())
    assert waiting_now[2:] == waiting_seen[:-2], "the buckets up to now were not put back"
    assert len(feed.history) == 8
    clock.advance(BUCKET)
    source.poll([], [user("1")])
    assert feed.history.window(clock.now())[0][-1] == 0
