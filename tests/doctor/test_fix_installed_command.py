"""``rtdash doctor --fix`` through the installed command, as separate processes of
``python -m rtdash``: nothing but the written file carries the fix from one to the next."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from .stand_in import PASSWORD, USERNAME, StandIn
from .vocabularies import IGRP, USER_ORDER, VOCABULARIES


def test_the_flow_through_the_installed_command(stand_in: StandIn, tmp_path: Path) -> None:
    """doctor --fix, then users --json, as separate processes of ``python -m rtdash``:
    nothing but the written file carries the fix from one to the other."""
    vocabulary = VOCABULARIES[1]
    stand_in.calls, stand_in.users = vocabulary.calls(), vocabulary.users()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RTDASH_", "XDG_"))}
    env |= {
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "RTDASH_USERNAME": USERNAME,
        "RTDASH_PASSWORD": PASSWORD,
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
