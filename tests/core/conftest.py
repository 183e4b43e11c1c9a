"""Fixtures the core's tests share."""

from __future__ import annotations

import pytest


@pytest.fixture(params=["in C", "in Python"])
def each_drop(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The snapshots' tests run with gone rows taken out by the part in C where it was
    built (rtdash/core/_drop.c) and by the Python every machine has."""
    from rtdash.core import row_order

    if request.param == "in Python":
        monkeypatch.setattr(row_order, "dropping", None)
    elif row_order.dropping is None:
        pytest.skip("rtdash's C parts are not built")
    return str(request.param)
