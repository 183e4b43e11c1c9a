"""The bytes a real terminal receives hold no control sequence from the data: the
dashboard and the wallboard in tmux, against the hostile stand-in upstream, with the
pane's raw output piped to a file (``tmux pipe-pane``)."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.hostile.upstream import MARKUP_QUEUE, RAW_SEQUENCES, Upstream
from tests.smoke.tmux_drive import EXITED, Terminal, _new_session, clean_env, rtdash_command, tmux

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


class PipedTerminal(Terminal):
    """A tmux terminal whose raw output, escape sequences and all, goes to ``raw``."""

    def __init__(self, command: list[str], env: dict[str, str], raw: Path) -> None:
        self.name = f"rtdash-{uuid.uuid4().hex[:8]}"
        _new_session(self.name, 120, 36)
        subprocess.run(tmux("set-option", "-t", self.name, "remain-on-exit", "on"), check=True)
        subprocess.run(
            tmux("pipe-pane", "-t", self.name, "-o", f"cat >> {shlex.quote(str(raw))}"),
            check=True,
        )
        exports = " ".join(f"{key}={shlex.quote(value)}" for key, value in env.items())
        self.keys(f"env {exports} {shlex.join(command)}; echo [exited $?]", "Enter")


@pytest.fixture
def run_in_tmux(upstream: Upstream, tmp_path: Path) -> Iterator[tuple[PipedTerminal, Path]]:
    raw = tmp_path / "pane.raw"
    raw.touch()
    terminals: list[PipedTerminal] = []

    def start(*flags: str) -> tuple[PipedTerminal, Path]:
        env = {**clean_env(), **upstream.cli_env(), "XDG_CONFIG_HOME": str(tmp_path / "cfg")}
        terminal = PipedTerminal([*rtdash_command(), *upstream.flags(), *flags], env, raw)
        terminals.append(terminal)
        return terminal, raw

    yield start  # type: ignore[misc]
    for terminal in terminals:
        terminal.close()


def assert_no_raw_sequences(raw: Path) -> None:
    data = raw.read_bytes().decode("utf-8", errors="replace")
    for sequence in RAW_SEQUENCES:
        assert sequence not in data, f"{sequence!r} reached the terminal"
    assert "Eve␛" in data  # the payload was drawn, as text after a visible ␛


@pytest.mark.parametrize("flags", [[], ["--wallboard"]], ids=["dashboard", "wallboard"])
def test_the_terminal_gets_no_control_sequence_from_data(run_in_tmux, flags: list[str]) -> None:  # type: ignore[no-untyped-def]
    terminal, raw = run_in_tmux(*flags)
    if flags:
        # the queue named like markup is shown as it is, and did not end the app
        screen = terminal.wait_for(lambda s: MARKUP_QUEUE[:6] in s, "the queue named [/]Q[/bold]")
    else:
        screen = terminal.wait_for(lambda s: "Eve␛]52" in s, "the hostile agent name")
    assert EXITED.search(screen) is None
    if not flags:
        assert "Support [out" in screen  # bracketed text is text, not a markup tag
    time.sleep(1.5)  # a few more polls and ticks
    terminal.keys("q")
    assert terminal.exit_status() == 0
    assert_no_raw_sequences(raw)
