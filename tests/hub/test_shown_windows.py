"""A screen on a hub shows the hub's recent windows: the state the hub publishes for
the screens keeps the last hour's minutes, and following it again builds the same
windows as the hub's own, whether it is taken whole or as changes."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from rtdash.core.service_feed import FollowedServiceLevel, ServiceKeeper, ServiceOptions
from rtdash.hub.outbox import shown
from tests.core.test_service_window_tiles import NOON, _a_bad_morning_then_worse, _calls

WINDOWS = ("today", "60m", "15m")


def test_a_screen_following_the_hub_has_its_windows() -> None:
    hub = _a_bad_morning_then_worse()
    screen = FollowedServiceLevel(ZoneInfo("UTC"))
    keeper = ServiceKeeper(screen, ServiceOptions(persist=False))
    keeper.follow(shown(hub.to_dict(), hub.agents))
    assert hub.metrics.total("15m").abandoned == 12
    for window in WINDOWS:
        assert screen.metrics.total(window) == hub.metrics.total(window), window
    # a minute later, four more answered: followed as changes to the state before
    hub.metrics.advance(NOON + 60)
    hub.metrics.handle_all(_calls(0, 4, answered=True, now=NOON + 60))
    keeper.follow(shown(hub.to_dict(), hub.agents))
    for window in WINDOWS:
        assert screen.metrics.total(window) == hub.metrics.total(window), window
    assert screen.report("15m").queues == hub.report("15m").queues
