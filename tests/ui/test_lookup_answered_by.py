"""The lookup names who answered: "Answered on Leo Knight (213)", not the extension
alone, from the users and calls the dashboard already polls (the simulator over
loopback HTTP); a name is upstream text, drawn as written."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

from rtdash.api.models import CallerDetails
from rtdash.core.agents import AgentState, agent_state
from rtdash.sim import Simulator
from rtdash.ui.screens.lookup import LookupScreen
from rtdash.ui.screens.lookup_view import details_view
from tests.ui.helpers import dashboard_of, make_app, rendered_text, wait_for_data, wait_until


def _shown_values(text: str) -> dict[str, str]:
    """Each row the lookup shows with a value, by label."""
    return dict(re.findall(r"^(\S[^\n]*?)\s{2,}(\S[^\n]*?)\s*$", text, re.M))


async def test_enter_on_an_agent_shows_who_answered_by_name_and_extension(
    sim: Simulator,
) -> None:
    """As a supervisor at 80x24: the users panel, an agent on a call, Enter."""
    app = make_app(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_data(pilot)
        board = dashboard_of(app)
        on_call = board.calls.on_call()
        agent = next(
            u
            for u in board.user_panel.shown_users()
            if agent_state(u, on_call) is AgentState.ON_CALL and u.extension
        )
        table = board.user_panel.table
        table.focus()
        table.move_cursor(row=table.keys.index(agent.user_id))
        await pilot.pause()
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, LookupScreen))
        modal = app.screen
        assert isinstance(modal, LookupScreen)
        await wait_until(pilot, lambda: modal.details is not None)
        assert modal.details is not None and modal.details.dest_number == agent.extension
        shown = _shown_values(rendered_text(modal.query_one("#lookup-result")))
        assert shown["Answered on"] == f"{agent.display_name} ({agent.extension})"
        await pilot.press("y")  # the copied text says the same
        assert f"Answered on: {agent.display_name} ({agent.extension})" in app.clipboard


def test_a_name_that_looks_like_markup_is_shown_as_written() -> None:
    details = CallerDetails.model_validate(
        {"mode": "advanced", "destPhoneNumber": "213", "bridgeDuration": "5"}
    )
    view = details_view(details, ZoneInfo("UTC"), "[bold]Leo[/bold] Knight")
    shown = _shown_values(rendered_text(_Shown(view)))
    assert shown["Answered on"] == "[bold]Leo[/bold] Knight (213)"


class _Shown:
    """A renderable as a widget's content, for :func:`rendered_text`."""

    def __init__(self, content: object) -> None:
        self.content = content
