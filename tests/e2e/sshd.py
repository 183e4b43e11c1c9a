"""A real OpenSSH server on a loopback port, with keys made for it in a temporary folder.

Used by the SSH test and by ``bench/ssh_link.py``. The server runs in the foreground
(``sshd -D -e``) as the current user, accepts only the key it generated, and sets the
session environment from its own config (``SetEnv``), the way an account's environment
would hold rtdash's credentials on a real jump host — so no secret is on a command line.
"""

from __future__ import annotations

import getpass
import os
import shlex
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from tests.e2e.procs import REPO, free_port, start, stop, wait_port

SSHD = "/usr/sbin/sshd"
SSH = "/usr/bin/ssh"
SSH_KEYGEN = "/usr/bin/ssh-keygen"


def _keygen(path: Path) -> None:
    subprocess.run(
        [SSH_KEYGEN, "-q", "-t", "ed25519", "-N", "", "-C", "rtdash-test", "-f", str(path)],
        check=True,
        timeout=30,
    )


class Sshd:
    """``with Sshd(folder) as sshd: subprocess.run(sshd.ssh_command("true"))``"""

    def __init__(self, folder: Path, session_env: dict[str, str] | None = None) -> None:
        self.folder = folder
        self.port = free_port()
        self.user = getpass.getuser()
        self.key = folder / "id_ed25519"
        self.log = folder / "sshd.log"
        self.session_env = session_env or {}
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> Sshd:
        self.folder.mkdir(parents=True, exist_ok=True)
        host_key = self.folder / "host_ed25519"
        _keygen(host_key)
        _keygen(self.key)
        authorized = self.folder / "authorized_keys"
        authorized.write_bytes(self.key.with_suffix(".pub").read_bytes())
        authorized.chmod(0o600)
        lines = [
            "ListenAddress 127.0.0.1",
            f"Port {self.port}",
            f"HostKey {host_key}",
            f"AuthorizedKeysFile {authorized}",
            "PubkeyAuthentication yes",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "PermitRootLogin prohibit-password",
            f"AllowUsers {self.user}",
            f"PidFile {self.folder / 'sshd.pid'}",
            "StrictModes no",
            "UsePAM no",
            "PrintMotd no",
            "PrintLastLog no",
            "LogLevel VERBOSE",
        ]
        if self.session_env:
            pairs = " ".join(f'"{key}={value}"' for key, value in self.session_env.items())
            lines.append(f"SetEnv {pairs}")
        config = self.folder / "sshd_config"
        config.write_text("\n".join(lines) + "\n")
        config.chmod(0o600)
        if os.geteuid() == 0:
            # privilege separation needs it; a fresh container may not have it yet
            Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)
        check = subprocess.run(
            [SSHD, "-t", "-f", str(config)], capture_output=True, text=True, timeout=30
        )
        if check.returncode != 0:
            raise AssertionError(f"sshd refused its config: {check.stderr.strip()}")
        self.process = start([SSHD, "-D", "-e", "-f", str(config)], self.log)
        wait_port(self.port, 15, self.process)
        return self

    def ssh_command(
        self, remote: str, *, options: Sequence[str] = (), port: int | None = None
    ) -> list[str]:
        """``ssh -t`` to this server (or to ``port``, e.g. a relay in front of it),
        running ``remote`` (a shell command line)."""
        return [
            SSH,
            "-t",
            "-p",
            str(port or self.port),
            "-i",
            str(self.key),
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            "UserKnownHostsFile=/dev/null",
            "-o",
            "IdentitiesOnly=yes",
            "-o",
            "BatchMode=yes",
            "-o",
            "LogLevel=ERROR",
            *options,
            f"{self.user}@127.0.0.1",
            remote,
        ]

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process)
            self.process = None

    def __enter__(self) -> Sshd:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def remote_rtdash(args: Sequence[str], home: Path, env: dict[str, str] | None = None) -> str:
    """The remote command line: this checkout's rtdash, with this interpreter."""
    values = {
        "TERM": "xterm-256color",
        "HOME": str(home),
        "PYTHONPATH": str(REPO),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_STATE_HOME": str(home / ".state"),
        **(env or {}),
    }
    exports = [f"{key}={value}" for key, value in values.items()]
    command = ["env", "-u", "NO_COLOR", *exports, sys.executable, "-m", "rtdash", *args]
    return f"cd {shlex.quote(str(REPO))} && exec {shlex.join(command)}"


def processes_with_env(marker: str) -> list[int]:
    """Running processes whose environment holds ``marker`` (``NAME=value``)."""
    found = []
    needle = marker.encode()
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            environ = (proc / "environ").read_bytes().split(b"\0")
            state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if needle in environ and state not in ("Z", "X"):
            found.append(int(proc.name))
    return found


def wait_until(check: Callable[[], object], timeout: float, step: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(step)
    return bool(check())
