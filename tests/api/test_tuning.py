"""The settings the C parts are tuned by (rtdash/api/_tuning.h): how far ahead they
ask for cold rows and how sparse they keep their tables, each set from Python for the
benchmark that weighs it, checked, and left as it was when refused."""

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


@pytest.mark.parametrize(("part_name", "most"), [("head table", 16), ("groups", 64)])
def test_how_sparse_tables_are_kept_is_set_and_checked(part_name: str, most: int) -> None:
    name, package = PARTS[part_name]
    part = c_parts.built(name, package)
    if part is None:
        pytest.skip("rtdash's C parts are not built")
    built = part.fill(2)
    try:
        assert built > 2  # kept sparser than half full as built
        assert part.fill(most) == 2
        for wrong in (1, most + 1, -3):
            with pytest.raises(ValueError, match=f"from 2 to {most}"):
                part.fill(wrong)
        with pytest.raises(TypeError):
            part.fill(4.0)
        assert part.fill(built) == most  # a refused setting changed nothing
    finally:
        part.fill(built)
