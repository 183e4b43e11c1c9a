from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.hostile.upstream import Upstream, serving


@pytest.fixture
def upstream() -> Iterator[Upstream]:
    with serving() as running:
        yield running
