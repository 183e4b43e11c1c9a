def scan(
    piece: bytes,
    tail_keys: tuple[bytes, ...],
    state: int,
    start: int = ...,
    stop: int = ...,
    /,
) -> tuple[list[int], int, bytes] | None: ...
def hashes() -> tuple[str, ...]: ...
def use(name: str, /) -> str: ...
