"""``rtdash serve --public-url``: textual-serve writes it in front of every address on
the page, so anything but ``http(s)://HOST[:PORT]`` is one line and exit 2 before
anything is served (as a bad ``--base-url`` is), and a good one reaches the server
without a trailing slash (else the page asks for ``//static/…``)."""

from __future__ import annotations

import pytest

from tests.support import a_password

from .conftest import RunCli


@pytest.fixture
def serve_calls(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, object]]:
    """Stand in for the server (which serves until stopped): what it was handed."""
    calls: list[dict[str, object]] = []

    def serve(words: list[str], **options: object) -> int:
        calls.append(options)
        return 0

    monkeypatch.setattr("rtdash.cli.serve.serve", serve)
    return calls


@pytest.mark.parametrize(
    ("given", "problem"),
    [
        ("ftp://x", "'ftp://x' is not an http(s) URL"),
        ("http://", "'http://' is not an http(s) URL"),
        ("notaurl", "'notaurl' is not an http(s) URL"),
        ("https://x:99999", "'https://x:99999' has no valid port (1 to 65535)"),
        ("https://x/wall", "'https://x/wall' is more than an address: give https://x only"),
        ("https://x?a=1", "'https://x?a=1' is more than an address: give https://x only"),
    ],
)
def test_a_public_url_the_page_cannot_load_from_is_one_line_and_exit_2(
    rtdash: RunCli, serve_calls: list[dict[str, object]], given: str, problem: str
) -> None:
    run = rtdash("serve", "--demo", "--public-url", given)
    assert run.code == 2
    assert run.err_lines == [f"rtdash serve: --public-url: {problem} (see `rtdash serve --help`)"]
    assert serve_calls == []


def test_credentials_in_the_public_url_are_refused_and_never_echoed(
    rtdash: RunCli, serve_calls: list[dict[str, object]]
) -> None:
    secret = a_password()
    run = rtdash("serve", "--demo", "--public-url", f"https://someone:{secret}@x")
    assert run.code == 2
    assert len(run.err_lines) == 1
    assert "must not hold credentials" in run.err
    assert secret not in run.err + run.out
    assert serve_calls == []


@pytest.mark.parametrize("given", ["https://wallboard.example/", "http://10.0.0.5:8080"])
def test_an_address_reaches_the_server_as_the_page_will_use_it(
    rtdash: RunCli, serve_calls: list[dict[str, object]], given: str
) -> None:
    run = rtdash("serve", "--demo", "--host", "0.0.0.0", "--public-url", given)
    assert run.code == 0, run.err
    assert [call["public_url"] for call in serve_calls] == [given.rstrip("/")]
