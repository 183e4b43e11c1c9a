"""A known password never shows: not on screen (working or rejected), not in a repr, an
error or a log line at DEBUG, and not in any committed snapshot. A config file that
holds a secret and that others can read gets a warning, on screen too."""

from __future__ import annotations

import base64
import html
import logging
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import msgspec
import pytest

from rtdash.config import Settings, load_settings
from rtdash.core.poller_status import Phase, Route
from rtdash.sim import Simulator
from rtdash.ui.app import RtdashApp
from tests.resilience.conftest import CALLS_ROUTE, make_app, resilient_settings
from tests.support import CALL_ROW_LINE as CALL_ROW
from tests.support import USER_ROW_LINE as USER_ROW
from tests.support import a_password, config_lines
from tests.ui.helpers import dashboard_of, screen_text, wait_for_data, wait_until

USERNAME = "supervisor"
PASSWORD = a_password()
BASIC = base64.b64encode(f"{USERNAME}:{PASSWORD}".encode()).decode()
SECRETS = (PASSWORD, BASIC)

REPO = Path(__file__).resolve().parents[2]


class BasicUpstream:
    """Answers only ``supervisor`` / the known password, until told the password changed."""

    def __init__(self) -> None:
        self.rotated = False
        self.authorized = 0

    def handler(self, request: httpx.Request) -> httpx.Response:
        if self.rotated or request.headers.get("Authorization") != f"Basic {BASIC}":
            return httpx.Response(401, content=b'"auth required"')
        self.authorized += 1
        body = CALL_ROW if request.url.path.endswith(CALLS_ROUTE) else USER_ROW
        return httpx.Response(200, content=body)


def assert_secret_free(text: str, where: str) -> None:
    for secret in SECRETS:
        assert secret not in text, f"the password shows in {where}"


@pytest.fixture
def debug_log(tmp_path: Path) -> Iterator[Path]:
    """Everything logged at DEBUG, by rtdash and the HTTP stack, into one file."""
    path = tmp_path / "debug.log"
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    saved = {name: logging.getLogger(name).level for name in ("", "httpx", "httpcore")}
    root.addHandler(handler)
    for name in saved:
        logging.getLogger(name).setLevel(logging.DEBUG)
    try:
        yield path
    finally:
        root.removeHandler(handler)
        handler.close()
        for name, level in saved.items():
            logging.getLogger(name).setLevel(level)


def write_config(tmp_path: Path, mode: int, *, password: bool) -> Path:
    path = tmp_path / "config.toml"
    lines = [
        "[connection]",
        'base_url = "http://upstream.test/reports/v2"',
        "igrp = 1234",
        "allow_insecure_http = true",  # the stand-in upstream is plain http
    ]
    if password:
        lines.append(config_lines(username=USERNAME, password=PASSWORD).rstrip("\n"))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    path.chmod(mode)
    return path


def settings_from(tmp_path: Path, source: str) -> Settings:
    if source == "env":
        config = write_config(tmp_path, 0o600, password=False)
        env = {"RTDASH_USERNAME": USERNAME, "RTDASH_PASSWORD": PASSWORD}
        return load_settings(config, env=env)
    return load_settings(write_config(tmp_path, 0o644, password=True), env={})


