"""The log file: where, permissions, format, rotation, levels, and the redaction filter."""

from __future__ import annotations

import base64
import logging
import os
import re
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from rtdash import logs
from tests.support import a_password

PASSWORD = a_password()
API_KEY = a_password("key")
USER = "supervisor@example.com"
BASIC = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
STAMP = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} ")

log = logging.getLogger("rtdash.test")


@pytest.fixture(autouse=True)
def state_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    yield tmp_path / "state"
    logs.teardown_logging()
    logs.clear_secrets()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_path_is_the_platform_log_dir(state_home: Path) -> None:
    assert logs.log_path() == state_home / "rtdash" / "log" / "rtdash.log"
    assert logs.setup_logging("warning", to_stderr=False) == logs.log_path()


def test_created_0600_on_the_first_record_with_timestamps(state_home: Path) -> None:
    path = logs.setup_logging("warning", to_stderr=False)
    assert not path.exists()  # a quiet run never touches the disk
    log.warning("upstream slow: %d ms", 812)
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700
    (line,) = path.read_text().splitlines()
    assert STAMP.match(line)
    assert line.endswith(f"WARNING pid={os.getpid()} - rtdash.test: upstream slow: 812 ms")


def test_an_existing_loose_file_is_tightened(state_home: Path) -> None:
    path = logs.log_path()
    path.parent.mkdir(parents=True)
    path.write_text("old line\n")
    path.chmod(0o644)
    logs.setup_logging("warning", to_stderr=False)
    log.error("x")
    assert mode(path) == 0o600
    assert path.read_text().splitlines()[0] == "old line"


def test_level_filters_records() -> None:
    path = logs.setup_logging("warning", to_stderr=False)
    log.info("not this")
    log.warning("this")
    assert "not this" not in path.read_text()
    logs.setup_logging("info", to_stderr=False)
    log.info("now this")
    assert "now this" in path.read_text()


def test_stderr_only_when_asked(capsys: pytest.CaptureFixture[str]) -> None:
    logs.setup_logging("info", to_stderr=False)
    log.warning("file only")
    assert capsys.readouterr().err == ""
    logs.setup_logging("info", to_stderr=True)
    log.warning("both")
    assert capsys.readouterr().err == "rtdash: WARNING rtdash.test: both\n"
    assert "both" in logs.log_path().read_text()


def test_httpx_is_quiet_unless_debug() -> None:
    path = logs.setup_logging("info", to_stderr=False)
    logging.getLogger("httpx").info("HTTP Request: GET http://x/ 200")
    logging.getLogger("httpcore.http11").debug("send_request_headers.started")
    assert logging.getLogger("httpx").level == logging.WARNING
    assert not path.exists()
    logs.setup_logging("debug", to_stderr=False)
    logging.getLogger("httpx").info("HTTP Request: GET http://x/ 200")
    logging.getLogger("httpcore.http11").debug("send_request_headers.started")
    text = path.read_text()
    assert "HTTP Request: GET http://x/ 200" in text
    assert "send_request_headers.started" in text


def test_teardown_puts_everything_back() -> None:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    httpx_level = logging.getLogger("httpx").level
    logs.setup_logging("debug", to_stderr=True)
    assert len(root.handlers) == len(handlers) + 2
    logs.teardown_logging()
    assert (root.handlers, root.level) == (handlers, level)
    assert logging.getLogger("httpx").level == httpx_level


def test_rotation_keeps_three_private_files() -> None:
    path = logs.setup_logging("info", to_stderr=False)
    line = "x" * 1000
    for _ in range(4 * 1100):  # ~4.4 MB: more than four generations' worth
        log.info(line)
    generations = sorted(path.parent.iterdir())
    assert [p.name for p in generations] == [
        "rtdash.log",
        "rtdash.log.1",
        "rtdash.log.2",
        "rtdash.log.3",
    ]
    for generation in generations:
        assert mode(generation) == 0o600
        assert generation.stat().st_size <= logs.MAX_BYTES


