"""Answers that are not data are errors that say what happened; credentials never
cross a network in clear or sit in a URL; connection errors keep the port and cause."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from rtdash.api import errors
from rtdash.api.client import Credentials, InfinityClient, insecure_reason
from rtdash.cli import main
from tests.hostile.upstream import IGRP, PASSWORD, USERNAME, Answer, Upstream
from tests.support import a_password

#: a session token a redirect carries (drawn per run: none is written in the tests)
TOKEN = a_password("token")


def client_for(base_url: str, **kwargs: object) -> InfinityClient:
    return InfinityClient(
        igrp=IGRP, credentials=Credentials(USERNAME, PASSWORD), base_url=base_url, **kwargs
    )


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (
            Answer(302, b"", {"Location": f"/login?token={TOKEN}"}),
            "redirected to /login (HTTP 302) — a proxy or session problem?",
        ),
        (
            Answer(307, b"", {"Location": "https://sso.example/auth?next=%1B]0;x"}),
            "redirected to sso.example/auth (HTTP 307) — a proxy or session problem?",
        ),
        (
            Answer(301, b""),
            "redirected to nowhere (no Location header) (HTTP 301) — a proxy or session problem?",
        ),
        (Answer(204, b""), "the service answered 204 No Content instead of data"),
        (
            Answer(
                200,
                b"<!DOCTYPE html><html><title>Sign in [/]</title>",
                {"Content-Type": "text/html"},
            ),
            'the service sent a web page ("Sign in [/]") instead of data — a proxy or login page?',
        ),
        (
            Answer(200, b"\n  <html><body>captive portal</body></html>"),
            "the service sent a web page instead of data — a proxy or login page?",
        ),
    ],
)
async def test_an_answer_that_is_not_data_is_an_error(
    upstream: Upstream, answer: Answer, message: str
) -> None:
    upstream.answers["pbxActiveCalls"] = answer
    async with client_for(upstream.base_url) as client:
        with pytest.raises(errors.NotData) as caught:
            await client.active_calls()
    assert str(caught.value) == message
    assert TOKEN not in str(caught.value)


def test_the_cli_says_a_redirect_is_not_no_calls(
    upstream: Upstream, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    upstream.answers["pbxActiveCalls"] = Answer(302, b"", {"Location": "/login"})
    for name, value in upstream.cli_env().items():
        monkeypatch.setenv(name, value)
    assert main(["calls", *upstream.flags()]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err == "rtdash: redirected to /login (HTTP 302) — a proxy or session problem?\n"


def test_basic_credentials_over_plain_http_to_another_host_are_refused() -> None:
    creds = Credentials(USERNAME, PASSWORD)
    assert insecure_reason("http://api.example/reports/v2", creds) == (
        "refusing to send credentials over plain http to api.example:80 (use https, or set "
        "allow_insecure_http = true in [connection] if the network is trusted)"
    )
    for fine in (
        "https://api.example/r",
        "http://127.0.0.1:8766/r",
        "http://localhost/r",
        "http://[::1]:9/r",
    ):
        assert insecure_reason(fine, creds) is None, fine
    assert insecure_reason("http://api.example/r", Credentials()) is None  # nothing to leak


async def test_the_client_makes_no_request_over_plain_http_unless_allowed(
    upstream: Upstream,
) -> None:
    # "localtest" resolves nowhere, so reaching the network at all would be another error
    async with client_for("http://api.example/reports/v2") as client:
        with pytest.raises(errors.InsecureTransport, match="refusing to send credentials"):
            await client.active_calls()
    async with client_for("http://api.example/reports/v2", allow_insecure_http=True) as client:
        with pytest.raises(errors.ConnectionFailed):
            await client.active_calls()


def run_cli(
    tmp_path: Path, *argv: str, config: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "config.toml"
    path.write_text(config, encoding="utf-8")
    path.chmod(0o600)
    full_env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
        **(env or {}),
    }
    return subprocess.run(
        [sys.executable, "-m", "rtdash", *argv, "--config", str(path)],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


def test_the_cli_refuses_plain_http_with_one_line_exit_2(tmp_path: Path) -> None:
    env = {"RTDASH_USERNAME": USERNAME, "RTDASH_PASSWORD": PASSWORD}
    run = run_cli(tmp_path, "calls", "--base-url", "http://api.example/r", "--igrp", "1", env=env)
    assert run.returncode == 2
    assert run.stderr.startswith(
        "rtdash: refusing to send credentials over plain http to api.example:80"
    )
    assert run.stderr.count("\n") == 1
    opted_in = run_cli(
        tmp_path,
        "calls",
        "--igrp",
        "1",
        env=env,
        config='[connection]\nbase_url = "http://api.invalid/r"\nallow_insecure_http = true\n',
    )
    assert opted_in.returncode == 1 and "refusing" not in opted_in.stderr


@pytest.mark.parametrize("where", ["flag", "config"])
def test_credentials_in_the_base_url_are_refused_and_never_echoed(
    tmp_path: Path, where: str
) -> None:
    word = a_password()  # made per run: no password is written in the tests
    url = f"https://alice:{word}@api.example/reports/v2"
    if where == "flag":
        # a user name alone: no password goes on a command line, even a test's
        url = "https://alice@api.example/reports/v2"
        run = run_cli(tmp_path, "calls", "--base-url", url, "--igrp", "1")
    else:
        run = run_cli(
            tmp_path, "calls", "--igrp", "1", config=f'[connection]\nbase_url = "{url}"\n'
        )
    assert run.returncode == 2
    assert "must not hold credentials (user:pass@)" in run.stderr
    assert word not in run.stderr + run.stdout and "alice" not in run.stderr
    assert run.stderr.count("\n") == 1


@pytest.mark.parametrize("cut", ["?", "#", "/"])
@pytest.mark.parametrize("where", ["base_url", "hub"])
def test_a_password_that_cuts_a_url_short_is_never_echoed_either(
    tmp_path: Path, cut: str, where: str
) -> None:
    """A "?", "#" or "/" in the password ends the URL's host part before the @: the base
    URL was then echoed whole as "not an http(s) URL", and `rtdash hub` died in a
    traceback of Redis's that quoted the password as a port."""
    word = a_password()
    if where == "base_url":
        url = f"https://alice:{word}{cut}x@api.example/reports/v2"
        config = f'[connection]\nigrp = 1\nbase_url = "{url}"\n'
        run = run_cli(tmp_path, "calls", config=config)
        said = "connection.base_url: must not hold credentials (user:pass@)"
    else:
        url = f"redis://alice:{word}{cut}x@127.0.0.1:6399/0"
        run = run_cli(
            tmp_path, "hub", config="[connection]\nigrp = 1\n", env={"RTDASH_HUB_URL": url}
        )
        said = "RTDASH_HUB_URL: is not a redis://, rediss:// or unix:// URL"
    assert run.returncode == 2, run.stderr
    assert said in run.stderr
    assert word not in run.stderr + run.stdout and "alice" not in run.stderr
    assert run.stderr.count("\n") == 1, run.stderr


