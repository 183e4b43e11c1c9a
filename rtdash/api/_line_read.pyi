from datetime import tzinfo
from typing import Any

SKIP: int
TEXT: int
SHARED: int
TIME: int
INT: int
STATE: int
FLAG: int

class Plan:
    def __init__(
        self,
        model: type,
        names: tuple[str, ...],
        defaults: tuple[Any, ...],
        keys: tuple[bytes, ...],
        kinds: tuple[int, ...],
        places: tuple[int, ...],
        id_at: int,
        fallbacks: tuple[int, ...],
        max_cached: int,
        zone: tzinfo,
        /,
    ) -> None: ...
    def read(
        self,
        lines: list[bytes],
        texts: dict[Any, Any],
        old_texts: dict[Any, Any],
        times: dict[Any, Any],
        old_times: dict[Any, Any],
        ints: dict[Any, Any],
        old_ints: dict[Any, Any],
        states: dict[Any, Any],
        /,
    ) -> list[Any]: ...