@pytest.mark.parametrize("source", ["env", "config-0644"])
async def test_the_password_never_shows(tmp_path: Path, debug_log: Path, source: str) -> None:
    settings = settings_from(tmp_path, source)
    settings.polling.interval = 1.0
    connection = settings.connection
    assert connection.password is not None
    assert connection.password.get_secret_value() == PASSWORD  # it was read, and is held
    for text, where in [
        (repr(settings), "repr(settings)"),
        (str(settings), "str(settings)"),
        (msgspec.json.encode(settings, enc_hook=str).decode(), "the settings as JSON"),
        (repr(msgspec.structs.asdict(settings)), "the settings as a dict"),
        (repr(msgspec.to_builtins(settings, enc_hook=str)), "the settings as builtins"),
        (repr(connection.credentials()), "repr(credentials)"),
        (str(connection.credentials()), "str(credentials)"),
    ]:
        assert_secret_free(text, where)

    upstream = BasicUpstream()
    http = httpx.AsyncClient(transport=httpx.MockTransport(upstream.handler))
    app = RtdashApp(settings, http=http)
    async with app.run_test(size=(160, 48), notifications=True) as pilot:
        await wait_for_data(pilot)
        board = dashboard_of(app)
        if settings.warnings:  # a notification is drawn a moment after the screen
            await wait_until(pilot, lambda: "chmod 600" in screen_text(app), 3)
        else:
            await pilot.pause(0.3)
        working = screen_text(app)
        assert "c-0001" in str(board.calls.calls) and "data as of" in working
        assert upstream.authorized >= 2  # the password was sent, and accepted

        upstream.rotated = True  # the password changed upstream: rejected from now on
        await wait_until(pilot, lambda: board.poller.status().phase is Phase.AUTH_FAILED, 4)
        rejected = screen_text(app)
        assert "credentials rejected" in rejected
        error = next(h.error for h in board.poller.status().routes.values() if h.error)
        client = board.client
        texts = [
            (working, "the screen"),
            (rejected, "the screen after a 401"),
            (str(error), "str(error)"),
            (repr(error), "repr(error)"),
            (repr(error.args), "the error's args"),
            (repr(client), "repr(client)"),
            (repr(vars(client)), "the client's attributes"),
            (repr(board.poller.status()), "the poller status"),
        ]
    await http.aclose()
    for text, where in texts:
        assert_secret_free(text, where)
    logged = debug_log.read_text(encoding="utf-8")
    assert "credentials rejected (HTTP 401)" in logged  # the log did capture the run
    assert_secret_free(logged, "the DEBUG log")

    if source == "config-0644":
        assert settings.warnings == [
            f"{tmp_path / 'config.toml'} holds a secret but other users can read it: "
            f"chmod 600 {tmp_path / 'config.toml'}"
        ]
        # the app shows it in a notification, wrapped over lines right of a "▌" border
        toast = " ".join(line.rpartition("▌")[2] for line in working.splitlines() if "▌" in line)
        assert "holds a secret but other users can read it: chmod 600" in " ".join(toast.split())
    else:
        assert settings.warnings == []
        assert "chmod 600" not in working


def test_a_readable_config_without_a_secret_gets_no_warning(tmp_path: Path) -> None:
    assert load_settings(write_config(tmp_path, 0o644, password=False), env={}).warnings == []
    assert load_settings(write_config(tmp_path, 0o600, password=True), env={}).warnings == []
    assert load_settings(write_config(tmp_path, 0o640, password=True), env={}).warnings


async def test_over_real_http_the_demo_password_stays_out_of_logs_and_screen(
    sim: Simulator, debug_log: Path
) -> None:
    """The same over loopback HTTP, where each request is logged (by the client's own
    HTTP/1.1 lane, or by httpx and httpcore)."""
    demo = (sim.password, base64.b64encode(f"{sim.username}:{sim.password}".encode()).decode())
    app = make_app(sim, resilient_settings(sim))
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        board = dashboard_of(app)
        await wait_until(pilot, lambda: board.poller.status().routes[Route.CALLS].failures == 0)
        screen = screen_text(app)
    logged = debug_log.read_text(encoding="utf-8")
    assert "HTTP Request: GET" in logged
    assert "send_request_headers" in logged or "connection opened to" in logged
    for secret in demo:
        assert secret not in logged and secret not in screen


def test_no_committed_snapshot_or_screenshot_holds_a_password() -> None:
    listed = subprocess.run(
        ["git", "ls-files", "*.svg"], cwd=REPO, capture_output=True, text=True
    ).stdout.split()
    svgs = [REPO / name for name in listed]
    assert any("tests/" in str(path) for path in svgs), "snapshot SVGs are committed"
    demo_basic = base64.b64encode(f"{Simulator.username}:{Simulator.password}".encode()).decode()
    forbidden = (*SECRETS, Simulator.password, demo_basic, Simulator.api_key)
    for path in svgs:
        text = html.unescape(path.read_text(encoding="utf-8", errors="replace"))
        for secret in forbidden:
            assert secret not in text, f"{path.relative_to(REPO)} holds a secret"