@pytest.mark.parametrize(
    ("variable", "value", "said"),
    [
        ("RTDASH_API_KEY", "{word}\r\nX-Injected: 1", "holds a control character (a line break?)"),
        ("RTDASH_PASSWORD", "{word}\n", "holds a control character (a line break?)"),
        ("RTDASH_USERNAME", "alice:{word}", "must not hold a colon (:)"),
    ],
)
def test_a_credential_that_cannot_go_in_a_header_is_said_by_its_variable(
    tmp_path: Path, variable: str, value: str, said: str
) -> None:
    """It failed at the first request as "request to … failed (LocalProtocolError)"; a
    colon in a user name would move where the service reads the password from."""
    word = a_password()
    env = {"RTDASH_USERNAME": "alice", "RTDASH_PASSWORD": word, variable: value.format(word=word)}
    run = run_cli(tmp_path, "calls", "--igrp", "1", env=env)
    assert run.returncode == 2, run.stderr
    assert f"{variable}: {said}" in run.stderr
    assert word not in run.stderr + run.stdout and run.stderr.count("\n") == 1, run.stderr


@pytest.mark.parametrize("argv", [["hub"], ["--hub"]])
def test_a_hub_url_redis_cannot_read_is_said_before_anything_starts(
    tmp_path: Path, argv: list[str]
) -> None:
    """A viewer sat on "connecting…" for ever with a URL Redis's client refuses."""
    word = a_password()
    url = f"redis://alice:{word}@127.0.0.1:6399/0?socket_timeout=soon"
    run = run_cli(tmp_path, *argv, config="[connection]\nigrp = 1\n", env={"RTDASH_HUB_URL": url})
    assert run.returncode == 2, run.stderr
    assert "the hub's URL (RTDASH_HUB_URL or url under [hub]) cannot be read" in run.stderr
    assert word not in run.stderr + run.stdout and run.stderr.count("\n") == 1, run.stderr


