"""Rejected credentials at 80x24: the status line's hint names what to fix, whole. The
one line cut it at the screen's edge ("fix the credentials in /tmp/…/con…"), so the
part to act on was the part lost. The hint's line starts with when they are tried
again (by themselves, or at once with ``r``)."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from rich.text import Text
from textual.app import App, ComposeResult

from rtdash.api import errors
from rtdash.core.clock import FrozenClock
from rtdash.core.credentials import rejected_hints
from rtdash.core.poller_status import Phase, PollerStatus, Route, RouteHealth
from rtdash.sim import Fault, Simulator
from rtdash.ui.app import RtdashApp
from rtdash.ui.widgets.status_bar import StatusBar, with_hint
from tests.support import a_password, settings_for
from tests.ui.helpers import make_app, screen_text, wait_until

CREDENTIAL_VARIABLES = ("RTDASH_USERNAME", "RTDASH_PASSWORD", "RTDASH_API_KEY")

#: the second line at 80 columns, credentials from the environment: when they are tried
#: again, the key that tries them now, what to fix and that a fix takes a restart
FIX_VARIABLES = re.compile(
    r"retrying in 0:[0-5][0-9] \(r: now\) · fix RTDASH_USERNAME/RTDASH_PASSWORD, restart"
)


def fix_variables_line(shown: list[str]) -> bool:
    return any(FIX_VARIABLES.fullmatch(line.strip()) for line in shown)


def _refused_wallboard(sim: Simulator, config_file: Path | None) -> RtdashApp:
    """The wallboard on ``sim`` with a password it refuses, read from ``config_file``."""
    settings = settings_for(sim, password=a_password())
    settings.display.wallboard = True
    settings.source = config_file
    app: RtdashApp = make_app(sim, settings, flash=False)
    return app


async def _screen_once_refused(app: RtdashApp) -> str:
    async with app.run_test(size=(80, 24)) as pilot:

        def refused() -> bool:
            bars = list(app.screen.query(StatusBar))
            return any(b.status and b.status.phase is Phase.AUTH_FAILED for b in bars)

        await wait_until(pilot, refused)
        await pilot.pause()
        return screen_text(app)


async def test_the_config_file_to_fix_shows_whole_at_80x24(
    sim: Simulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    for name in CREDENTIAL_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    config = tmp_path / ".config" / "rtdash" / "config.toml"
    shown = await _screen_once_refused(_refused_wallboard(sim, config))
    lines = [line for line in shown.splitlines() if line.strip()]
    assert re.fullmatch(
        r"retrying in 0:[0-5][0-9] \(r: now\) · fix ~/.config/rtdash/config.toml, restart rtdash",
        lines[-1].strip(),
    ), shown
    assert "credentials rejected" in lines[-2], shown
    assert "…" not in "\n".join(lines[-2:]), shown


def frames_of_the_second_tab(app: RtdashApp) -> list[str]:
    """The text of every frame the app paints from now on with its second
    installation's tab shown, as the terminal shows it."""
    frames: list[str] = []
    display = app._display

    def recording(screen: Any, renderable: Any) -> None:
        shown = getattr(screen, "current", None) == 1
        if renderable is not None and not app._batch_count and shown:
            frames.append(screen_text(app))
        display(screen, renderable)

    app._display = recording  # type: ignore[method-assign]
    return frames


