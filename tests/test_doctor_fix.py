"""``rtdash doctor --fix`` against services that name everything their own way.

Each vocabulary below is an invented upstream: the same calls and users, with fields
renamed (snake_case, other words), states in other words (upper case, negations) and
the dashboard flag as ``Y``/``N`` and the like. A loopback stand-in serves them as NDJSON
in the documented wire format. The doctor's suggestion, written verbatim by ``--fix``
into a config file it creates, must make ``rtdash calls --json`` and ``rtdash users
--json`` give the right states, dashboard users and order, with no hand edit; a value
the doctor cannot place is asked about and left out, never guessed.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from rtdash import cli

IGRP = 4321
DAY = "2026-12-03"

#: the canonical rows: (ref, state, call start, state start, from, to, agent)
CALLS = [
    ("c-1", "bridged", "08:50:00", "08:52:00", "+447700900001", "+442035550001", "a.one"),
    ("c-2", "queueing", "08:57:00", "08:59:00", "+447700900002", "+442035550001", ""),
    ("c-3", "ringing", "09:00:00", "09:00:00", "+447700900003", "+442035550002", ""),
    ("c-4", "queueing", "08:56:00", "08:58:00", "+447700900004", "+442035550002", ""),
]
#: (id, login, name, extension, state, state start, on the dashboard)
USERS = [
    ("1", "a.one", "Ann One", "201", "available", "08:00:00", True),
    ("2", "b.two", "Bob Two", "202", "unavailable", "07:30:00", True),
    ("3", "c.three", "Cat Three", "203", "available", "08:30:00", False),
    ("4", "d.four", "Dan Four", "204", "unavailable", "07:45:00", True),
]
#: the order the dashboard shows: calls by state group, oldest state start first
CALL_ORDER = [("c-3", "ringing"), ("c-4", "queueing"), ("c-2", "queueing"), ("c-1", "bridged")]
#: dashboard users, longest in their state first
USER_ORDER = [("2", "unavailable"), ("4", "unavailable"), ("1", "available")]


@dataclass
class Vocabulary:
    name: str
    call_keys: dict[str, str]
    user_keys: dict[str, str]
    call_states: dict[str, str]
    user_states: dict[str, str | list[str]]
    flag: tuple[str, str]
    time: Callable[[str], str]
    #: values the doctor must ask about rather than map
    asked: list[str] = field(default_factory=list)
    #: user ids whose rows stay unreadable because their state was asked about
    unread: list[str] = field(default_factory=list)

    def calls(self) -> list[dict[str, str]]:
        rows = []
        for ref, state, start, since, src, dialled, agent in CALLS:
            logical = {
                "igrp": str(IGRP),
                "call_ref": ref,
                "state": self.call_states[state],
                "call_start": self.time(start),
                "state_start": self.time(since),
                "src_number": src,
                "dialled_number": dialled,
                "dgrp_name": "Sales line",
                "queue": "sales",
                "agent_ref": agent,
                "agent_name": agent.replace(".", " ").title() if agent else "",
                "ring_time": "4",
                "queue_duration": "12" if state != "ringing" else "0",
                "bridge_duration": "35" if state == "bridged" else "0",
                "call_duration": "61",
            }
            rows.append({self.call_keys.get(k, k): v for k, v in logical.items()})
        return rows

    def users(self) -> list[dict[str, str]]:
        rows = []
        for uid, login, name, ext, state, since, on_board in USERS:
            word = self.user_states[state]
            if isinstance(word, list):  # several words for one state: one per user
                word = word[int(uid) % len(word)]
            logical = {
                "igrp": str(IGRP),
                "user_id": uid,
                "operator_ref": login,
                "display_name": name,
                "extension": ext,
                "state": self.user_states.get(uid, word),  # type: ignore[arg-type]
                "state_start": self.time(since),
                "dashboard": self.flag[0] if on_board else self.flag[1],
            }
            rows.append({self.user_keys.get(k, k): v for k, v in logical.items()})
        rows.reverse()  # served out of order: the order is rtdash's to make
        return rows


VOCABULARIES = [
    Vocabulary(
        "snake_case names, READY/NOT_READY, Y/N, ISO times with Z",
        call_keys={
            "call_ref": "call_ref",
            "state": "call_state",
            "call_start": "call_start_datetime",
            "state_start": "state_start_datetime",
            "src_number": "src_phone_number",
            "dialled_number": "dialled_phone_number",
            "dgrp_name": "dgrp_name",
            "queue": "queue_ref",
            "agent_ref": "operator_ref",
            "agent_name": "display_name",
            "ring_time": "ring_time",
            "queue_duration": "queue_duration",
            "bridge_duration": "bridge_duration",
            "call_duration": "call_duration",
        },
        user_keys={
            "user_id": "sip_user_id",
            "operator_ref": "operator_ref",
            "display_name": "display_name",
            "extension": "extension_number",
            "state": "user_state",
            "state_start": "state_start_datetime",
            "dashboard": "on_wallboard",
        },
        call_states={"ringing": "RINGING", "queueing": "QUEUED", "bridged": "TALKING"},
        user_states={"available": "READY", "unavailable": "NOT_READY"},
        flag=("Y", "N"),
        time=lambda t: f"{DAY}T{t}Z",
    ),
    Vocabulary(
        "other words, Away/On Break/Idle, yes/no, offsets",
        call_keys={
            "call_ref": "reference",
            "state": "phase",
            "call_start": "started",
            "state_start": "status_since",
            "src_number": "from",
            "dialled_number": "to",
            "dgrp_name": "line",
            "queue": "skill",
            "agent_ref": "agent",
            "agent_name": "agent_full_name",
            "ring_time": "ring_secs",
            "queue_duration": "wait_time",
            "bridge_duration": "talk_time",
            "call_duration": "duration",
        },
        user_keys={
            "user_id": "uid",
            "operator_ref": "login",
            "display_name": "full_name",
            "extension": "ext",
            "state": "presence",
            "state_start": "status_since",
            "dashboard": "show_on_board",
        },
        call_states={"ringing": "Alerting", "queueing": "Waiting", "bridged": "Connected"},
        user_states={"available": "Idle", "unavailable": ["Away", "On Break"]},
        flag=("yes", "no"),
        time=lambda t: f"{DAY}T{t}+00:00",
    ),
    Vocabulary(
        "camelCase other words, UNAVAILABLE/NOT_AVAILABLE, on/off",
        call_keys={
            "call_ref": "callUuid",
            "state": "callStatus",
            "call_start": "createdAt",
            "state_start": "stateChangedAt",
            "src_number": "ani",
            "dialled_number": "dnis",
            "agent_ref": "agentId",
            "agent_name": "agentName",
        },
        user_keys={
            "user_id": "agentId",
            "display_name": "agentName",
            "extension": "extn",
            "state": "agentState",
            "state_start": "stateChangedAt",
            "dashboard": "onWallboard",
        },
        call_states={"ringing": "OFFERED", "queueing": "IN_QUEUE", "bridged": "IN_PROGRESS"},
        user_states={"available": "AVAILABLE", "unavailable": ["NOT_AVAILABLE", "BUSY"]},
        flag=("on", "off"),
        time=lambda t: f"{DAY} {t}",
    ),
    Vocabulary(
        "a state word it cannot place is asked, not guessed",
        call_keys={"state": "callPhase"},
        user_keys={"state": "agentStatus", "dashboard": "wallboard"},
        call_states={"ringing": "ring", "queueing": "queue", "bridged": "TALKING"},
        user_states={"available": "FREE", "unavailable": "PAUSED", "4": "LIMBO"},
        flag=("true", "false"),
        time=lambda t: f"{DAY} {t}",
        asked=["LIMBO"],
        unread=["4"],
    ),
]


class StandIn:
    """A loopback service answering the two Real Time routes with fixed NDJSON rows."""

    def __init__(self) -> None:
        self.calls: list[dict[str, str]] = []
        self.users: list[dict[str, str]] = []
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                path = self.path.split("?")[0]
                if path.endswith(f"/igrps/{IGRP}/pbxActiveCalls"):
                    rows = stand_in.calls
                elif path.endswith(f"/igrps/{IGRP}/pbxUserStatus"):
                    rows = stand_in.users
                elif path.endswith(f"/igrps/{IGRP}/activeCall"):
                    rows = [{"igrp": str(IGRP), "dgrp": "1", "txr": "9"}]
                else:
                    self.send_response(404)
                    self.end_headers()
                    self.wfile.write(b'"not found"')
                    return
                body = "".join(json.dumps(row) + "\n" for row in rows).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/reports/v2"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> StandIn:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


@pytest.fixture(scope="module")
def stand_in() -> Iterator[StandIn]:
    with StandIn() as server:
        yield server


@pytest.fixture
def config_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No config file yet: the platformdirs location under a fresh XDG_CONFIG_HOME."""
    for name in ("RTDASH_CONFIG", "RTDASH_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("RTDASH_USERNAME", "someone")
    monkeypatch.setenv("RTDASH_PASSWORD", "Stand-In-Pass-1")
    return tmp_path / "config" / "rtdash" / "config.toml"


def rtdash(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = cli.main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("vocabulary", VOCABULARIES, ids=lambda v: v.name)
def test_the_suggestion_applied_with_fix_reads_every_row(
    vocabulary: Vocabulary,
    stand_in: StandIn,
    config_home: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    stand_in.calls, stand_in.users = vocabulary.calls(), vocabulary.users()
    flags = ["--base-url", stand_in.url, "--igrp", str(IGRP)]

    # before: the default mapping cannot read the rows
    code, out, _ = rtdash(capsys, "doctor", *flags, "--json")
    report = json.loads(out)
    assert code == 1
    suggested = report["suggested_mapping"]
    for value in vocabulary.asked:
        assert any(repr(value) in question for question in report["questions"]), report
        assert value not in json.dumps(suggested)
    # every value placed is the state it stands for (never a value and its negation alike)
    for kind, words in (("call", vocabulary.call_states), ("user", vocabulary.user_states)):
        placed = placed_lower(suggested.get(f"{kind}_state_values", {}))
        for state, word in words.items():
            for one in word if isinstance(word, list) else [word]:
                assert placed.get(one.lower(), state) == state or state.isdigit()

    # --dry-run shows the change and writes nothing
    code, out, _ = rtdash(capsys, "doctor", *flags, "--dry-run")
    assert not config_home.exists()
    assert f"--- /dev/null\n+++ {config_home}\n" in out
    assert "+[mapping]\n" in out

    # --fix writes it, then checks again
    code, out, err = rtdash(capsys, "doctor", *flags, "--fix")
    assert err == ""
    assert f"to [mapping] in {config_home} (a new file)" in out
    unread = len(vocabulary.unread)
    on_board = sum(1 for user in USERS if user[6] and user[0] not in vocabulary.unread)
    assert (
        f"now readable: 4 of 4 calls, was 0; {4 - unread} of 4 users "
        f"({on_board} on the dashboard), was 0 (0 on the dashboard)"
    ) in out, out
    assert code == (1 if vocabulary.asked else 0), out
    assert stat.S_IMODE(config_home.stat().st_mode) == 0o600
    written = tomllib.loads(config_home.read_text())["mapping"]
    assert written == suggested  # verbatim

    # the data commands now read every row right
    code, out, err = rtdash(capsys, "calls", *flags, "--json")
    assert code == 0, err
    calls = json.loads(out)
    assert [(c["callRef"], c["state"]) for c in calls] == CALL_ORDER
    assert calls[-1]["srcPhoneNumber"] == "+447700900001"
    assert calls[-1]["callStartDatetime"].startswith(f"{DAY}T08:50:00")

    code, out, err = rtdash(capsys, "users", *flags, "--json")
    assert code == 0
    users = json.loads(out)
    expected = [(uid, state) for uid, state in USER_ORDER if uid not in vocabulary.unread]
    assert [(u["sipUserId"], u["state"]) for u in users] == expected
    assert all(u["dashboard"] for u in users)
    assert users[-1]["displayName"] == "Ann One"
    if unread:  # the row it was unsure of is skipped, not shown in a guessed state
        assert err.startswith(f"rtdash: warning: {unread} of 4 user rows unreadable")


def placed_lower(placed: dict[str, str]) -> dict[str, str]:
    return {key.lower(): value for key, value in placed.items()}


EXISTING = """\
# my rtdash settings
[connection]
igrp = 4321  # the main site

[mapping]
# the flag was renamed last year
user_state_values = { ON_LEAVE = "unavailable" }
"""


def test_fix_keeps_comments_and_hand_mapped_values_and_backs_up(
    stand_in: StandIn, config_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vocabulary = VOCABULARIES[0]
    stand_in.calls, stand_in.users = vocabulary.calls(), vocabulary.users()
    config_home.parent.mkdir(parents=True)
    config_home.write_text(EXISTING)
    config_home.chmod(0o644)
    flags = ["--base-url", stand_in.url]

    code, out, _ = rtdash(capsys, "doctor", *flags, "--dry-run")
    assert config_home.read_text() == EXISTING  # nothing written
    assert f"--- {config_home}\n+++ {config_home}\n" in out
    assert '+user_state = "user_state"\n' in out
    assert "-user_state_values" in out  # the table is extended in place

    code, out, _ = rtdash(capsys, "doctor", *flags, "--fix")
    assert code == 0, out
    backup = config_home.with_name("config.toml.bak")
    assert f"(the old file is kept as {backup})" in out
    assert backup.read_text() == EXISTING
    assert stat.S_IMODE(backup.stat().st_mode) == stat.S_IMODE(config_home.stat().st_mode) == 0o600
    text = config_home.read_text()
    for line in ("# my rtdash settings", "igrp = 4321  # the main site", "# the flag was renamed"):
        assert line in text
    mapping = tomllib.loads(text)["mapping"]
    assert mapping["user_state_values"] == {
        "ON_LEAVE": "unavailable",
        "READY": "available",
        "NOT_READY": "unavailable",
    }
    assert mapping["user_dashboard"] == "on_wallboard"

    # a second --fix finds nothing left to write and keeps the first backup
    code, out, _ = rtdash(capsys, "doctor", *flags, "--fix")
    assert code == 0
    assert f"nothing to write to {config_home}: no confident suggestion" in out
    assert not config_home.with_name("config.toml.bak.1").exists()


def test_fix_is_refused_with_the_demo(
    config_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = rtdash(capsys, "doctor", "--demo", "--fix")
    assert (code, out) == (2, "")
    assert err.startswith("rtdash doctor: --fix and --dry-run edit your config file")
    assert not config_home.exists()


def test_the_flow_through_the_installed_command(stand_in: StandIn, tmp_path: Path) -> None:
    """doctor --fix, then users --json, as separate processes of ``python -m rtdash``:
    nothing but the written file carries the fix from one to the other."""
    vocabulary = VOCABULARIES[1]
    stand_in.calls, stand_in.users = vocabulary.calls(), vocabulary.users()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RTDASH_", "XDG_"))}
    env |= {
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "RTDASH_USERNAME": "someone",
        "RTDASH_PASSWORD": "Stand-In-Pass-1",
    }
    flags = ["--base-url", stand_in.url, "--igrp", str(IGRP)]

    def rtdash_process(*argv: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "rtdash", *argv]
        return subprocess.run(command, capture_output=True, text=True, timeout=60, env=env)

    before = rtdash_process("users", *flags, "--json")
    assert before.returncode == 1
    assert "none of the 4 user rows could be read" in before.stderr

    fixed = rtdash_process("doctor", *flags, "--fix")
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert "now readable: 4 of 4 calls, was 0;" in fixed.stdout

    after = rtdash_process("users", *flags, "--json")
    assert after.returncode == 0, after.stderr
    assert [(u["sipUserId"], u["state"]) for u in json.loads(after.stdout)] == USER_ORDER
