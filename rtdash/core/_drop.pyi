from collections.abc import Sequence
from typing import TypeVar

R = TypeVar("R")

def without(kept: Sequence[R], gone: Sequence[R], found: list[R] = ..., /) -> tuple[R, ...]: ...
def replaced(
    kept: tuple[R, ...], gone: list[R], new: list[R], places: list[int], found: list[R] = ..., /
) -> tuple[R, ...]: ...
def ahead(distance: int, /) -> int: ...
