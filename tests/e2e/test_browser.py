"""The dashboard in a real browser: ``rtdash serve --demo`` opened in headless Chromium.

Needs Debian's chromium (CI's ``.ci/run`` installs it; locally the test skips without
it). ``RTDASH_UPDATE_SCREENSHOTS=1`` also writes the page's screenshot to
``screenshots/browser-dashboard.png``, the image the README shows.
"""

from __future__ import annotations

import asyncio
import io
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from bench.measures.procs import rtdash_processes
from rtdash.cli import serve as serve_module
from tests.e2e import png
from tests.e2e.browser import TIME_IN_STATE, visit, watch_wallboard
from tests.e2e.cdp import chromium_command, devtools_port
from tests.e2e.procs import (
    REPO,
    app_env,
    free_port,
    need,
    rtdash_command,
    start,
    stop,
    wait_port,
)
from tests.support import a_password

WIDTH, HEIGHT = 1600, 1000
SCREENSHOT = REPO / "screenshots" / "browser-dashboard.png"


@dataclass
class Served:
    """``rtdash serve`` and a headless Chromium, both running."""

    server: subprocess.Popen[bytes]
    url: str
    devtools: int
    log: Path


@contextmanager
def served_in_chromium(tmp_path: Path, app_args: list[str]) -> Iterator[Served]:
    """Start ``rtdash serve <app_args>`` and Chromium; stop both (whole process
    groups) on the way out, printing their logs if the body failed."""
    chromium = need("/usr/bin/chromium", "Chromium", "chromium")
    port = free_port()
    serve_log, browser_log = tmp_path / "serve.log", tmp_path / "chromium.log"
    server = start(
        rtdash_command("serve", "--port", str(port), *app_args),
        serve_log,
        env=app_env(tmp_path / "home"),
    )
    browser = None
    try:
        wait_port(port, 20, server)
        assert rtdash_processes(server.pid) == [], "no app runs before a browser connects"
        profile = tmp_path / "profile"
        browser = start(chromium_command(chromium, profile, WIDTH, HEIGHT), browser_log)
        yield Served(server, f"http://127.0.0.1:{port}/", devtools_port(profile, 20), serve_log)
    except BaseException:
        for log in (serve_log, browser_log):
            if log.exists():
                print(f"--- {log.name}\n{log.read_text(errors='replace')[-4000:]}")
        raise
    finally:
        if browser is not None:
            stop(browser)
        stop(server)


def test_dashboard_in_headless_chromium(tmp_path: Path) -> None:
    with served_in_chromium(tmp_path, ["--demo"]) as served:
        seen = asyncio.run(asyncio.wait_for(visit(served.devtools, served.url), 120))
        app_after = _wait_for(lambda: not rtdash_processes(served.server.pid), 10)

    # the page shows the live dashboard: three groups, the data age, the demo badge
    assert "Ringing" in seen.first and "Queueing" in seen.first and "Bridged" in seen.first
    assert "Users" in seen.first and "available" in seen.first
    # it is live: times in state tick between two reads
    ticked = TIME_IN_STATE.findall(seen.later) != TIME_IN_STATE.findall(seen.first)
    assert ticked, "times tick in the page"
    state = seen.state
    assert state["firstByte"] and not state["closed"], state
    # the terminal was fitted to the window, far wider than a default 80x24
    assert state["cols"] >= 120 and state["rows"] >= 30, state
    assert state["canvases"] >= 1, "xterm.js paints on a canvas"
    # keys typed in the browser reach the app: Tab Tab Enter looks the caller up
    assert "Channel" in seen.lookup
    assert "Ringing" in seen.back
    # the tab's app process ended with the page
    assert app_after, "leaving the page ends its app process"
    assert f"serving the dashboard on {served.url.rstrip('/')}" in served.log.read_text()

    # the screenshot is a real picture of the page, not a blank one
    assert png.size(seen.screenshot) == (state["width"], state["height"])
    assert len(seen.screenshot) > 50_000, len(seen.screenshot)
    counts = png.colours(seen.thumbnail)
    total = sum(counts.values())
    assert len(counts) > 50, f"only {len(counts)} colours: the page looks blank"
    assert counts.most_common(1)[0][1] / total < 0.9, "one colour fills the page"

    (tmp_path / "browser-dashboard.png").write_bytes(seen.screenshot)
    if os.environ.get("RTDASH_UPDATE_SCREENSHOTS") == "1":
        shutil.copyfile(tmp_path / "browser-dashboard.png", SCREENSHOT)


def test_wallboard_in_headless_chromium_stays_live_unfocused(tmp_path: Path) -> None:
    """A TV's browser never focuses the page: the wallboard must keep polling at its
    normal interval all the same (the dashboard slows down until it has focus)."""
    with served_in_chromium(tmp_path, ["--demo", "--wallboard"]) as served:
        first, later = asyncio.run(
            asyncio.wait_for(watch_wallboard(served.devtools, served.url, 5.0), 120)
        )
    assert "Queues" in first and "Longest wait" in first and "Talking" in first
    assert "Caller" not in first, "the wallboard shows no calls table and no caller data"
    assert "slow" not in later, [line for line in later.splitlines() if "data as of" in line]
    assert _data_time(later) != _data_time(first), "the data moved on"