async def test_the_first_frame_of_a_tab_shown_says_what_to_fix(
    sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An installation's tab not shown yet had its status line made for no width: the
    first frames it was shown in said "credentials rejected" with the hint cut at the
    screen's edge, the hint on its own line only after the bar's first resize."""
    monkeypatch.delenv("RTDASH_API_KEY", raising=False)
    monkeypatch.setenv("RTDASH_USERNAME", sim.username)
    monkeypatch.setenv("RTDASH_PASSWORD", a_password())
    settings = settings_for(sim, password=a_password())
    settings.connection.more_igrps = [i.igrp for i in sim.installations if i.igrp != sim.igrp]
    app: RtdashApp = make_app(sim, settings, flash=False)
    async with app.run_test(size=(80, 24)) as pilot:

        def all_refused() -> bool:
            bars = list(app.screen.query(StatusBar))
            return len(bars) == 2 and all(
                b.status and b.status.phase is Phase.AUTH_FAILED for b in bars
            )

        await wait_until(pilot, all_refused)
        frames = frames_of_the_second_tab(app)
        await pilot.press("2")
        await wait_until(pilot, lambda: bool(frames))
    lines = [line.strip() for line in frames[0].splitlines() if line.strip()]
    rejected = next(i for i, line in enumerate(lines) if "credentials rejected" in line)
    assert lines[rejected].endswith("installation 5678 · UTC"), frames[0]
    assert FIX_VARIABLES.fullmatch(lines[rejected + 1]), frames[0]


async def test_the_variables_to_fix_show_whole_at_80x24(
    sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Credentials from the environment (as set in the test, never on a command line)."""
    monkeypatch.delenv("RTDASH_API_KEY", raising=False)
    monkeypatch.setenv("RTDASH_USERNAME", sim.username)
    monkeypatch.setenv("RTDASH_PASSWORD", a_password())
    shown = await _screen_once_refused(_refused_wallboard(sim, None))
    assert fix_variables_line(shown.splitlines()), shown


def test_a_hint_that_fits_stays_on_the_one_line() -> None:
    head = Text("credentials rejected · data 10:14:03")
    hints = rejected_hints({"RTDASH_API_KEY": a_password("key")}, None)
    line, second = with_hint(head, Text(), hints, 120)
    assert second is None
    assert line.plain == (
        "credentials rejected · data 10:14:03 — fix RTDASH_API_KEY and restart rtdash"
    )


def test_on_its_own_line_a_long_path_gives_up_its_words_then_its_start() -> None:
    """The file's name is at the path's end: a path wider than the line keeps it."""
    config = Path("/srv/wallboards/floor-2/rtdash/config.toml")
    hints = rejected_hints({}, config)
    head = Text("credentials rejected · no data yet")
    _, second = with_hint(head, Text(), hints, 78)
    assert second is not None and second.plain == f"fix {config}, restart rtdash"
    _, second = with_hint(head, Text(), hints, 40)
    assert second is not None and second.cell_len == 40
    assert second.plain.startswith("…") and second.plain.endswith("/floor-2/rtdash/config.toml")


@pytest.mark.parametrize("wallboard", [False, True], ids=["dashboard", "wallboard"])
async def test_a_toast_leaves_both_lines_of_the_status_in_view(
    sim: Simulator, monkeypatch: pytest.MonkeyPatch, wallboard: bool
) -> None:
    """A toast stood where a one-line status bar's top is: over a two-line bar it hid
    "credentials rejected" or the hint below it for as long as it stayed."""
    monkeypatch.delenv("RTDASH_API_KEY", raising=False)
    monkeypatch.setenv("RTDASH_USERNAME", sim.username)
    monkeypatch.setenv("RTDASH_PASSWORD", a_password())
    settings = settings_for(sim, password=a_password())
    settings.display.wallboard = wallboard
    app: RtdashApp = make_app(sim, settings, flash=False)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        bar = app.screen.query_one(StatusBar)
        await wait_until(pilot, lambda: bar.has_class("-two-lines") and bar.size.height == 2)
        app.notify("Exported the calls, the users and today's service level", timeout=60)
        await wait_until(pilot, lambda: "Exported" in screen_text(app))
        shown = [line.strip() for line in screen_text(app).splitlines()]
    assert fix_variables_line(shown), "\n".join(shown)
    assert "credentials rejected · no data yet · installation 1234 · UTC" in shown, "\n".join(shown)


async def test_a_toast_stays_above_the_status_when_the_filter_line_opens(
    sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The filter line moves the status bar up without resizing it: the toasts stood
    where the bar had been and covered both its lines and the words being typed."""
    monkeypatch.delenv("RTDASH_API_KEY", raising=False)
    monkeypatch.setenv("RTDASH_USERNAME", sim.username)
    monkeypatch.setenv("RTDASH_PASSWORD", a_password())
    app: RtdashApp = make_app(sim, settings_for(sim, password=a_password()), flash=False)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        bar = app.screen.query_one(StatusBar)
        await wait_until(pilot, lambda: bar.has_class("-two-lines") and bar.size.height == 2)
        await pilot.press("slash")
        await pilot.press(*"sales")
        app.notify("Exported the calls, the users and today's service level", timeout=60)
        await wait_until(pilot, lambda: "Exported" in screen_text(app))
        await pilot.pause()
        shown = [line.strip() for line in screen_text(app).splitlines()]
    assert fix_variables_line(shown), "\n".join(shown)
    assert "credentials rejected · no data yet · installation 1234 · UTC" in shown, "\n".join(shown)
    assert any("sales" in line for line in shown), "\n".join(shown)


async def test_refused_after_data_then_r_at_80x24(
    sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Refused once the board had data (a proxy's or the service's fault): the first
    line keeps the installation's id beside the data's age, the second says when the
    credentials are tried again and what to fix; ``r`` tries them at once, and an
    answer puts the board back to live."""
    monkeypatch.delenv("RTDASH_API_KEY", raising=False)
    monkeypatch.setenv("RTDASH_USERNAME", sim.username)
    monkeypatch.setenv("RTDASH_PASSWORD", sim.password)
    app: RtdashApp = make_app(sim, settings_for(sim), flash=False)
    async with app.run_test(size=(80, 24)) as pilot:
        bar = app.screen.query_one(StatusBar)
        await wait_until(pilot, lambda: bool(bar.status and bar.status.phase is Phase.LIVE))
        sim.faults.add(Fault(kind="status", status=401, times=None))
        await wait_until(
            pilot, lambda: bool(bar.status and bar.status.phase is Phase.AUTH_FAILED), 10
        )
        await pilot.pause()
        shown = [line.strip() for line in screen_text(app).splitlines() if line.strip()]
        assert re.fullmatch(
            r"credentials rejected · data as of \d\d:\d\d:\d\d \(\d+ s ago\)"
            r" · (installation 1234|#1234) · UTC",
            shown[-3],
        ), "\n".join(shown)
        assert FIX_VARIABLES.fullmatch(shown[-2]), "\n".join(shown)

        sim.faults.clear()
        await pilot.press("r")
        await wait_until(pilot, lambda: bool(bar.status and bar.status.phase is Phase.LIVE), 5)
        assert bar.text is not None and bar.text.headline == "live"


class HubViewerBar(App[None]):
    """A hub viewer's status bar alone: it draws what the hub says of its own poll."""

    def compose(self) -> ComposeResult:
        yield StatusBar(
            clock=FrozenClock(datetime(2026, 5, 1, 9, 0, tzinfo=UTC)),
            zone=ZoneInfo("UTC"),
            installation="installation 1234",
        )


async def test_a_hub_viewer_names_the_hubs_credentials_and_no_key() -> None:
    """The hub polls with its own credentials and tries them again by itself: a
    viewer's own (or its ``r``, which only re-reads the hub) fix nothing."""
    app = HubViewerBar()
    async with app.run_test(size=(80, 4)) as pilot:
        bar = app.query_one(StatusBar)
        loop_now = asyncio.get_running_loop().time()
        refused = RouteHealth(
            error=errors.AuthFailed("credentials rejected (HTTP 401)"), next_try=loop_now + 95.5
        )
        status = PollerStatus(
            Phase.AUTH_FAILED, 2.0, dict.fromkeys(Route, refused), made_at=loop_now, via="hub"
        )
        bar.update_status(status)
        await pilot.pause()
        assert bar._line is not None
        lines = bar._line.plain.splitlines()
    assert lines == [
        "hub · upstream credentials rejected · no data yet · installation 1234 · UTC",
        "retrying in 1:36 · fix the hub's credentials and restart the hub",
    ]
