"""A big body fixes glibc's mapping threshold, once: big blocks (bodies, row lists and
tables) are then mapped on their own and given back when freed, and a socket's read
comes from the heap, its block reused read after read."""

from __future__ import annotations

import json
import platform
import subprocess
import sys
from typing import TYPE_CHECKING, Any

import pytest

from rtdash.api import heap
from rtdash.api.http11_stream import Incoming
from tests.api.test_rows import CALL, with_

if TYPE_CHECKING:
    from tests.api.conftest import MakeClient, Upstream


#: what a big body sets, in order
SET = [(heap.M_TRIM_THRESHOLD, heap.TRIM), (heap.M_MMAP_THRESHOLD, heap.THRESHOLD)]


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
    assert libc.calls == SET


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
    assert libc.calls == SET


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc only")
def test_glibc_is_found_where_it_is_the_c_library() -> None:
    found: Any = heap._libc()
    assert found is not None and hasattr(found, "mallopt")


#: a child that fixes the threshold as a big body would, then makes and drops blocks of
#: one size, and prints the page faults that cost
_FAULTS = """
import resource, sys
from rtdash.api import heap
assert heap.after_body(heap.BIG_BODY)
size, times = int(sys.argv[1]), int(sys.argv[2])
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(times):
    block = b"x" * size  # every page written, as a socket's read writes them
    del block
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


def _faults(size: int, times: int) -> int:
    done = subprocess.run(
        [sys.executable, "-c", _FAULTS, str(size), str(times)],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(done.stdout)


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc only")
def test_a_socket_reads_block_is_reused_and_a_big_block_given_back() -> None:
    """A socket's read (a big centre's connection reads wide, 1 MiB) made and dropped
    100 times faults in its pages once (twice at most); a block past the threshold is
    mapped each time it is made, so its faults grow with the times it is made (it was
    given back in between; counted as a ratio, so huge pages, fewer faults a block,
    change nothing)."""
    read = Incoming.WIDE_READ
    assert read + 4096 < heap.THRESHOLD  # the bytes object's head and malloc's too
    assert _faults(read, 100) < 2 * (read // 4096)
    big = 4 * heap.THRESHOLD
    assert _faults(big, 25) > 3 * _faults(big, 5)
