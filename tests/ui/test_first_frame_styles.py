"""The first frame's styles: the class changes the first answers make while the frame
is held back (the tiles' levels and alerts, the first table's focus) are styled
together just before the first layout (``FirstFrameApp.update_styles``), and what is
painted is styled exactly as if each change had been styled at once."""

from __future__ import annotations

from typing import Any

import pytest
from textual.dom import DOMNode

from rtdash import head_start
from rtdash.sim import Simulator
from rtdash.ui import first_frame as first_frame_module
from rtdash.ui.app import RtdashApp
from rtdash.ui.widgets.metrics_bar import MetricTile
from tests.ui.helpers import make_app, settings_for, wait_for_data, wait_until


def styles_of(screen: DOMNode) -> dict[int, tuple[str, frozenset[str], dict[str, Any]]]:
    """Each node's type, classes and the rules the stylesheet gave it."""
    return {
        id(node): (type(node).__name__, frozenset(node.classes), dict(node.styles.base._rules))
        for node in screen.walk_children(with_self=True)
    }


async def first_frame_styles(sim: Simulator, app: RtdashApp) -> tuple[Any, Any, int]:
    """At the moment the first frame is painted: the styles as the app left them, the
    styles the stylesheet gives the same tree afresh, and how many nodes were held."""
    seen: dict[str, Any] = {"held": 0}
    paint = app._paint_first_frame
    restyle = app._restyle_held

    def counting() -> None:
        seen["held"] += len(app._restyle)
        restyle()

    def painting() -> None:
        screen = app.screen
        seen["as_left"] = styles_of(screen)
        app.stylesheet.update(screen)  # every node styled again, as the tree is now
        seen["afresh"] = styles_of(screen)
        seen["tiles"] = sorted(
            " ".join(sorted(tile.classes)) for tile in screen.query(MetricTile).results()
        )
        paint()

    app._restyle_held = counting  # type: ignore[method-assign]
    app._paint_first_frame = painting  # type: ignore[method-assign]
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        await wait_until(pilot, lambda: "afresh" in seen)
    return seen["as_left"], seen["afresh"], seen["held"]


@pytest.mark.parametrize("early", [False, True], ids=["polled", "head-start"])
async def test_the_first_frame_is_styled_as_every_change_styled_at_once(
    sim: Simulator, monkeypatch: pytest.MonkeyPatch, early: bool
) -> None:
    monkeypatch.setattr(first_frame_module, "FIRST_FRAME_WAIT", 60.0)  # only the answer ends it
    settings = settings_for(sim)
    started = head_start.begin(settings) if early else None
    if started is not None:
        started.join(timeout=10)
    app = make_app(sim, settings, app_options={"head_start": started})
    as_left, afresh, held = await first_frame_styles(sim, app)
    assert held, "the first answers changed classes while the frame was held"
    assert as_left == afresh


async def test_a_class_changed_after_the_first_frame_is_styled_at_once(sim: Simulator) -> None:
    """Only the wait holds a restyle back: afterwards a class change is styled at once."""
    app = make_app(sim)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        await wait_until(pilot, lambda: not app.holding_first_frame)
        tile = app.screen.query_one("#tile-talking", MetricTile)  # never at a level
        assert not {"level-warn", "level-alert", "flash"} & set(tile.classes)
        before = dict(tile.styles.base._rules)
        tile.add_class("level-alert")
        assert not app._restyle
        assert dict(tile.styles.base._rules) != before
