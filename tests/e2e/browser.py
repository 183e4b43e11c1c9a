"""Open ``rtdash serve`` in headless Chromium and read what the page shows.

The page draws the terminal with xterm.js on a canvas, so the page's DOM holds no text.
A script that runs before the page's own catches the xterm.js ``Terminal`` that
textual-serve's ``textual.js`` creates, and the test then reads the rows of its screen
buffer: the same cells the canvas paints.
"""

from __future__ import annotations

import asyncio
import base64
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.e2e.cdp import Page

#: a time in state as the dashboard shows it (m:ss)
TIME_IN_STATE = re.compile(r"\b\d+:\d\d\b")

#: textual.js sets ``this.terminal`` and then ``this.fitAddon`` on its session object;
#: a setter on Object.prototype sees the second assignment and keeps the terminal
CATCH_TERMINAL = """
(() => {
  Object.defineProperty(Object.prototype, "fitAddon", {
    configurable: true,
    set(value) {
      Object.defineProperty(this, "fitAddon", {
        value, writable: true, configurable: true, enumerable: true,
      });
      if (this.terminal && this.terminal.buffer) { window.__rtdashTerminal = this.terminal; }
    },
  });
})();
"""

SCREEN_TEXT = """
(() => {
  const t = window.__rtdashTerminal;
  if (!t) { return null; }
  const buffer = t.buffer.active, rows = [];
  for (let y = 0; y < t.rows; y++) {
    const line = buffer.getLine(buffer.viewportY + y);
    rows.push(line ? line.translateToString(true) : "");
  }
  return rows.join("\\n");
})()
"""

PAGE_STATE = """
(() => {
  const t = window.__rtdashTerminal;
  return {
    cols: t ? t.cols : 0,
    rows: t ? t.rows : 0,
    firstByte: document.body.classList.contains("-first-byte"),
    closed: document.body.classList.contains("-closed"),
    canvases: document.querySelectorAll(".textual-terminal canvas").length,
    width: window.innerWidth,
    height: window.innerHeight,
  };
})()
"""

#: the page links a Google font; blocked so the test never waits on the internet
BLOCKED = ["*fonts.googleapis.com*", "*fonts.gstatic.com*"]


@dataclass
class Visit:
    """What one visit to the dashboard page saw."""

    unfocused: str = ""  # the first screen with live data, before the page has focus
    first: str = ""  # the first live screen once the terminal has focus
    later: str = ""  # the same screen ~2.5 s later
    lookup: str = ""  # after Tab Tab Enter
    back: str = ""  # after Escape
    state: dict[str, Any] = field(default_factory=dict)
    screenshot: bytes = b""  # the whole page
    thumbnail: bytes = b""  # the same at 1/8 scale, small enough to decode in Python
    seconds_to_data: float = 0.0


async def screen(page: Page) -> str:
    return await page.evaluate(SCREEN_TEXT) or ""


