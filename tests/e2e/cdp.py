"""A tiny Chrome DevTools Protocol client over aiohttp's websocket (no extra package).

Enough to drive one headless Chromium page: send a command, wait for its answer, skip
events. Chromium is started with ``--remote-debugging-port=0`` and reports the port it
chose in ``DevToolsActivePort`` inside its profile folder, so no port can be raced.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from pathlib import Path
from typing import Any

import aiohttp

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",  # tests run as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--disable-features=BackForwardCache",
    "--remote-debugging-port=0",
    "--remote-debugging-address=127.0.0.1",
)


def chromium_command(binary: str, profile: Path, width: int, height: int) -> list[str]:
    return [
        binary,
        *CHROMIUM_FLAGS,
        f"--user-data-dir={profile}",
        f"--window-size={width},{height}",
        "about:blank",
    ]


class CdpError(Exception):
    pass


def devtools_port(profile: Path, timeout: float) -> int:
    """The port Chromium wrote to ``DevToolsActivePort`` once DevTools listens."""
    marker = profile / "DevToolsActivePort"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            first = marker.read_text().splitlines()[0]
            return int(first)
        except (OSError, IndexError, ValueError):
            time.sleep(0.1)
    raise AssertionError(f"Chromium did not open DevTools within {timeout:.0f} s")


class Page:
    """One page target, driven over its DevTools websocket."""

    def __init__(self, session: aiohttp.ClientSession, ws: aiohttp.ClientWebSocketResponse):
        self._session = session
        self._ws = ws
        self._ids = itertools.count(1)

    @classmethod
    async def connect(cls, port: int, timeout: float = 10.0) -> Page:
        session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout))
        try:
            async with session.get(f"http://127.0.0.1:{port}/json/list") as response:
                targets = await response.json(content_type=None)
            pages = [t for t in targets if t.get("type") == "page"]
            if not pages:
                raise CdpError(f"no page target among {targets!r}")
            ws = await session.ws_connect(pages[0]["webSocketDebuggerUrl"], max_msg_size=0)
        except BaseException:
            await session.close()
            raise
        return cls(session, ws)

    async def send(self, method: str, timeout: float = 15.0, **params: Any) -> dict[str, Any]:
        """Send one command; its ``result``, or CdpError with the protocol's error."""
        message_id = next(self._ids)
        await self._ws.send_str(json.dumps({"id": message_id, "method": method, "params": params}))
        async with asyncio.timeout(timeout):
            while True:
                message = await self._ws.receive()
                if message.type != aiohttp.WSMsgType.TEXT:
                    raise CdpError(f"DevTools connection ended during {method}: {message.type}")
                data = json.loads(message.data)
                if data.get("id") != message_id:
                    continue  # an event, or an answer nobody waits for
                if "error" in data:
                    raise CdpError(f"{method}: {data['error']}")
                return data.get("result", {})

    async def evaluate(self, expression: str) -> Any:
        """The JSON value of ``expression`` evaluated in the page."""
        result = await self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise CdpError(f"page error: {result['exceptionDetails']}")
        return result["result"].get("value")

    async def key(self, key: str, code: int, text: str = "") -> None:
        """Press and release one key, as a keyboard would send it."""
        common = {"key": key, "code": key, "windowsVirtualKeyCode": code}
        await self.send("Input.dispatchKeyEvent", type="keyDown", text=text, **common)
        await self.send("Input.dispatchKeyEvent", type="keyUp", **common)

    async def close(self) -> None:
        await self._ws.close()
        await self._session.close()
