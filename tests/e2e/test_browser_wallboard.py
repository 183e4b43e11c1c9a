"""The wallboard in a 1920×1080 browser tab: ``rtdash serve --demo --wallboard``.

The page is fitted to the window (about 240×67 cells with the page's font), so the
headline digits must be large and the page must not be half blank. The rows of the
xterm.js screen buffer are read as in ``test_browser``; ``RTDASH_UPDATE_SCREENSHOTS=1``
also writes ``screenshots/browser-wallboard.png``.
"""

from __future__ import annotations

import asyncio
import base64
import os
import shutil
from pathlib import Path

from tests.e2e import png
from tests.e2e.browser import PAGE_STATE, open_page, screen, wait_screen
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

WIDTH, HEIGHT = 1920, 1080
SCREENSHOT = REPO / "screenshots" / "browser-wallboard.png"


async def _look(devtools: int, url: str) -> tuple[str, dict[str, int], bytes]:
    page = await open_page(devtools, url)
    try:
        await wait_screen(
            page,
            lambda s: "Calls waiting" in s and "on a call" in s and "data as of" in s,
            "the wallboard with data",
            timeout=30,
        )
        await asyncio.sleep(1.0)  # let the canvas paint the last frame
        text = await screen(page)
        state = await page.evaluate(PAGE_STATE)
        shot = await page.send("Page.captureScreenshot", format="png")
        await page.send("Page.navigate", url="about:blank")
    finally:
        await page.close()
    return text, state, base64.b64decode(shot["data"])


def test_the_wallboard_fills_a_1920x1080_browser(tmp_path: Path) -> None:
    chromium = need("/usr/bin/chromium", "Chromium", "chromium")
    port = free_port()
    server = start(
        rtdash_command("serve", "--port", str(port), "--demo", "--wallboard"),
        tmp_path / "serve.log",
        env=app_env(tmp_path / "home"),
    )
    browser = None
    try:
        wait_port(port, 20, server)
        profile = tmp_path / "profile"
        browser = start(chromium_command(chromium, profile, WIDTH, HEIGHT), tmp_path / "b.log")
        text, state, shot = asyncio.run(
            asyncio.wait_for(_look(devtools_port(profile, 20), f"http://127.0.0.1:{port}/"), 60)
        )
    finally:
        if browser is not None:
            stop(browser)
        stop(server)
    rows = text.splitlines()
    assert state["rows"] >= 40 and state["cols"] >= 160, state
    used = sum(1 for row in rows if row.strip())
    assert used >= 0.75 * state["rows"], f"{used} of {state['rows']} rows carry content"
    # the digits are drawn in blocks many rows tall, not three
    block_rows = [row for row in rows[: state["rows"] // 2] if "█" in row]
    assert len(block_rows) >= 10, "\n".join(rows[:30])
    assert png.size(shot) == (state["width"], state["height"])
    (tmp_path / "browser-wallboard.png").write_bytes(shot)
    if os.environ.get("RTDASH_UPDATE_SCREENSHOTS") == "1":
        shutil.copyfile(tmp_path / "browser-wallboard.png", SCREENSHOT)
