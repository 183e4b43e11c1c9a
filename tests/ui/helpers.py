"""Helpers for Pilot and snapshot tests: settings pointing at a simulator, an app with a
clock frozen at the simulator's time, and waiting on conditions rather than sleeps."""

from __future__ import annotations

import asyncio
import html
import re
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from textual import events
from textual.pilot import Pilot

from rtdash.api.client import Credentials, InfinityClient
from rtdash.core.snapshot import CallsSnapshot, UsersSnapshot
from rtdash.sim import Simulator
from rtdash.ui.app import RtdashApp
from tests.support import make_app, settings_for

__all__ = ["make_app", "settings_for"]


async def wait_until(pilot: Pilot, condition: Callable[[], bool], timeout: float = 5.0) -> None:
    """Let the app work until ``condition`` holds; fail loudly rather than hang."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError("condition not met in time")
        await pilot.pause(0.05)
    await pilot.pause()


async def poll_after(pilot: Pilot, view: Any, seconds: float, sim: Simulator) -> None:
    """Move the simulated day on and wait for the poll that sees it."""
    before = view.calls.fetched_at
    sim.advance(seconds)
    pilot.app.clock.advance(seconds)
    view.poller.refresh_now()
    await wait_until(pilot, lambda: view.calls.fetched_at > before)


def a_wallboard(sim: Simulator) -> RtdashApp:
    """The wallboard on ``sim`` (no flash: a frame must not depend on the second)."""
    settings = settings_for(sim)
    settings.display.wallboard = True
    app: RtdashApp = make_app(sim, settings, flash=False)
    return app


def dashboard_of(app: RtdashApp):
    from rtdash.ui.screens.dashboard import DashboardScreen

    screen = app.screen
    assert isinstance(screen, DashboardScreen), f"on {type(screen).__name__}"
    return screen.dashboard


def talking_and_away(board: Any) -> tuple[Any, Any]:
    """An agent on a call and one away, as the dashboard's users panel shows them."""
    from rtdash.core.agents import AgentState, agent_state

    on_call = board.calls.on_call()
    users = board.user_panel.shown_users()
    talking = next(u for u in users if agent_state(u, on_call) is AgentState.ON_CALL)
    away = next(u for u in users if agent_state(u, on_call) is AgentState.AWAY)
    return talking, away


def talking_mobiles(app: RtdashApp) -> list[str]:
    """The UK mobile numbers of the calls talking now, in the grid's order: numbers a
    lookup finds, typed as a person would (no withheld or landline number)."""
    from rtdash.api.models import CallState

    bridged = dashboard_of(app).calls.groups[CallState.BRIDGED]
    return [c.src_number for c in bridged if c.src_number and c.src_number.startswith("+447")]


@asynccontextmanager
async def on_talking_calls(sim: Any) -> AsyncIterator[tuple[RtdashApp, Pilot, Any, Any]]:
    """The dashboard at 160x48 with its data, focus in the talking calls' table (the
    biggest group, where sorting, filtering and the cursor have rows to act on):
    ``(app, pilot, dashboard, table)``."""
    from rtdash.api.models import CallState

    app = make_app(sim)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        board = dashboard_of(app)
        table = board.grid.table(CallState.BRIDGED)
        table.focus()
        yield app, pilot, board, table


