"""Fixtures every tier shares, and the tiers themselves.

Tiers, as markers set here from where a test lives (``pytest -m unit`` runs the fast
one alone):

- ``unit``: api, core, the simulator, the command line in-process, config and logs;
  no Textual app is started;
- ``ui``: Textual apps driven by Pilot against the simulator, and snapshots;
- ``e2e``: real terminals (tmux), a browser, sshd, a real redis-server (the hub), the
  benchmark harness, a wheel build.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from rtdash.sim import Simulator
from tests.support import loopback_sim, make_app

TESTS = Path(__file__).parent
#: folders (and single files) of each tier; a test elsewhere is ``unit``
TIERS: dict[str, tuple[str, ...]] = {
    "e2e": ("e2e", "smoke", "bench", "hub", "test_packaging.py"),
    "ui": ("ui", "resilience"),
}
#: files in a ui folder that start no app
UNIT_FILES = ("test_rowstore.py",)


def tier_of(path: Path) -> str:
    parts = path.relative_to(TESTS).parts
    if path.name in UNIT_FILES:
        return "unit"
    for tier, places in TIERS.items():
        if parts[0] in places:
            return tier
    return "unit"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        item.add_marker(getattr(pytest.mark, tier_of(Path(str(item.path)))))
    # the long ones first: a worker that met one last would keep the others waiting
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


@pytest.fixture(autouse=True)
def own_state_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Each test its own state folder (and so its own day's service state and log). The
    day's state is keyed by host and installation, not port, so without this every
    loopback simulator of a run would continue the day another test (or the developer's
    own dashboard) left, and screens would depend on the order the tests ran in."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path_factory.mktemp("state")))


@pytest.fixture
def sim() -> Iterator[Simulator]:
    """A fresh small centre on a loopback port, its clock frozen: a test may advance
    it and break it."""
    with loopback_sim() as running:
        yield running


@pytest.fixture
def app_factory(sim: Simulator) -> Callable[..., Any]:
    """``app_factory(flash=False, password=a_password(), …)``: the dashboard app on ``sim``
    (see :func:`tests.support.make_app`)."""

    def factory(*args: Any, **kwargs: Any) -> Any:
        return make_app(sim, *args, **kwargs)

    return factory
