"""SCALE's wait for the app to finish (bench.measures.inprocess.settle) returns only once
every message is handled, those a handler sends on included, and a handler still
awaiting something counts as work left."""

from __future__ import annotations

import asyncio

from textual.app import App, ComposeResult
from textual.message import Message
from textual.widget import Widget

from bench.measures.inprocess import settle


class Passed(Message):
    pass


class Last(Widget):
    def __init__(self) -> None:
        super().__init__()
        self.done = False

    async def on_passed(self, _message: Passed) -> None:
        await asyncio.sleep(0.05)  # the queues are empty while this waits
        self.done = True


class First(Widget):
    def on_passed(self, _message: Passed) -> None:
        self.app.query_one(Last).post_message(Passed())


class Chain(App[None]):
    def compose(self) -> ComposeResult:
        yield First()
        yield Last()


async def test_settle_waits_for_a_chain_of_messages_and_a_handler_that_awaits() -> None:
    app = Chain()
    async with app.run_test() as pilot:
        await pilot.pause()
        last = app.query_one(Last)
        app.query_one(First).post_message(Passed())
        await settle(app)
        assert last.done


async def test_settle_on_an_idle_app_returns_at_once() -> None:
    app = Chain()
    async with app.run_test() as pilot:
        await pilot.pause()
        await asyncio.wait_for(settle(app), timeout=1)
        assert not app.query_one(Last).done
