"""The wallboard's queue table against its headline: a queue with no room for its row is
counted on a last line, so the table still adds up to the headline's waiting and
talking; and the table's longest wait is the headline's, in one tick and while the
installation holds still (paused), whatever redraws it."""

from __future__ import annotations

import contextlib
import re
from datetime import UTC, datetime, timedelta

import pytest
from textual.geometry import Region

from rtdash.core.clock import FrozenClock
from rtdash.core.queues import QueueSummary
from rtdash.sim import Simulator
from rtdash.ui.app import RtdashApp
from rtdash.ui.widgets.agent_grid import AgentGrid
from rtdash.ui.widgets.metrics_bar import MetricTile
from rtdash.ui.widgets.queue_summary import QueueSummaryPanel, more_line, rows_that_fit
from tests.support import settings_for
from tests.ui.helpers import wait_for_data, wait_until
from tests.ui.test_wallboard_layout import wallboard_app

HEADER = " Queue                  Waiting  Longest  Talking  On call  SL 20s  Abandoned"
SUPPORT = " support                      8   1:39 ▲        5        5      0%          0"
SALES = " sales                        4   1:05 ▲        5        5      0%          0"
#: one cell from the next: a cell's padding each side (a wait's mark is one space off)
CELL_GAP = re.compile(r" {2,}")

_MORE = re.compile(
    r"^\+?(\d+)(?: more)?(?: queues?)?: (?:(\d+) waiting, (\d+) talking|Wait (\d+)  Talk (\d+))$"
)


def _panel(app: RtdashApp) -> QueueSummaryPanel:
    return app.screen.view.query_one(QueueSummaryPanel)


def _visible_rows(panel: QueueSummaryPanel) -> list[str]:
    """The table's lines that its box shows (a line past the box's foot is not seen)."""
    width, height = panel.size
    box = panel.parent
    assert box is not None
    shown = min(panel.region.bottom, box.content_region.bottom) - panel.region.y
    lines = panel.render_lines(Region(0, 0, width, height))[: max(0, shown)]
    return [strip.text.rstrip() for strip in lines]


def _headline(app: RtdashApp, key: str) -> str:
    return app.screen.view.query_one(f"#tile-{key}", MetricTile).number


def _table_counts(rows: list[str]) -> tuple[int, int | None]:
    """Waiting and talking as the visible table says: its rows and its "more" line
    (talking None where the table has no room for its column, which the note under
    it names)."""
    waiting = talking = 0
    header = next((CELL_GAP.split(row.strip()) for row in rows if row.split()[:1] == ["Queue"]), [])
    talking_at = next((i for i, title in enumerate(header) if title in ("Talking", "Talk")), None)
    for row in rows:
        if row.startswith("Too narrow for:"):
            break  # the note is last, and may take more than one line
        if not row.strip() or row.split()[0] == "Queue":
            continue
        more = _MORE.match(row)
        if more:
            counts = [int(group) for group in more.groups()[1:] if group is not None]
            waiting, talking = waiting + counts[0], talking + counts[1]
            continue
        cells = CELL_GAP.split(row.strip())
        waiting += int(cells[1])
        talking += int(cells[talking_at]) if talking_at is not None else 0
    return waiting, talking if talking_at is not None or not header else None


def test_rows_fit_under_the_header_with_a_line_for_the_rest() -> None:
    assert rows_that_fit(4, None, notes=0) == 4, "not laid out yet: every row"
    assert rows_that_fit(4, 5, notes=0) == 4
    assert rows_that_fit(4, 4, notes=0) == 2
    assert rows_that_fit(4, 5, notes=1) == 2
    assert rows_that_fit(4, 2, notes=0) == 0


def test_the_rest_is_counted_with_what_it_holds() -> None:
    at = datetime(2024, 5, 1, 9, tzinfo=UTC)
    lettings = QueueSummary("lettings", 0, 4, None)
    accounts = QueueSummary("accounts", 2, 1, at - timedelta(seconds=20))
    assert more_line([lettings], 78).plain == "+1 more queue: 0 waiting, 4 talking"
    assert more_line([accounts, lettings], 78).plain == "+2 more queues: 2 waiting, 5 talking"
    assert more_line([accounts, lettings], 78, alone=True).plain == "2 queues: 2 waiting, 5 talking"
    assert more_line([accounts, lettings], 30).plain == "+2 more: Wait 2  Talk 5"


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        ((80, 14), [HEADER, SUPPORT, "+3 more queues: 9 waiting, 9 talking"]),
        ((80, 17), [HEADER, SUPPORT, SALES, "+2 more queues: 5 waiting, 4 talking"]),
        ((80, 10), ["4 queues: 17 waiting, 14 talking"]),
        (
            (36, 20),
            [
                " Queue         Wait    Long    SL",
                " support          8  1:39 ▲    0%",
                "+3 more: Wait 9  Talk 9",
                "Too narrow for: Abandoned,",
                "Talking, Agents on a call",
            ],
        ),
    ],
)
async def test_a_short_screen_counts_the_queues_it_has_no_row_for(
    sim: Simulator, size: tuple[int, int], expected: list[str]
) -> None:
    app = wallboard_app(sim)
    async with app.run_test(size=size) as pilot:
        await wait_for_data(pilot)
        await pilot.press("p")
        panel = _panel(app)
        with contextlib.suppress(AssertionError):  # the layout may take a few passes
            await wait_until(pilot, lambda: _visible_rows(panel) == expected, timeout=2)
        assert _visible_rows(panel) == expected


