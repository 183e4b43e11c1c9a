"""With personal data excluded: every poll asks for redaction, redacted callers wear a
marker, and a caller lookup is refused locally, without a request."""

from __future__ import annotations

import html
import re

import httpx
from rich.text import Text

from rtdash.api.models import CallState
from rtdash.core.format import REDACTED, WITHHELD
from rtdash.sim import Simulator
from rtdash.ui.screens.lookup import PII_REFUSED, LookupScreen
from tests.resilience.conftest import (
    CALLS_ROUTE,
    USERS_ROUTE,
    RecordingFaultPlan,
    make_app,
    resilient_settings,
)
from tests.ui.helpers import dashboard_of, rendered_text, wait_for_data, wait_until

#: a caller number as the grid prints it: "+44 7700 900123", "+44 20 7946 0927"
SHOWN_NUMBER = re.compile(r"\+\d{1,3}(?: \d{2,4}){2,3}")


def caller_cells(app) -> list[str]:
    grid = dashboard_of(app).grid
    cells = []
    for table in grid.tables:
        for key in table.keys:
            cell = str(table.get_cell(key, "caller"))
            cells.append(cell.plain if isinstance(cell, Text) else str(cell))
    return cells


async def run(sim: Simulator, *, exclude_pii: bool) -> tuple[list[httpx.URL], list[str], str]:
    sent: list[httpx.URL] = []

    async def record(request: httpx.Request) -> None:
        sent.append(request.url)

    http = httpx.AsyncClient(event_hooks={"request": [record]})
    app = make_app(sim, resilient_settings(sim, exclude_pii=exclude_pii), http=http)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        board = dashboard_of(app)
        polls = board.poller.polls
        await wait_until(pilot, lambda: board.poller.polls >= polls + 2, 3)
        cells = caller_cells(app)
        screen = html.unescape(app.export_screenshot()).replace("\xa0", " ")
    await http.aclose()
    return sent, cells, screen


async def test_every_poll_asks_for_redaction_and_shows_the_marker(sim: Simulator) -> None:
    sent, cells, screen = await run(sim, exclude_pii=True)
    calls = [url for url in sent if url.path.endswith(f"/{CALLS_ROUTE}")]
    assert len(calls) >= 2
    assert all(url.params.get("excludePiiData") == "1" for url in calls)
    # the users route carries no personal data and takes no such flag
    assert all("excludePiiData" not in url.params for url in sent if url.path.endswith(USERS_ROUTE))
    assert cells.count(REDACTED) >= len(cells) - cells.count(WITHHELD) >= 10
    assert set(cells) <= {REDACTED, WITHHELD}
    assert REDACTED in screen
    assert not SHOWN_NUMBER.search(screen)


async def test_without_the_flag_numbers_are_shown(sim: Simulator) -> None:
    """The control: the same centre, PII included, shows numbers and sends no flag."""
    sent, cells, screen = await run(sim, exclude_pii=False)
    assert all("excludePiiData" not in url.params for url in sent)
    assert REDACTED not in cells
    assert sum(bool(SHOWN_NUMBER.fullmatch(cell)) for cell in cells) >= 10
    assert SHOWN_NUMBER.search(screen)


async def test_lookups_are_refused_locally_without_a_request(sim: Simulator) -> None:
    faults = sim.faults
    assert isinstance(faults, RecordingFaultPlan)
    app = make_app(sim, resilient_settings(sim, exclude_pii=True))
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        table = dashboard_of(app).grid.table(CallState.BRIDGED)
        table.focus()
        # Enter on a call, then "l" for a typed number: both refused in the modal
        for keys in (("down", "enter"), ("l",)):
            await pilot.press(*keys)
            modal = app.screen
            assert isinstance(modal, LookupScreen)
            assert modal.outcome == "refused"
            shown = " ".join(rendered_text(modal.query_one("#lookup-result")).split())
            assert shown == " ".join(PII_REFUSED.split())
            await pilot.press("n", *"07700900123", "enter")  # "new lookup" stays refused
            assert modal.outcome == "refused"
            await pilot.press("escape")
            assert not isinstance(app.screen, LookupScreen)
        await pilot.pause(0.3)
    assert faults.count("activeCall") == 0
