from __future__ import annotations

from collections.abc import Iterator

import pytest

from rtdash.api import line_plan
from tests.hostile.big_body import LineReaderWatch
from tests.hostile.upstream import Upstream, serving


@pytest.fixture
def upstream() -> Iterator[Upstream]:
    with serving() as running:
        yield running


@pytest.fixture
def line_reader(upstream: Upstream, monkeypatch: pytest.MonkeyPatch) -> LineReaderWatch:
    """A big body's server and the C line reader's watch (see tests.hostile.big_body)."""
    if line_plan.built is None:
        pytest.skip("rtdash's C parts are not built")
    return LineReaderWatch(upstream, monkeypatch)
