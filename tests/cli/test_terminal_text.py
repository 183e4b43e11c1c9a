"""A terminal whose encoding cannot show the dashboard's marks is refused in one line
before the screen is taken over: under a Latin-1 locale every ▲ ‼ ● ◆ ○ and box line
reached the screen as a literal ``\\uXXXX`` and broke every line's width."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from rtdash.cli.common import UsageError
from rtdash.cli.terminal_text import MARKS, refuse_terminal_without_marks


def test_a_latin1_terminal_is_refused_with_what_to_set(tmp_path: Path) -> None:
    keyboard, terminal = pty.openpty()  # stdin a terminal: the dashboard would start
    env = {
        **os.environ,
        "PYTHONIOENCODING": "iso-8859-1",
        "XDG_CONFIG_HOME": str(tmp_path / "c"),
        "XDG_STATE_HOME": str(tmp_path / "s"),
    }
    env.pop("TEXTUAL_DRIVER", None)
    try:
        run = subprocess.run(
            [sys.executable, "-m", "rtdash", "--demo"],
            stdin=terminal,
            capture_output=True,
            env=env,
            timeout=60,
        )
    finally:
        os.close(keyboard)
        os.close(terminal)
    said = run.stderr.decode("iso-8859-1")
    assert run.returncode == 2, said
    assert said.count("\n") == 1, said
    assert "encoding (iso8859-1) cannot show the dashboard's marks" in said
    assert "LANG=en_GB.UTF-8" in said and "\\u" not in said


@pytest.mark.parametrize("encoding", ["utf-8", "UTF8", "utf-16"])
def test_a_unicode_terminal_is_let_through(encoding: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TEXTUAL_DRIVER", raising=False)
    monkeypatch.setattr(sys, "__stderr__", SimpleNamespace(encoding=encoding))
    refuse_terminal_without_marks()
    MARKS.encode(encoding)


def test_cp1252_is_refused_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TEXTUAL_DRIVER", raising=False)
    monkeypatch.setattr(sys, "__stderr__", SimpleNamespace(encoding="cp1252"))
    with pytest.raises(UsageError, match=r"\(cp1252\)"):
        refuse_terminal_without_marks()
