"""The first frame: drawn once, with the first answer in it, when the service answers
within ``FIRST_FRAME_WAIT``; drawn without it, showing the connecting state, when the
service does not answer in that time (see ``rtdash.ui.first_frame``)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from rtdash import head_start
from rtdash.api.models import CallState
from rtdash.core.poller_status import Phase
from rtdash.sim import Simulator
from rtdash.ui import first_frame as first_frame_module
from rtdash.ui.app import RtdashApp
from rtdash.ui.screens.dashboard import DashboardScreen
from rtdash.ui.widgets.status_bar import StatusBar
from tests.support import a_password
from tests.ui.helpers import make_app, settings_for, wait_for_data, wait_until


@dataclass(frozen=True)
class Frame:
    """What the dashboard held when a frame of it was painted."""

    calls: bool
    users: bool
    phase: Phase | None
    status_line: str
    #: the talking calls' table as painted: its columns sized to the screen's width
    talking: tuple[str, ...]


def lines(view: Any) -> tuple[str, ...]:
    table = view.grid.table(CallState.BRIDGED)
    return tuple(table.render_line(y).text for y in range(table.size.height))


def record_frames(app: RtdashApp) -> list[Frame]:
    """Every frame of the dashboard screen the app paints, with what its view held
    at that moment."""
    frames: list[Frame] = []
    display = app._display

    def recording(screen: Any, renderable: Any) -> None:
        if renderable is not None and not app._batch_count and isinstance(screen, DashboardScreen):
            view = screen.dashboard
            bar = view.query_one(StatusBar)
            phase = bar.status.phase if bar.status is not None else None
            line = str(bar._line) if bar._line is not None else ""
            talking = lines(view)
            frames.append(
                Frame(view.calls is not None, view.users is not None, phase, line, talking)
            )
        display(screen, renderable)

    app._display = recording  # type: ignore[method-assign]
    return frames


def record_now(app: RtdashApp) -> Frame:
    view = app.screen.dashboard  # type: ignore[attr-defined]
    bar = view.query_one(StatusBar)
    phase = bar.status.phase if bar.status is not None else None
    return Frame(True, True, phase, str(bar._line), lines(view))


@pytest.mark.parametrize("early", [False, True], ids=["polled", "head-start"])
async def test_the_first_frame_painted_carries_the_first_answer(
    sim: Simulator, monkeypatch: pytest.MonkeyPatch, early: bool
) -> None:
    """A service that answers at once: no empty dashboard is painted before its data,
    and the data is drawn at the tables' final size, also when the answer is in
    before the screen is even laid out (the head start's)."""
    monkeypatch.setattr(first_frame_module, "FIRST_FRAME_WAIT", 60.0)  # only the answer ends it
    settings = settings_for(sim)
    started = head_start.begin(settings) if early else None
    if started is not None:
        assert started.thread is not None
        started.join(timeout=10)
    app = make_app(sim, settings, app_options={"head_start": started})
    frames = record_frames(app)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        await wait_until(pilot, lambda: bool(frames))
        assert not app.holding_first_frame
        await pilot.pause(0.3)  # whatever follows the first frame (resizes, a tick)
        frames.append(record_now(app))
    first = frames[0]
    assert (first.calls, first.users, first.phase) == (True, True, Phase.LIVE)
    assert "data as of" in first.status_line
    settled = frames[-1]
    assert first.talking == settled.talking, "the tables were drawn at their final size"
    assert any(line.strip() for line in first.talking)


@pytest.fixture
def silent_upstream() -> Iterator[str]:
    """A loopback port that takes connections and never answers them."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"


async def test_a_silent_service_still_gets_its_dashboard_in_the_connecting_state(
    sim: Simulator, silent_upstream: str
) -> None:
    """The wait is bounded: with no answer at all, the dashboard is painted anyway,
    saying it is connecting (the request is still out: nothing was drawn from it)."""
    settings = settings_for(sim, base_url=silent_upstream)
    app = make_app(sim, settings)
    frames = record_frames(app)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_until(pilot, lambda: bool(frames))
        assert not app.holding_first_frame
        first = frames[0]
        assert (first.calls, first.users, first.phase) == (False, False, Phase.CONNECTING)
        assert "connecting" in first.status_line
        assert app.screen.dashboard.calls is None  # still no answer: the wait ended it


async def test_a_failing_service_ends_the_wait_with_its_error(
    sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A refusal is an answer: the first frame says so, without waiting out the bound."""
    monkeypatch.setattr(first_frame_module, "FIRST_FRAME_WAIT", 60.0)
    app = make_app(sim, password=a_password())
    frames = record_frames(app)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_until(pilot, lambda: bool(frames))
    assert frames[0].phase is Phase.AUTH_FAILED
    assert "rejected" in frames[0].status_line