@pytest.mark.parametrize(("width", "heights"), [(80, range(9, 25)), (36, range(12, 25, 3))])
async def test_the_table_adds_up_to_the_headline_at_every_height(
    sim: Simulator, width: int, heights: range
) -> None:
    """Shown rows plus the "more" line hold the headline's waiting and talking (where
    the table has room for its column), at each height, including a screen grown or
    shrunk while paused."""
    app = wallboard_app(sim)
    async with app.run_test(size=(width, heights[0])) as pilot:
        await wait_for_data(pilot)
        await pilot.press("p")
        await pilot.pause()
        headline = int(_headline(app, "waiting")), int(_headline(app, "talking"))
        for height in [*heights, *reversed(heights)]:
            await pilot.resize_terminal(width, height)
            await pilot.pause()
            await pilot.pause()
            rows = _visible_rows(_panel(app))
            waiting, talking = _table_counts(rows)
            assert waiting == headline[0], (width, height, rows)
            # only a table too narrow for the talking column (named under it) says none
            assert talking == headline[1] or (talking is None and width < 80), rows


def _top_wait(app: RtdashApp) -> str:
    """The longest wait in the table's first row (the longest of all)."""
    row = next(r for r in _visible_rows(_panel(app)) if r.split() and r.split()[0] != "Queue")
    return row.split()[2]


def _agent_times(app: RtdashApp) -> dict[str, str]:
    """Each agent tile's time in state, by the name as far as the tile shows it."""
    text = app.screen.view.query_one(AgentGrid).render().plain
    tiles = re.findall(r"[●◆○] (.+?) +(\d+:\d\d)(?= |$)", text, flags=re.MULTILINE)
    return {name.rstrip("…"): time for name, time in tiles}


def _same_agents(before: dict[str, str], after: dict[str, str]) -> list[tuple[str, str, str]]:
    """(name, time before, time after) of the agents with a tile at both widths."""
    return [
        (name, time, after[other])
        for name, time in before.items()
        for other in after
        if name.startswith(other) or other.startswith(name)
    ]


async def test_a_paused_table_keeps_its_times_when_resized(sim: Simulator) -> None:
    """Paused, the headline holds still: a resize redrew the table (and the agents) at
    the live time, a longest wait ahead of the headline's with a fresh amber mark."""
    app = wallboard_app(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_data(pilot)
        await pilot.press("p")
        await pilot.pause()
        held, agents = _headline(app, "longest_wait"), _agent_times(app)
        assert _top_wait(app) == held
        app.clock.advance(20)
        await pilot.resize_terminal(90, 24)
        await pilot.pause()
        await pilot.pause()
        assert _headline(app, "longest_wait") == held
        assert _top_wait(app) == held, _visible_rows(_panel(app))
        both = _same_agents(agents, _agent_times(app))
        assert both
        assert all(before == after for _, before, after in both), both


async def test_a_paused_installation_shown_again_keeps_its_times(sim: Simulator) -> None:
    app = wallboard_app(sim, more=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_data(pilot)
        await pilot.press("1", "p")
        await pilot.pause()
        held = _headline(app, "longest_wait")
        app.clock.advance(20)
        await pilot.press("2")
        await pilot.pause()
        app.clock.advance(5)
        await pilot.press("1")
        await pilot.pause()
        await pilot.pause()
        assert _headline(app, "longest_wait") == held
        assert _top_wait(app) == held, _visible_rows(_panel(app))


class DriftingClock(FrozenClock):
    """A clock a second later at each reading while drifting: widgets that each read
    the time within one tick draw different seconds."""

    drifting = False

    def now(self) -> datetime:
        if self.drifting:
            self.advance(1)
        return super().now()


async def test_the_headline_and_the_table_draw_one_moment_per_tick(sim: Simulator) -> None:
    """The headline's longest wait and the top queue's were read from the clock apart,
    and often differed by a second."""
    settings = settings_for(sim)
    settings.display.wallboard = True
    settings.display.flash = False
    clock = DriftingClock(sim.now)
    app = RtdashApp(settings, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_data(pilot)
        view = app.screen.view
        clock.drifting = True
        view.tick()
        clock.drifting = False
        # read at once: the next tick, drifting no more, would draw both alike anyway
        assert _top_wait(app) == _headline(app, "longest_wait")
