"""The lookup at 80x24 with a long value (a landing URL with its click id), against the
simulator over real loopback HTTP: each field is one line, a value too long for it is
cut with "…", and ``y`` copies it whole."""

from __future__ import annotations

from rtdash.api.client import Credentials, InfinityClient
from rtdash.api.models import CallerDetails
from rtdash.core.caller_sections import details_sections
from rtdash.sim import Simulator
from rtdash.ui.screens.lookup import LookupScreen
from tests.ui.helpers import (
    dashboard_of,
    make_app,
    rendered_text,
    screen_text,
    wait_for_data,
    wait_until,
)

#: longer than the value column of the lookup at 80 columns (about 50 cells)
LONG = 60


async def _a_call_with_a_long_landing_url(
    sim: Simulator, refs: list[str]
) -> tuple[str, CallerDetails]:
    """(its reference, its details as the service gives them)"""
    async with InfinityClient(
        igrp=sim.igrp, credentials=Credentials(sim.username, sim.password), base_url=sim.url
    ) as client:
        for ref in refs:
            details = await client.caller_details(call_ref=ref)
            if details is not None and len(details.landing_url or "") > LONG:
                return ref, details
    raise AssertionError("no call on the dashboard has a long landing URL")


async def test_a_long_value_takes_one_line_cut_with_an_ellipsis(sim: Simulator) -> None:
    app = make_app(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_data(pilot)
        refs = [call.call_ref for call in dashboard_of(app).calls.calls]
        ref, truth = await _a_call_with_a_long_landing_url(sim, refs)
        url = truth.landing_url
        assert url is not None
        await pilot.press("l", *ref, "enter")
        modal = app.screen
        assert isinstance(modal, LookupScreen)
        await wait_until(pilot, lambda: modal.details is not None)
        # on screen: the URL's line is cut inside the dialog, and the next field is
        # on the line under it, not the URL's end
        lines = [line for line in screen_text(app).splitlines() if line]
        at = next(i for i, line in enumerate(lines) if "Landing URL" in line)
        shown = lines[at].split("Landing URL", 1)[1].strip(" █")
        assert shown.endswith("…") and url.startswith(shown[:-1].strip()), lines[at]
        assert "Conversion page" in lines[at + 1], lines[at + 1]
        # every field of every section: one line, at the width the dialog gave it
        result = modal.query_one("#lookup-result")
        drawn = rendered_text(result, width=result.content_size.width).splitlines()
        sections = details_sections(modal.shown_details(), app.clients[0].zone)
        fields = sum(len(rows) for _, rows in sections)
        assert len([line for line in drawn if line.strip()]) == fields + len(sections)
        for _, rows in sections:
            for label, value in rows:
                (line,) = [line for line in drawn if line.startswith(f"{label}  ")]
                cell = line[len(label) :].strip()
                assert cell == value or (cell.endswith("…") and value.startswith(cell[:-1]))
        await pilot.press("y")
        assert app.clipboard and f"Landing URL: {url}\n" in app.clipboard