def _data_time(screen: str) -> str:
    found = re.search(r"data as of (\d\d:\d\d:\d\d)", screen)
    assert found, screen
    return found.group(1)


def _wait_for(check: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return check()


# --- serve without a browser ----------------------------------------------------------


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.0.2.10", "dashboard.example"])
def test_a_non_loopback_bind_warns_there_is_no_authentication(host: str) -> None:
    warning = serve_module.exposure_warning(host, 8000, None)
    assert warning is not None
    assert "no authentication" in warning
    assert "proxy that authenticates" in warning
    assert f"{host}:8000" in warning


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "localhost"])
def test_loopback_binds_do_not_warn(host: str) -> None:
    assert serve_module.exposure_warning(host, 8000, None) is None


def test_a_wildcard_bind_asks_for_the_public_url() -> None:
    assert "--public-url" in serve_module.exposure_warning("0.0.0.0", 8000, None)
    assert "--public-url" not in serve_module.exposure_warning(
        "0.0.0.0", 8000, "https://wallboard.example"
    )


def test_serve_on_all_addresses_prints_the_warning_before_serving(tmp_path: Path) -> None:
    """The real server, bound to 0.0.0.0: the warning is on stderr before it listens."""
    port = free_port()
    log = tmp_path / "serve.log"
    server = start(
        rtdash_command(
            "serve",
            "--host",
            "0.0.0.0",
            "--port",
            str(port),
            "--public-url",
            "http://tv.example",
            "--demo",
        ),
        log,
        env=app_env(tmp_path / "home"),
    )
    try:
        wait_port(port, 20, server)
    finally:
        stop(server)
    text = log.read_text()
    assert "rtdash serve: warning: listening on 0.0.0.0" in text
    assert "http://tv.example" in text
    assert "no authentication of its own" in text
    assert text.index("no authentication") < text.index("serving the dashboard on")
    assert server.returncode == 0, "SIGTERM stops it cleanly"


def test_serve_on_loopback_prints_no_warning(tmp_path: Path) -> None:
    port = free_port()
    log = tmp_path / "serve.log"
    server = start(
        rtdash_command("serve", "--port", str(port), "--demo"),
        log,
        env=app_env(tmp_path / "home"),
    )
    try:
        wait_port(port, 20, server)
        said = f"rtdash: serving the dashboard on http://127.0.0.1:{port}"
        for _ in range(100):  # the line comes just after the port opens
            if said in log.read_text():
                break
            time.sleep(0.1)
    finally:
        stop(server)
    assert "warning" not in log.read_text()
    # one line in a log file (no terminal to wrap it for)
    assert (
        f"{said} (one app process per browser tab, at most 3); Ctrl+C stops"
        in log.read_text().splitlines()
    )


def test_the_served_command_is_this_interpreter_and_the_dashboard_options() -> None:
    command = serve_module.served_command(["--demo", "--base-url", "http://x y/"])
    assert command == f"{sys.executable} -m rtdash --demo --base-url 'http://x y/'"


def test_a_secret_on_the_served_command_line_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    word = a_password()  # made per run: no password is written in the tests
    monkeypatch.setenv("RTDASH_PASSWORD", word)
    with pytest.raises(ValueError, match="RTDASH_PASSWORD"):
        serve_module.served_command(["--base-url", f"https://example/{word}/"])
    err = io.StringIO()
    assert serve_module.serve(["--config", word], stderr=err) == 2
    assert "never from an argument" in err.getvalue()


def test_serve_refuses_a_subcommand_and_port_zero() -> None:
    err = io.StringIO()
    assert serve_module.serve(["calls"], stderr=err) == 2
    assert serve_module.serve(["--demo"], port=0, stderr=err) == 2
    assert "not `rtdash calls`" in err.getvalue() and "1-65535" in err.getvalue()


def test_record_is_refused_since_every_tab_would_write_the_file() -> None:
    err = io.StringIO()
    assert serve_module.serve(["--demo", "--record", "day.rtrec"], stderr=err) == 2
    assert serve_module.serve(["--demo", "--record=day.rtrec"], stderr=err) == 2
    assert err.getvalue().count("--record cannot be served") == 2


def test_a_port_in_use_is_one_line_and_exit_1(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            rtdash_command("serve", "--port", str(port), "--demo"),
            capture_output=True,
            text=True,
            env=app_env(tmp_path / "home"),
            timeout=30,
        )
    assert result.returncode == 1
    assert f"rtdash serve: cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_a_wildcard_bind_without_the_public_url_is_refused() -> None:
    """Requests naming any host but the public URL's are refused, so a wildcard bind
    must say what that is."""
    err = io.StringIO()
    assert serve_module.serve(["--demo"], host="0.0.0.0", stderr=err) == 2
    assert err.getvalue().strip() == (
        "rtdash serve: --host 0.0.0.0 needs --public-url, the address browsers use "
        "(requests for any other address are refused)"
    )