async def wait_screen(page: Page, check: Callable[[str], bool], what: str, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    text = ""
    while time.monotonic() < deadline:
        text = await screen(page)
        if check(text):
            return text
        await asyncio.sleep(0.25)
    raise AssertionError(
        f"timed out after {timeout:.0f} s waiting for {what}; the page showed:\n{text}"
    )


def live(text: str) -> bool:
    return all(marker in text for marker in ("Ringing", "Bridged", "data as of", "DEMO"))


async def open_page(devtools: int, url: str) -> Page:
    """A page with the terminal catcher installed, navigating to ``url``."""
    page = await Page.connect(devtools)
    try:
        await page.send("Network.enable")
        await page.send("Network.setBlockedURLs", urls=BLOCKED)
        await page.send("Page.enable")
        # headless, the page never has the window's focus unless it is emulated
        await page.send("Emulation.setFocusEmulationEnabled", enabled=True)
        await page.send("Page.addScriptToEvaluateOnNewDocument", source=CATCH_TERMINAL)
        await page.send("Page.navigate", url=url)
    except BaseException:
        await page.close()
        raise
    return page


async def watch_wallboard(devtools: int, url: str, seconds: float) -> tuple[str, str]:
    """Open the wallboard and leave it alone, as a TV would: the first screen with data
    and the screen ``seconds`` later (nobody ever focuses the page)."""
    page = await open_page(devtools, url)
    try:
        first = await wait_screen(
            page,
            lambda s: "Calls waiting" in s and "Agents" in s and "data as of" in s,
            "the wallboard with data",
            timeout=30,
        )
        await asyncio.sleep(seconds)
        later = await screen(page)
        await page.send("Page.navigate", url="about:blank")
    finally:
        await page.close()
    return first, later


#: the Bridged group's title while it has the focus (the mark before its symbol)
BRIDGED_FOCUSED = "▸⇄ Bridged"


def focused(text: str) -> str:
    """The group or panel that has the focus: the symbol and name after the mark (not
    its count, which moves on its own)."""
    _, mark, rest = text.partition("▸")
    return " ".join(rest.split()[:2]) if mark else ""


async def settled_focus(page: Page) -> str:
    """The group the focus is on once two reads of the page a second apart agree: the
    page draws a key's effect a frame or more after it (longer on a loaded machine), so
    a read just after a key can show where the focus was, not where it is."""
    seen = focused(await screen(page))
    for _ in range(10):
        await asyncio.sleep(1.0)
        now = focused(await screen(page))
        if now and now == seen:
            return now
        seen = now
    raise AssertionError(f"the focus did not settle; last seen on {seen!r}")


async def focus_bridged(page: Page) -> None:
    """Tab on to the Bridged group, whose calls the demo always has: the groups before
    it may be empty this second. Two blind Tabs from Ringing had landed on the users
    (Enter on an agent away opens no lookup), and so had Tabs each pressed as soon as
    the mark was seen to move, a frame late: here one Tab at a time, each once the
    focus has settled, so the last one pressed is never one too many."""
    for _ in range(8):
        if await settled_focus(page) == BRIDGED_FOCUSED.lstrip("▸"):
            return
        await page.key("Tab", 9)
    raise AssertionError("the Bridged group never had the focus")


async def visit(devtools: int, url: str) -> Visit:
    """Open ``url``, wait for live data, take the screenshots, open and close a lookup,
    then leave the page (which ends its app process)."""
    seen = Visit()
    started = time.monotonic()
    page = await open_page(devtools, url)
    try:
        seen.unfocused = await wait_screen(page, live, "live data on the page", timeout=30)
        seen.seconds_to_data = time.monotonic() - started
        # a click into the page focuses the terminal; the app hears of it ("focus")
        # and polls at the normal interval again, as in a focused terminal
        await page.evaluate("window.__rtdashTerminal.focus()")
        seen.first = await wait_screen(
            page, lambda s: live(s) and "slow" not in s, "the focused dashboard", timeout=15
        )
        # live: some time in state ticks on
        before = TIME_IN_STATE.findall(seen.first)
        seen.later = await wait_screen(
            page, lambda s: TIME_IN_STATE.findall(s) != before, "times ticking", timeout=15
        )
        seen.state = await page.evaluate(PAGE_STATE)
        await asyncio.sleep(0.5)  # let the canvas paint the last frame
        shot = await page.send("Page.captureScreenshot", format="png")
        seen.screenshot = base64.b64decode(shot["data"])
        clip = {"x": 0, "y": 0, "width": seen.state["width"], "height": seen.state["height"]}
        small = await page.send(
            "Page.captureScreenshot", format="png", clip={**clip, "scale": 0.125}
        )
        seen.thumbnail = base64.b64decode(small["data"])

        await focus_bridged(page)
        await page.key("Enter", 13, "\r")
        seen.lookup = await wait_screen(
            page, lambda s: "Caller lookup" in s and "Attribution" in s, "the lookup", 15
        )
        await page.key("Escape", 27)
        seen.back = await wait_screen(
            page, lambda s: "Caller lookup" not in s and "Ringing" in s, "the dashboard", 15
        )
        await page.send("Page.navigate", url="about:blank")
    finally:
        await page.close()
    return seen
