"""The distance the C parts ask for cold rows ahead at (rtdash/api/_ahead.h): set from
Python for the benchmark that weighs it, checked, and left as it was when refused."""

from __future__ import annotations

from types import ModuleType

import pytest

from rtdash.api import c_parts

PARTS = {"head table": ("_heads", "rtdash.api"), "groups": ("_drop", "rtdash.core")}


@pytest.fixture(params=list(PARTS))
def part(request: pytest.FixtureRequest) -> ModuleType:
    name, package = PARTS[request.param]
    built = c_parts.built(name, package)
    if built is None:
        pytest.skip("rtdash's C parts are not built")
    return built


def test_the_distance_is_set_and_checked(part: ModuleType) -> None:
    built = part.ahead(7)
    try:
        assert built > 0  # asked for early as built
        assert part.ahead(0) == 7
        for wrong in (-1, 4097):
            with pytest.raises(ValueError, match="from 0 to 4096"):
                part.ahead(wrong)
        with pytest.raises(TypeError):
            part.ahead("8")
        assert part.ahead(4096) == 0  # a refused distance changed nothing
    finally:
        part.ahead(built)
