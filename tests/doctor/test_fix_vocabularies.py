"""``rtdash doctor --fix`` against services that name everything their own way (the
vocabularies of tests/doctor/vocabularies.py, served by the stand-in): the doctor's
suggestion, written verbatim by ``--fix`` into a config file it creates, makes ``rtdash
calls --json`` and ``rtdash users --json`` give the right states, dashboard users and
order, with no hand edit; a value the doctor cannot place is asked about and left out,
never guessed."""

from __future__ import annotations

import json
import stat
import tomllib
from pathlib import Path

import pytest

from tests.support import run_cli

from .stand_in import StandIn
from .vocabularies import CALL_ORDER, DAY, IGRP, USER_ORDER, USERS, VOCABULARIES, Vocabulary


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
    code, out, _ = run_cli(capsys, "doctor", *flags, "--json")
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
    code, out, _ = run_cli(capsys, "doctor", *flags, "--dry-run")
    assert not config_home.exists()
    assert f"--- /dev/null\n+++ {config_home}\n" in out
    assert "+[mapping]\n" in out

    # --fix writes it, then checks again
    code, out, err = run_cli(capsys, "doctor", *flags, "--fix")
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
    code, out, err = run_cli(capsys, "calls", *flags, "--json")
    assert code == 0, err
    calls = json.loads(out)
    assert [(c["callRef"], c["state"]) for c in calls] == CALL_ORDER
    assert calls[-1]["srcPhoneNumber"] == "+447700900001"
    assert calls[-1]["callStartDatetime"].startswith(f"{DAY}T08:50:00")

    code, out, err = run_cli(capsys, "users", *flags, "--json")
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
