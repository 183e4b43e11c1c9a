"""A lookup opened on a paused dashboard reads the dashboard's frozen times: its call
duration and the row's Total are the Total the paused row shows, though the lookup
route answers for the present; on resume they move on with the dashboard. Against
the simulator, whose clock moves on while the dashboard is paused."""

from __future__ import annotations

from typing import Any

from rtdash.api.models import CallState
from rtdash.sim import Simulator
from rtdash.ui.screens.lookup import LookupScreen
from tests.ui.helpers import (
    fetch_truth,
    label_values,
    make_app,
    rendered_text,
    wait_until,
    with_polling_paused,
)

#: how long the dashboard stays paused before the lookup opens
PAUSED_FOR = 15


def _shown(modal: LookupScreen) -> dict[str, list[str]]:
    """Each label's values in the lookup's details as drawn, top to bottom."""
    return label_values(rendered_text(modal.query_one("#lookup-result")))


def _row(board: Any, ref: str) -> dict[str, str]:
    """The dashboard's row of the talking call ``ref``, as drawn, by column."""
    table = board.grid.table(CallState.BRIDGED)
    return dict(zip((c.key for c in table.columns), table.get_row(ref), strict=True))


async def test_a_lookup_opened_while_paused_shows_the_dashboards_frozen_times(
    sim: Simulator,
) -> None:
    app = make_app(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        board = await with_polling_paused(pilot)
        sim.advance(PAUSED_FOR)
        app.clock.advance(PAUSED_FOR)
        board.tick()
        await pilot.pause()
        # a call talking on the paused dashboard that still talks now, so its answer
        # is in progress, read for the present
        truth, _ = await fetch_truth(sim)
        talking_now = {c.call_ref for c in truth.groups[CallState.BRIDGED]}
        table = board.grid.table(CallState.BRIDGED)
        ref = next(key for key in table.keys if key in talking_now)
        frozen = _row(board, ref)
        table.focus()
        table.move_cursor(row=table.keys.index(ref))
        await pilot.pause()
        await pilot.press("enter")
        modal = app.screen
        assert isinstance(modal, LookupScreen)
        await wait_until(pilot, lambda: modal.details is not None)
        assert modal.details is not None and modal.details.call_state == "in progress"
        shown = _shown(modal)
        text = rendered_text(modal.query_one("#lookup-result"))
        # the answer and the row agree: the row's title needs no word on the pause
        assert "On the dashboard\n" in text and "(paused)" not in text, text
        assert shown["Call duration"] == [frozen["total"]]
        assert shown["Total"] == [frozen["total"]]
        assert shown["In state"] == [frozen["in_state"]]
        board.tick()  # a second of the paused dashboard: nothing moves
        await pilot.pause()
        assert _shown(modal)["Call duration"] == [frozen["total"]]
        # resumed, both count on from the present again, together
        board.poller.toggle_pause()
        await wait_until(pilot, lambda: not board.feed.paused)
        board.tick()
        await wait_until(
            pilot, lambda: _shown(modal)["Call duration"] == [_row(board, ref)["total"]]
        )
        assert _row(board, ref)["total"] != frozen["total"]
        assert _shown(modal)["Total"] == [_row(board, ref)["total"]]


async def test_a_call_ended_since_the_pause_has_its_row_titled_paused(sim: Simulator) -> None:
    """Opened on a paused dashboard, the lookup of a call that has ended since reads
    the service's final figures (answered, its last duration) above the row's frozen
    ones: the row's title says it is the paused picture, or the two read as a
    contradiction."""
    app = make_app(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        board = await with_polling_paused(pilot)
        shown_then = set(board.grid.table(CallState.BRIDGED).keys)
        for _ in range(60):  # until a call the paused dashboard shows has ended
            sim.advance(PAUSED_FOR)
            app.clock.advance(PAUSED_FOR)
            truth, _ = await fetch_truth(sim)
            if shown_then - {c.call_ref for c in truth.calls}:
                break
        ended = sorted(shown_then - {c.call_ref for c in truth.calls})
        assert ended, "a talking call ends within the simulated quarter hour"
        board.tick()
        table = board.grid.table(CallState.BRIDGED)
        table.focus()
        table.move_cursor(row=table.keys.index(ended[0]))
        await pilot.pause()
        await pilot.press("enter")
        modal = app.screen
        assert isinstance(modal, LookupScreen)
        await wait_until(pilot, lambda: modal.details is not None)
        assert modal.details is not None and modal.details.call_state != "in progress"
        await wait_until(
            pilot,
            lambda: "On the dashboard (paused)" in rendered_text(modal.query_one("#lookup-result")),
        )