async def test_connection_refused_keeps_the_port_and_cause() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    async with client_for(f"http://127.0.0.1:{port}/r") as client:
        with pytest.raises(errors.ConnectionFailed) as caught:
            await client.active_calls()
    assert str(caught.value) == f"cannot connect to 127.0.0.1:{port} (connection refused)"


async def test_plain_http_on_the_https_port_is_said_to_be_tls(upstream: Upstream) -> None:
    async with client_for(f"https://127.0.0.1:{upstream.port}/reports/v2") as client:
        with pytest.raises(errors.TlsFailed) as caught:
            await client.active_calls()
    assert str(caught.value) == (
        f"TLS to 127.0.0.1:{upstream.port} failed (wrong version number) — is it plain http "
        "on that port?"
    )


@pytest.fixture
def hangs_up() -> Iterator[int]:
    """A server that accepts a connection and closes it at once, as a plain http
    server may when a TLS handshake reaches it."""
    import threading

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)

    def serve() -> None:
        with contextlib.suppress(OSError):
            while True:
                connection, _ = listener.accept()
                connection.close()

    threading.Thread(target=serve, daemon=True).start()
    try:
        yield listener.getsockname()[1]
    finally:
        listener.close()


async def test_a_server_that_hangs_up_on_the_handshake_is_said_to_be_tls(hangs_up: int) -> None:
    """It raised no TLS error, only a bare reset, and the line read
    "cannot connect to 127.0.0.1:PORT (ConnectFailed)": a class's name, not a cause."""
    async with client_for(f"https://127.0.0.1:{hangs_up}/reports/v2") as client:
        with pytest.raises(errors.TlsFailed) as caught:
            await client.active_calls()
    assert str(caught.value) == (
        f"TLS to 127.0.0.1:{hangs_up} failed (the server hung up) — is it plain http on that port?"
    )


@pytest.fixture
def self_signed(tmp_path: Path) -> Iterator[int]:
    """A TLS server on loopback whose certificate nobody trusts."""
    import ssl
    import threading

    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()

    def accept() -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            try:
                context.wrap_socket(conn, server_side=True).close()
            except (ssl.SSLError, OSError):
                conn.close()

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield server.getsockname()[1]
    finally:
        server.close()


async def test_an_untrusted_certificate_is_said_to_be_tls(self_signed: int) -> None:
    async with client_for(f"https://127.0.0.1:{self_signed}/r") as client:
        with pytest.raises(errors.TlsFailed) as caught:
            await client.active_calls()
    assert str(caught.value) == (
        f"TLS to 127.0.0.1:{self_signed} failed: the certificate is not trusted "
        "(self-signed certificate)"
    )


def test_doctor_says_when_tls_is_the_problem(
    upstream: Upstream,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    for name, value in upstream.cli_env().items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    monkeypatch.setattr("rtdash.config.default_config_path", lambda: tmp_path / "absent.toml")
    url = f"https://127.0.0.1:{upstream.port}/reports/v2"
    assert main(["doctor", "--base-url", url, "--igrp", str(IGRP)]) == 1
    out = capsys.readouterr().out
    assert (
        f"TLS to 127.0.0.1:{upstream.port} failed (wrong version number) — is it plain http "
        "on that port?"
    ) in out


def test_a_bare_reset_is_said_in_words_not_by_its_class() -> None:
    from rtdash.api.http11 import ConnectFailed
    from rtdash.api.http_errors import cause_words

    for bare, words in [
        (ConnectionResetError(), "connection reset by the server"),
        (BrokenPipeError(), "connection closed by the server"),
    ]:
        try:
            raise ConnectFailed("") from bare
        except ConnectFailed as exc:
            assert cause_words(exc) == words
