"""A call reference typed in another case than the upstream's ("C-1234-000007" for
``c-1234-000007``), against the simulator over real loopback HTTP: the upstream matches
``callRef`` exactly, so the reference of a call on the dashboard found nothing."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Label

from rtdash.api.client import Credentials, InfinityClient
from rtdash.api.models import CallState
from rtdash.sim import Simulator
from rtdash.ui.screens.lookup import LookupScreen
from tests.ui.helpers import dashboard_of, make_app, wait_for_data, wait_until


async def test_a_live_calls_reference_typed_in_capitals_is_looked_up(sim: Simulator) -> None:
    app = make_app(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_data(pilot)
        ref = dashboard_of(app).calls.groups[CallState.BRIDGED][0].call_ref
        typed = ref.upper()
        assert typed != ref
        async with InfinityClient(
            igrp=sim.igrp, credentials=Credentials(sim.username, sim.password), base_url=sim.url
        ) as client:
            truth = await client.caller_details(call_ref=ref)
            assert await client.caller_details(call_ref=typed) is None  # matched exactly
        assert truth is not None
        await pilot.press("l")
        modal = app.screen
        assert isinstance(modal, LookupScreen)
        await pilot.press(*typed, "enter")
        await wait_until(pilot, lambda: modal.outcome not in ("idle", "loading"))
        assert modal.outcome == "advanced", modal.outcome
        assert modal.details == truth
        title = modal.query_one("#lookup-title", Label).content
        assert isinstance(title, Text) and title.plain == f"Caller lookup — call {ref}"


async def test_a_reference_no_live_call_has_is_asked_as_typed(sim: Simulator) -> None:
    """Not on the dashboard (ended, or never was): nothing to take its spelling from,
    so the upstream is asked what was typed, and says no call matches it."""
    app = make_app(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_data(pilot)
        await pilot.press("l")
        modal = app.screen
        assert isinstance(modal, LookupScreen)
        await pilot.press(*"C-9999-999999", "enter")
        await wait_until(pilot, lambda: modal.outcome not in ("idle", "loading"))
        assert modal.outcome == "no-match"
        title = modal.query_one("#lookup-title", Label).content
        assert isinstance(title, Text) and title.plain == "Caller lookup — call C-9999-999999"