def test_an_unwritable_log_dir_costs_the_file_not_the_run(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    monkeypatch.setenv("XDG_STATE_HOME", str(blocker))
    # as in a real run, where pytest's own capture handlers are not there: with no
    # handler at all, logging's last resort would print the record to stderr
    monkeypatch.setattr(logging.getLogger(), "handlers", [])
    logs.setup_logging("warning", to_stderr=False)
    log.error("nowhere to go")
    assert logs.file_error is not None
    assert logs.file_error.startswith(f"cannot write the log file {blocker}/rtdash/log/rtdash.log")
    assert capsys.readouterr().err == ""


# --- redaction ------------------------------------------------------------------------


def test_secrets_are_masked_in_message_args_and_tracebacks(
    capsys: pytest.CaptureFixture[str],
) -> None:
    logs.register_credentials(USER, PASSWORD, API_KEY)
    path = logs.setup_logging("debug", to_stderr=True)
    log.warning("login %s:%s", USER, PASSWORD)
    log.warning("headers {'Authorization': 'Basic %s'}", BASIC)
    log.warning(f"Authorization: ApiKey {API_KEY}")
    try:
        raise RuntimeError(f"bad key {API_KEY}")
    except RuntimeError:
        log.exception("failed with %s", PASSWORD)
    text = path.read_text()
    err = capsys.readouterr().err
    for output in (text, err):
        for secret in (PASSWORD, API_KEY, BASIC):
            assert secret not in output
    assert f"login {USER}:***" in text  # the username is not a secret
    assert "'Authorization': 'Basic ***'" in text
    assert "Authorization: ApiKey ***" in text
    assert "RuntimeError: bad key ***" in text
    assert "failed with ***" in text


def test_percent_encoded_secret_is_masked() -> None:
    drawn = a_password()
    secret = f"{drawn[:5]}@{drawn[5:10]} {drawn[10:]}"  # what a URL must escape
    logs.register_secret(secret)
    path = logs.setup_logging("warning", to_stderr=False)
    log.warning("query token=%s&x=1", quote(secret, safe=""))
    text = path.read_text()
    assert "token=***&x=1" in text and drawn[10:] not in text


def test_settings_secrets_are_registered() -> None:
    from rtdash.config import validate_settings

    settings = validate_settings(
        {"connection": {"username": USER, "password": PASSWORD, "api_key": API_KEY}}
    )
    logs.register_settings_secrets(settings)
    assert logs.redact(f"{PASSWORD} {API_KEY} {BASIC} {USER}") == f"*** *** *** {USER}"


def test_nothing_registered_leaves_records_alone() -> None:
    path = logs.setup_logging("warning", to_stderr=False)
    log.warning("plain %s", "text")
    assert path.read_text().endswith("plain text\n")


async def test_a_line_names_the_installation_its_task_polls(state_home: Path) -> None:
    """Several installations share a process and a file: each line says whose it is,
    and a task started by the one that bound it inherits the installation."""
    import asyncio

    path = logs.setup_logging("warning", to_stderr=False)

    async def poll(igrp: int) -> None:
        logs.bind_installation(igrp)
        await asyncio.sleep(0)
        await asyncio.create_task(child(igrp))

    async def child(igrp: int) -> None:
        log.warning("calls poll failed for %d", igrp)

    await asyncio.gather(poll(1234), poll(5678))
    log.warning("not about one installation")
    lines = path.read_text().splitlines()
    pid = f"pid={os.getpid()}"
    assert any(f"{pid} igrp=1234 rtdash.test: calls poll failed for 1234" in x for x in lines)
    assert any(f"{pid} igrp=5678 rtdash.test: calls poll failed for 5678" in x for x in lines)
    assert lines[-1].endswith(f"{pid} - rtdash.test: not about one installation")


def test_a_very_short_secret_is_masked_where_it_stands_alone_not_inside_words() -> None:
    """A one- or two-character password masked everywhere would turn every word of the
    log into asterisks; standing alone (a value, a query parameter) it is still masked."""
    short = secrets.token_hex(1)  # two characters, drawn for the run
    logs.register_credentials(USER, short)
    word = f"x{short}y"
    path = logs.setup_logging("warning", to_stderr=False)
    log.warning("login %s:%s from %s", USER, short, word)
    log.warning("query token=%s&x=1", short)
    text = path.read_text()
    assert f"login {USER}:*** from {word}" in text
    assert "query token=***&x=1" in text
