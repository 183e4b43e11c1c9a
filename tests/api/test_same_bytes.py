"""A small body byte for byte the last one is known unchanged by one comparison: no
line is looked at, no digest taken, no row read; a changed byte, a changed query or a
bigger body goes the usual way."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from rtdash.api import client as client_module
from tests.api.test_lines_unchanged import calls

# every way of cutting lines (rtdash.api.line_cut)
pytestmark = pytest.mark.usefixtures("each_cut")

if TYPE_CHECKING:
    from tests.api.conftest import MakeClient, Upstream


@pytest.fixture
def line_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The size of every body the line reader is handed."""
    seen: list[int] = []
    original = client_module.read_body

    def counting(reader: Any, body: Any) -> Any:
        seen.append(len(body))
        return original(reader, body)

    monkeypatch.setattr(client_module, "read_body", counting)
    return seen


async def test_the_same_small_body_again_is_not_looked_at(
    make_client: MakeClient, upstream: Upstream, reads: list[str], line_reads: list[int]
) -> None:
    client = make_client(upstream)
    upstream.body = calls(0)
    first = await client.active_calls()
    looked = len(line_reads)
    read = len(reads)
    for _ in range(3):
        again = await client.active_calls()
        assert again.unchanged and again.rows is first.rows
        assert again.unreadable == first.unreadable
    assert (len(line_reads), len(reads)) == (looked, read)

    upstream.body = calls(1)  # the durations ticked: read by its lines again
    moved = await client.active_calls()
    assert not moved.unchanged and len(line_reads) == looked + 1

    pii = await client.active_calls(exclude_pii=True)  # another query: not the same answer
    assert not pii.unchanged


async def test_a_body_past_the_kept_size_is_not_held(
    make_client: MakeClient, upstream: Upstream, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(client_module, "KEPT_BODY", 100)
    client = make_client(upstream)
    upstream.body = calls(0)
    await client.active_calls()
    assert client._last["pbxActiveCalls"].body is None
    again = await client.active_calls()  # still known unchanged, by its lines
    assert again.unchanged
