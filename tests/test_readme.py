"""Every command the README shows works exactly as written, and its configuration
section names every section and key the settings models have.

Each shell line of the README's ``sh`` blocks is run by ``bash`` in a home directory of
its own with no credentials, against the installed ``rtdash``: a
scriptable command must exit 0; a dashboard (``rtdash --demo …``, ``rtdash replay …``)
runs in a real terminal (tmux) for a few seconds and must quit with 0 on ``q``; a
server (``rtdash sim``, ``rtdash serve``) must still be serving after a few seconds and
stop cleanly. A line that cannot run here is in :data:`SKIP`, with the reason. A line
that reads what another line writes (``replay`` plays what ``--record`` wrote) runs that
line first, in its own home (:data:`NEEDS`): each test passes or fails alone, in any
order and on any worker.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from rtdash.config_example import section_keys
from tests.smoke.tmux_drive import Terminal

README = Path(__file__).resolve().parents[1] / "README.md"

#: README lines that are not run here: (a pattern the line matches, why not)
SKIP: tuple[tuple[str, str], ...] = (
    # installs into a new virtual environment: the tests run the installed rtdash
    (r"pip install", "installs the package (and then runs the whole test suite)"),
    # a real jump host and its credentials
    (r"^ssh ", "needs a jump host"),
    # six minutes and a real sshd: run by tests/e2e/test_ssh.py in its short form
    (r"^python -m bench\.ssh_link", "a six-minute measurement through sshd"),
    # a real installation: with no credentials every tab would show the welcome screen
    (r"^rtdash serve .*--igrp 1234", "needs your installation's credentials"),
    # checks the user's own set-up: with no credentials it rightly exits 2
    (r"^rtdash doctor\s*(#|$)", "checks your own config and credentials"),
    (r"^rtdash doctor --fix", "writes your own config from your own service's rows"),
    (r"^rtdash (doctor|users) --igrp 1234", "needs your installation's credentials"),
    # installs a system package (root)
    (r"apt install", "installs a system package"),
    # a Redis server and a hub: run by tests/hub/test_tmux_viewers.py (and stats by
    # tests/hub/test_stats_hub.py) with a real one
    (
        r"^rtdash (hub|--hub|serve --hub|stats --hub)",
        "needs a Redis server (tests/hub runs a real one)",
    ),
    # the test suite's own tiers: this file is part of them
    (r"^pytest -m", "runs the test suite itself"),
    # exits 1 until a dashboard has watched today (tests/cli/test_stats_command.py)
    (r"^rtdash stats", "needs today's totals saved by a running dashboard"),
)

#: README lines that read a file another line writes: (a pattern the reader matches, a
#: pattern the line that writes it matches); the writer runs first in the reader's home
NEEDS: tuple[tuple[str, str], ...] = ((r"^rtdash replay ", r"^rtdash .*--record "),)

#: subcommands that run until stopped
SERVERS = ("sim", "serve")
#: how long a dashboard or a server must keep running before it is stopped
RUN_SECONDS = 4.0


def shell_lines(text: str) -> list[str]:
    """Each command line of the ``sh`` code blocks, in order (comments kept: bash
    ignores them)."""
    lines: list[str] = []
    for block in re.findall(r"^```(?:sh|bash|shell)\n(.*?)^```", text, re.M | re.S):
        lines += [line.strip() for line in block.splitlines() if line.strip()]
    return [line for line in lines if not line.startswith("#")]


def skip_reason(line: str) -> str | None:
    return next((why for pattern, why in SKIP if re.search(pattern, line)), None)


LINES = shell_lines(README.read_text(encoding="utf-8"))


def _kind(line: str) -> str:
    words = line.split("#")[0].split()
    if not words or words[0] != "rtdash":
        return "command"
    subcommand = next((w for w in words[1:] if not w.startswith("-") and "/" not in w), None)
    if subcommand in SERVERS:
        return "server"
    if subcommand is None or subcommand == "replay":
        return "dashboard" if "--help" not in words and "--version" not in words else "command"
    return "command"


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A home for one line (and the lines it needs): a home shared by every line made
    ``replay`` depend on ``--record`` having run before it on the same worker."""
    return tmp_path


def writers_for(line: str) -> list[str]:
    """The README lines that write what ``line`` reads, in README order."""
    wanted = [writer for reader, writer in NEEDS if re.search(reader, line)]
    return [other for other in LINES if any(re.search(writer, other) for writer in wanted)]


def _env(home: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("RTDASH_", "XDG_")) and key != "NO_COLOR"
    }
    bin_dir = str(Path(sys.executable).parent)
    env.update(HOME=str(home), PATH=f"{bin_dir}:{env.get('PATH', '')}", TERM="xterm-256color")
    return env


