from typing import TypeVar

T = TypeVar("T")

def untrack(obj: T, /) -> T: ...
