"""The lookup screen with markup-looking and unreadable answers: it shows them, or says
it could not read them, and never stays on "Looking up…"."""

from __future__ import annotations

import asyncio
import io

import pytest
from rich.console import Console
from textual.app import App
from textual.widgets import Label, Static

from rtdash.api.client import Credentials, InfinityClient
from rtdash.ui.screens.lookup import LookupScreen
from rtdash.ui.screens.lookup_view import MAX_LABEL_WIDTH
from tests.hostile.upstream import IGRP, PASSWORD, USERNAME, Answer, Upstream, ndjson


class LookupApp(App[None]):
    def __init__(self, client: InfinityClient, call_ref: str) -> None:
        super().__init__()
        self.client = client
        self.call_ref = call_ref

    def on_mount(self) -> None:
        self.push_screen(LookupScreen(self.client, call_ref=self.call_ref))


async def settled(app: LookupApp) -> LookupScreen:
    screen = app.screen
    assert isinstance(screen, LookupScreen)
    for _ in range(100):
        if screen.outcome not in ("idle", "loading"):
            return screen
        await asyncio.sleep(0.05)
    raise AssertionError(f"the lookup stayed {screen.outcome!r}")


@pytest.mark.parametrize(
    ("body", "outcome", "shown"),
    [
        (
            ndjson({"igrp": "1234", "pub": "[/]", "campaign": "[bold]x[/]", "c_tag": "[/]"}),
            "advanced",
            "[bold]x[/]",
        ),
        (  # a date out of range costs its own field: the rest is shown
            b'{"igrp": "1234", "triggerDatetime": "0001-01-01T00:00:00+14:00", "pub": "x"}',
            "advanced",
            "Triggered",
        ),
        (b'{"igrp": "1234", "pub": "x", "pub": "y"}', "error", "could not be read"),
        (b'{"igrp": ' + b"[" * 5000 + b"]" * 5000 + b"}", "error", "could not be read"),
    ],
    ids=["markup", "date-out-of-range", "duplicate-key", "nested-5000"],
)
async def test_the_lookup_shows_markup_as_text_and_errors_instead_of_hanging(
    upstream: Upstream, body: bytes, outcome: str, shown: str
) -> None:
    upstream.answers["activeCall"] = Answer(body=body)
    client = _client(upstream)
    app = LookupApp(client, "c-[/]1")
    async with client, app.run_test(size=(100, 40)) as pilot:
        screen = await settled(app)
        await pilot.pause()
        assert screen.outcome == outcome
        title = str(screen.query_one("#lookup-title", Label).render())
        assert title == "Caller lookup — call c-[/]1"
        text = _result_text(screen.query_one("#lookup-result", Static), 100)
        assert shown in text
        assert "Traceback" not in text


async def test_a_long_custom_key_cannot_push_the_values_aside_at_80_columns(
    upstream: Upstream,
) -> None:
    """The widest label sets where every value starts, up to a cap: a custom key of 60
    characters folds in the label column, and the values keep their room at 80x24."""
    key = "c_" + "k" * 58
    upstream.answers["activeCall"] = Answer(
        body=ndjson({"igrp": "1234", "pub": "Publisher-value", key: "custom-value"})
    )
    client = _client(upstream)
    app = LookupApp(client, "c-1")
    async with client, app.run_test(size=(80, 24)) as pilot:
        screen = await settled(app)
        await pilot.pause()
        result = screen.query_one("#lookup-result", Static)
        lines = _result_text(result, result.content_region.width).splitlines()
        column = MAX_LABEL_WIDTH + 2
        for value in ("Publisher-value", "custom-value"):
            line = next(line for line in lines if value in line)
            assert line.index(value) == column
        assert key in "".join(line[:MAX_LABEL_WIDTH].strip() for line in lines)


def _client(upstream: Upstream) -> InfinityClient:
    return InfinityClient(
        igrp=IGRP, credentials=Credentials(USERNAME, PASSWORD), base_url=upstream.base_url
    )


def _result_text(result: Static, width: int) -> str:
    """The lookup's result as a terminal ``width`` wide shows it, as plain text."""
    console = Console(width=width, file=io.StringIO(), color_system=None)
    console.print(result.content)
    return console.file.getvalue()  # type: ignore[attr-defined]
