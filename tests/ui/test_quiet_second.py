"""What a quiet second costs the screen: a tick's dirty regions are drawn by the
widgets in front only, each for the columns it must write; and a poll that brings the
rows already drawn asks nothing of the screen. Counted, never timed."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from textual.geometry import Region
from textual.widget import Widget

from rtdash.api.models import CallState
from rtdash.sim import Simulator
from rtdash.ui.messages import CallsUpdated, UsersUpdated
from rtdash.ui.widgets.keyed_table import KeyedTable
from tests.ui.helpers import dashboard_of, make_app, wait_for_data


def _count_renders(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Widget, Region]]:
    """Every ``render_lines`` call (the compositor's way into a widget) from now on."""
    asked: list[tuple[Widget, Region]] = []
    for cls in (Widget, KeyedTable):
        original = cls.render_lines

        def render_lines(self: Widget, crop: Region, original: Any = original) -> Any:
            asked.append((self, crop))
            return original(self, crop)

        monkeypatch.setattr(cls, "render_lines", render_lines)
    return asked


async def test_a_ticks_regions_are_drawn_by_the_widgets_in_front_for_their_columns(
    sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(sim, flash=False)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        board = dashboard_of(app)
        table = board.grid.table(CallState.BRIDGED)
        await pilot.pause()
        assert table.row_count > 3
        compositor = app.screen._compositor
        region, _clip = compositor.visible_widgets[table]
        # the time columns of the rows on screen, as a tick dirties them
        times = Region(region.x, region.y + table.header_height, 19, 3)
        asked = _count_renders(monkeypatch)
        compositor._dirty_regions.update([times])
        update = compositor.render_partial_update()
        assert update is not None
        # the containers behind the table (grid, panes, view, screen) render nothing
        assert [widget for widget, _ in asked] == [table]
        # and the table only its time columns of those lines
        assert [crop for _, crop in asked] == [times.translate((-region.x, -region.y))]


async def test_a_poll_that_brings_the_rows_already_drawn_asks_nothing_of_the_screen(
    sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(sim, flash=False)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        board = dashboard_of(app)
        await pilot.pause()
        await pilot.pause()
        refreshed: Counter[str] = Counter()
        original = Widget.refresh

        def refresh(self: Widget, *regions: Region, **kwargs: Any) -> Widget:
            refreshed[type(self).__name__] += 1
            return original(self, *regions, **kwargs)

        monkeypatch.setattr(Widget, "refresh", refresh)
        asked = _count_renders(monkeypatch)
        calls, users = board.calls, board.users
        assert calls is not None and users is not None
        now = calls.fetched_at
        board.post_message(CallsUpdated(calls.again(now)))
        board.post_message(UsersUpdated(users.again(now)))
        await pilot.pause()
        await pilot.pause()
        assert refreshed == Counter()
        assert asked == []
