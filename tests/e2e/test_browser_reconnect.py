"""A browser tab across a restart of ``rtdash serve``: the wallboard on a TV comes back
by itself once the server answers again (nobody walks up to click "Restart"), and
says meanwhile that it is reconnecting. Needs Debian's chromium, as ``test_browser``."""

from __future__ import annotations

import asyncio
import signal
import subprocess
from pathlib import Path

from tests.e2e.browser import open_page, wait_screen
from tests.e2e.cdp import chromium_command, devtools_port
from tests.e2e.procs import app_env, free_port, need, rtdash_command, start, stop, wait_port

WIDTH, HEIGHT = 1280, 720
SAID = "document.getElementById('said-text').textContent"


def _wallboard(text: str) -> bool:
    return "Calls waiting" in text and "data as of" in text


def _ended(process: subprocess.Popen[bytes], timeout: float) -> int | None:
    """The exit code, or None if it still runs after ``timeout`` seconds."""
    try:
        return process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        return None


def test_a_tab_reconnects_by_itself_after_the_server_restarts(tmp_path: Path) -> None:
    chromium = need("/usr/bin/chromium", "Chromium", "chromium")
    port = free_port()
    command = rtdash_command("serve", "--port", str(port), "--demo", "--wallboard")
    env = app_env(tmp_path / "home")
    servers = [start(command, tmp_path / "serve-1.log", env=env)]
    browser = None

    async def across_a_restart(devtools: int) -> tuple[str, dict[str, object], str]:
        page = await open_page(devtools, f"http://127.0.0.1:{port}/")
        try:
            await wait_screen(page, _wallboard, "the wallboard", timeout=60)
            title = await page.evaluate("document.title")
            # the server goes away (a deploy, a reboot): SIGTERM, as `kill` or systemd
            # sends it; with a tab open it still ends at once, its sessions closed
            servers[-1].send_signal(signal.SIGTERM)
            ended = await asyncio.to_thread(_ended, servers[-1], 15.0)
            for _ in range(80):
                said = await page.evaluate(SAID)
                if "reconnecting" in said:
                    break
                await asyncio.sleep(0.25)
            waiting = {
                "ended": ended,
                "said": await page.evaluate(SAID),
                "closed": await page.evaluate("document.body.classList.contains('-closed')"),
            }
            servers.append(start(command, tmp_path / "serve-2.log", env=env))
            # the page reloads (the old screen's text goes) and the wallboard is back
            await wait_screen(page, lambda text: not _wallboard(text), "the reload", timeout=90)
            again = await wait_screen(page, _wallboard, "the wallboard again", timeout=90)
            await page.send("Page.navigate", url="about:blank")
        finally:
            await page.close()
        return title, waiting, again

    try:
        wait_port(port, 20, servers[0])
        profile = tmp_path / "profile"
        browser = start(chromium_command(chromium, profile, WIDTH, HEIGHT), tmp_path / "c.log")
        title, waiting, again = asyncio.run(
            asyncio.wait_for(across_a_restart(devtools_port(profile, 20)), 240)
        )
    except BaseException:
        for log in sorted(tmp_path.glob("*.log")):
            print(f"--- {log.name}\n{log.read_text(errors='replace')[-3000:]}")
        raise
    finally:
        if browser is not None:
            stop(browser)
        for server in servers:
            stop(server)
    assert title == "rtdash"
    assert waiting["ended"] == 0, "SIGTERM ends the server with its tab open, cleanly"
    first_log = (tmp_path / "serve-1.log").read_text()
    assert "Traceback" not in first_log and "Event loop is closed" not in first_log, first_log
    assert waiting["closed"], waiting
    assert waiting["said"] == "The dashboard's server is not answering: reconnecting…", waiting
    assert _wallboard(again)
