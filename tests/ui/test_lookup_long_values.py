"""The lookup at 80x24 with a long value (a landing URL with its click id), against the
simulator over real loopback HTTP: a value too long for its line is
folded over as many lines as it needs, and ``y`` copies it whole."""

from __future__ import annotations

from rtdash.api.client import Credentials, InfinityClient
from rtdash.api.models import CallerDetails
from rtdash.sim import Simulator
from rtdash.ui.screens.lookup import LookupScreen
from tests.ui.helpers import (
    dashboard_of,
    make_app,
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


async def test_a_long_value_folds_and_reads_whole_on_screen(sim: Simulator) -> None:
    """A supervisor on SSH may have no clipboard for ``y``: the URL folds over as many
    lines of the dialog as it needs, all of it on screen, the next field under it."""
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
        lines = [line.strip().strip("█▇▆▅▄▃▂▁ ") for line in screen_text(app).splitlines()]
        at = next(i for i, line in enumerate(lines) if line.startswith("Landing URL"))
        after = next(i for i, line in enumerate(lines) if line.startswith("Conversion page"))
        # the URL's first part beside its label, the rest on the lines up to the next
        folded = [lines[at].removeprefix("Landing URL").strip(), *lines[at + 1 : after]]
        assert len(folded) > 1 and "".join(folded) == url, folded
        await pilot.press("y")
        assert app.clipboard and f"Landing URL: {url}\n" in app.clipboard
