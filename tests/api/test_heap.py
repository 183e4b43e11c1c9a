"""A big body fixes glibc's mapping threshold, once: big blocks (bodies, row lists and
tables) are then mapped on their own and given back when freed."""

from __future__ import annotations

import json
import platform
from typing import TYPE_CHECKING, Any

import pytest

from rtdash.api import heap
from tests.api.test_rows import CALL, with_

if TYPE_CHECKING:
    from tests.api.conftest import MakeClient, Upstream


class _FakeLibc:
    def __init__(self) -> None:
        self.calls: list[tuple[int, int]] = []

    def mallopt(self, param: int, value: int) -> int:
        self.calls.append((param, value))
        return 1


@pytest.fixture
def libc(monkeypatch: pytest.MonkeyPatch) -> _FakeLibc:
    fake = _FakeLibc()
    monkeypatch.setattr(heap, "_libc", lambda: fake)
    monkeypatch.setattr(heap, "_done", False)
    return fake


def test_only_the_first_big_body_sets_the_threshold(libc: _FakeLibc) -> None:
    assert not heap.after_body(heap.BIG_BODY - 1)
    assert libc.calls == []
    assert heap.after_body(heap.BIG_BODY)
    assert not heap.after_body(50 * heap.BIG_BODY)
    assert libc.calls == [(heap.M_MMAP_THRESHOLD, 256 * 1024)]


async def test_the_client_tells_the_heap_each_bodys_size(
    make_client: MakeClient, upstream: Upstream, libc: _FakeLibc
) -> None:
    client = make_client(upstream)
    upstream.body = json.dumps(CALL) + "\n"
    await client.active_calls()
    assert libc.calls == []
    rows = [with_(CALL, callRef=f"c-{n}") for n in range(4000)]
    upstream.body = "".join(json.dumps(row) + "\n" for row in rows)
    assert len(upstream.body) > heap.BIG_BODY
    got = await client.active_calls()
    assert len(got.rows) == 4000
    assert libc.calls == [(heap.M_MMAP_THRESHOLD, heap.THRESHOLD)]


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc only")
def test_glibc_is_found_where_it_is_the_c_library() -> None:
    found: Any = heap._libc()
    assert found is not None and hasattr(found, "mallopt")