@asynccontextmanager
async def a_caller_looked_up(sim: Any) -> AsyncIterator[tuple[RtdashApp, Pilot, Any, str]]:
    """The dashboard at 80x24 with ``l``, a talking caller's number and Enter answered:
    ``(app, pilot, the lookup dialog, another talking caller's number)``, the number a
    next lookup asks for."""
    from rtdash.ui.screens.lookup import LookupScreen

    app = make_app(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_data(pilot)
        first, second = talking_mobiles(app)[:2]
        await pilot.press("l", *first, "enter")
        modal = app.screen
        assert isinstance(modal, LookupScreen)
        await wait_until(pilot, lambda: modal.details is not None)
        assert modal.details is not None and modal.details.src_number == first
        yield app, pilot, modal, second


async def wait_for_data(pilot: Pilot) -> None:
    app = pilot.app
    await wait_until(
        pilot,
        lambda: _has_data(app),
    )


async def with_polling_paused(pilot: Pilot) -> Any:
    """Live data, then the dashboard's polling paused with no poll in flight: what the
    test posts itself is then all that changes. The dashboard is returned."""
    await wait_for_data(pilot)
    board = dashboard_of(pilot.app)
    board.poller.pause()
    await wait_until(pilot, lambda: not board.poller._tasks)
    return board


def _has_data(app: RtdashApp) -> bool:
    """Every installation's view has both snapshots."""
    from rtdash.ui.screens.views import ViewsScreen

    for screen in app.screen_stack:
        if isinstance(screen, ViewsScreen):
            return all(view.calls is not None and view.users is not None for view in screen.views)
    return False


async def wait_for_footer_keys(pilot: Pilot) -> None:
    """Wait until the Footer's keys have been placed by a layout.

    The dashboard composes them just after its first frame (``release_paint``), so with
    the data in they may still be on their way, mounted but not yet laid out. Meanwhile
    the screen's compositor is not one picture: the first look-up of a widget's region
    (a render makes many) rebuilds its map with the new keys (Textual's
    ``Compositor.full_map``) but keeps the cuts its renders divide each line at, those
    of the footer without keys. A render begun before that look-up draws the old footer,
    one after it the new keys where no cut is, and a test comparing two renders would
    compare two different screens.
    """
    await wait_until(pilot, lambda: _footer_keys_laid_out(pilot.app))


def _footer_keys_laid_out(app: RtdashApp) -> bool:
    """Every key the Footer shows has a size, which only a layout gives it
    (``outer_size``, not ``size``: that looks the region up, and the look-up is what
    reshuffles the map). A key hidden for want of room never gets one."""
    keys = app.screen.query("FooterKey")
    return bool(keys) and all(key.outer_size for key in keys if key.display)


def rendered_text(widget: object, width: int = 120) -> str:
    """What a widget shows, as plain text (its renderable drawn by Rich)."""
    from rich.console import Console

    console = Console(width=width, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
    content = getattr(widget, "content", None)
    if content is None:
        content = widget.render()  # type: ignore[attr-defined]
    # the text as it is: a plain string printed by Rich would have its "[b]" read as
    # markup and dropped, and an upstream's text must be seen as it arrived
    console.print(content if not hasattr(content, "plain") else content.plain, markup=False)
    return console.export_text()


#: one styled run of text in a Textual screenshot SVG, with its line number
_SVG_RUN = re.compile(r'clip-path="url\(#terminal-\d+-line-(\d+)\)">([^<]*)</text>')


def screen_text(app: RtdashApp) -> str:
    """What the terminal shows, as lines of plain text: only what is on screen, so
    text scrolled out of view or clipped by a dialog is not in it."""
    svg = html.unescape(app.export_screenshot()).replace("\xa0", " ")
    lines: dict[int, str] = {}
    for number, run in _SVG_RUN.findall(svg):
        lines[int(number)] = lines.get(int(number), "") + run
    return "\n".join(lines[n] for n in sorted(lines))


def label_values(text: str) -> dict[str, list[str]]:
    """Each "label  value" line of a dialog's text (a lookup's details), values by
    label, top to bottom; a dialog's border and scrollbar cells around it are left out."""
    found: dict[str, list[str]] = {}
    for line in text.splitlines():
        inside = line.strip().strip("█▇▆▅▄▃▂▁ ")
        match = re.match(r"^(\S.*?)\s{2,}(\S.*?)$", inside)
        if match:
            found.setdefault(match[1], []).append(match[2])
    return found


async def fetch_truth(sim: Simulator) -> tuple[CallsSnapshot, UsersSnapshot]:
    """What the simulator serves now, read by a client of the test's own: the truth a
    screen is compared with."""
    async with InfinityClient(
        igrp=sim.igrp, credentials=Credentials(sim.username, sim.password), base_url=sim.url
    ) as client:
        calls = await client.active_calls()
        users = await client.user_status()
    return (
        CallsSnapshot.build(calls.rows, calls.fetched_at),
        UsersSnapshot.build(users.rows, users.fetched_at),
    )


def typed_at_once(app: RtdashApp, *keys: str) -> None:
    """``keys`` as a terminal hands over keys typed fast, or sent in one packet over a
    slow link: all in one read, none waiting for the one before to be handled (as
    ``Pilot.press`` waits). A key is a name ("enter", "down") or one character."""
    driver = app._driver
    assert driver is not None
    names = {" ": "space", "+": "plus", "-": "minus"}
    for key in keys:
        if key == "enter":
            event = events.Key("enter", "\r")
        elif key == "ctrl+j":  # a newline, as a terminal not yet in raw mode sends Enter
            event = events.Key("ctrl+j", "\n")
        elif len(key) == 1:
            event = events.Key(names.get(key, key), key)
        else:
            event = events.Key(key, None)
        event.set_sender(app)
        driver.send_message(event)


async def open_help(pilot: Pilot[Any]) -> tuple[Any, str]:
    """``?`` pressed once the data is in: the help screen and its legend of marks as
    drawn (150 cells wide, where no explanation wraps)."""
    from rtdash.ui.screens.help import HelpScreen

    await wait_for_data(pilot)
    await pilot.press("question_mark")
    screen = pilot.app.screen
    assert isinstance(screen, HelpScreen)
    return screen, rendered_text(screen.query_one("#help-markers"), width=150)