def test_the_readme_has_commands_to_run() -> None:
    assert len(LINES) >= 12
    assert any(_kind(line) == "dashboard" for line in LINES)
    assert any(_kind(line) == "server" for line in LINES)


def test_every_skip_is_still_in_the_readme() -> None:
    """A skip whose line is gone would hide nothing; keep the list honest."""
    for pattern, _ in SKIP:
        assert any(re.search(pattern, line) for line in LINES), pattern


def test_every_line_a_line_needs_is_in_the_readme() -> None:
    """A reader whose writer is gone from the README would fail for a reason not its own."""
    for reader, writer in NEEDS:
        readers = [line for line in LINES if re.search(reader, line)]
        assert readers, reader
        assert all(writers_for(line) for line in readers), writer


@pytest.mark.parametrize("line", LINES)
def test_readme_line_works_as_written(line: str, home: Path) -> None:
    why = skip_reason(line)
    if why:
        pytest.skip(why)
    for writer in writers_for(line):
        _run_line(writer, home)
    _run_line(line, home)


def _run_line(line: str, home: Path) -> None:
    kind = _kind(line)
    if kind == "dashboard":
        _run_dashboard(line, home)
    elif kind == "server":
        _run_server(line, home)
    else:
        done = subprocess.run(
            ["bash", "-c", line],
            cwd=home,
            env=_env(home),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, f"{line!r} exited {done.returncode}: {done.stderr}"


def test_the_readme_quotes_what_a_lookup_says_when_it_exits_1(home: Path) -> None:
    """The README's meaning of the lookup's exit 1 is the command's own words: a
    lookup asks the service about the last 24 hours of calls, ended ones too, and a
    README saying "no live call has it" sent people looking at the wrong calls."""
    line = next(line for line in LINES if line.startswith("rtdash lookup") and "exit 1" in line)
    quoted = re.search(r'exit 1: "([^"]+)"', line)
    assert quoted, f"the README does not quote the exit 1 message: {line!r}"
    done = subprocess.run(
        ["bash", "-c", "rtdash lookup --demo 07700 900999"],  # a number no call has
        cwd=home,
        env=_env(home),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    pattern = ".*".join(re.escape(part.strip()) for part in quoted.group(1).split("…"))
    assert re.search(pattern, done.stderr), f"{quoted.group(1)!r} is not {done.stderr!r}"


#: the variables that could carry credentials or a config file into a README command
BLANKED = ("RTDASH_USERNAME", "RTDASH_PASSWORD", "RTDASH_API_KEY", "RTDASH_CONFIG")


def _run_dashboard(line: str, home: Path) -> None:
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed")
    env = {k: v for k, v in _env(home).items() if k in ("HOME", "PATH", "TERM", "LANG")}
    # the tmux server's own environment may hold credentials: blank them
    env.update(dict.fromkeys(BLANKED, ""))
    term = Terminal(["bash", "-c", f"cd {home} && {line}"], 80, 24, env)
    try:
        term.wait_for(lambda s: len(s.split()) > 20, f"{line!r} to draw", timeout=30)
        time.sleep(RUN_SECONDS)
        assert "[exited" not in term.screen(), term.screen()
        term.keys("q")
        assert term.exit_status(timeout=15) == 0, term.screen()
    finally:
        term.close()


def _run_server(line: str, home: Path) -> None:
    port = re.search(r"--port\s+(\d+)", line)
    wanted = int(port.group(1)) if port else 8000
    if not _free(wanted):
        pytest.skip(f"port {wanted} is taken on this machine")
    process = subprocess.Popen(
        ["bash", "-c", f"exec {line.split('#')[0]}"],
        cwd=home,
        env=_env(home),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        while _free(wanted) and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(RUN_SECONDS)
        assert process.poll() is None, f"{line!r} stopped: {process.communicate()[1]}"
        assert not _free(wanted), f"{line!r} does not listen on {wanted}"
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
        _, err = process.communicate(timeout=15)
    assert process.returncode in (0, -signal.SIGTERM), err


def _free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


# --- the configuration section --------------------------------------------------------


def _configuration_section() -> str:
    text = README.read_text(encoding="utf-8")
    return text.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]


def _sections_and_keys() -> Iterator[tuple[str, str]]:
    from rtdash.config import ProfileSettings

    for section, keys in section_keys().items():
        yield section, ""
        for key in keys:
            yield section, key
    for key in ProfileSettings.__struct_fields__:
        yield "profiles", key


@pytest.mark.parametrize(("section", "key"), list(_sections_and_keys()))
def test_the_configuration_section_names_every_key(section: str, key: str) -> None:
    text = _configuration_section()
    assert re.search(rf"`\[{section}[\].]", text), f"[{section}] is not in the README"
    if key:
        assert f"`{key}`" in text or f"`{key} =" in text, f"{section}.{key} is not in the README"
