"""What a supervisor's link needs: the bytes ``ssh`` carries for the dashboard, per minute.

Runs the dashboard at the medium load (one installation of 200 live calls and 100 users,
the simulator on loopback, the default 2 s poll) through a real sshd on loopback, with
the ssh client in a pseudo-terminal this script owns at 80×24 and at 160×48. Between the
client and sshd sits a counting TCP relay. After the first screen and a warm-up, it
counts for ``--seconds``:

* **terminal** — the bytes ssh writes to its terminal: the app's output as it crosses
  the link, decrypted (escape sequences and text);
* **link down / up** — the SSH stream itself (encrypted, with SSH's framing and MACs),
  server to client and client to server, as TCP payload; TCP/IP headers come on top
  (about 52 bytes a segment).

Each size runs plain and with ``ssh -C`` (compression). Needs sshd, ssh and ssh-keygen
(Debian: openssh-server, openssh-client). Run from the repository root:

    python -m bench.ssh_link                 # 60 s a row, ~6 minutes in all
    python -m bench.ssh_link --seconds 20    # quicker, rougher
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import select
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench.kept import rerun_command, write_section
from rtdash.sim import SimConfig, Simulator

# the test suite's sshd helper: keys in a temporary folder, loopback only
from tests.e2e.sshd import SSHD, Sshd, remote_rtdash

SIZES = ((80, 24), (160, 48))
SECTION = "ssh"
READY = b"data as of"


class Relay:
    """A TCP relay from a loopback port to ``target``, counting bytes each way."""

    def __init__(self, target: int) -> None:
        self.target = target
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.down = 0  # server -> client
        self.up = 0  # client -> server
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True, name="relay").start()

    def counts(self) -> tuple[int, int]:
        with self._lock:
            return self.down, self.up

    def _accept(self) -> None:
        client, _ = self.listener.accept()
        server = socket.create_connection(("127.0.0.1", self.target))
        for sock in (client, server):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        threading.Thread(target=self._pump, args=(client, server, "up"), daemon=True).start()
        threading.Thread(target=self._pump, args=(server, client, "down"), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket, way: str) -> None:
        try:
            while data := source.recv(65536):
                with self._lock:
                    setattr(self, way, getattr(self, way) + len(data))
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self.listener.close()


class PtyReader:
    """Drains a pty master, counting bytes, and notes when ``READY`` first appears."""

    def __init__(self, master: int) -> None:
        self.master = master
        self.total = 0
        self.ready_at: float | None = None
        self.first_screen = 0  # bytes until READY was seen
        self._tail = b""
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="pty")
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            ready, _, _ = select.select([self.master], [], [], 0.2)
            if not ready:
                continue
            try:
                data = os.read(self.master, 65536)
            except OSError:
                return  # the slave side closed: ssh ended
            if not data:
                return
            self.total += len(data)
            if self.ready_at is None:
                self._tail = (self._tail + data)[-4096:]
                if READY in self._tail:
                    self.ready_at = time.monotonic()
                    self.first_screen = self.total

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)


@dataclass
class Row:
    width: int
    height: int
    compression: bool
    seconds: float
    first_screen: int  # terminal bytes until the first screen with data was complete
    terminal: int
    down: int
    up: int

    def per_minute(self, count: int) -> float:
        return count * 60 / self.seconds

    def kbit(self, count: int) -> float:
        return count * 8 / self.seconds / 1000


def _controlling_tty() -> None:
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def measure(
    sshd: Sshd,
    sim: Simulator,
    home: Path,
    size: tuple[int, int],
    *,
    compression: bool,
    seconds: float,
    warmup: float,
    interval: float,
) -> Row:
    width, height = size
    relay = Relay(sshd.port)
    remote = remote_rtdash(
        ["--base-url", sim.url, "--igrp", str(sim.igrp), "--interval", str(interval)], home
    )
    options = ["-C"] if compression else ["-o", "Compression=no"]
    command = sshd.ssh_command(remote, options=options, port=relay.port)
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", height, width, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color"}
    process = subprocess.Popen(
        command,
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        start_new_session=True,
        preexec_fn=_controlling_tty,
    )
    os.close(slave)
    reader = PtyReader(master)
    try:
        deadline = time.monotonic() + 60
        while reader.ready_at is None:
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError(f"no dashboard through ssh at {width}x{height}")
            time.sleep(0.1)
        time.sleep(warmup)
        tty0, (down0, up0) = reader.total, relay.counts()
        first_screen = reader.first_screen
        started = time.monotonic()
        time.sleep(seconds)
        elapsed = time.monotonic() - started
        tty1, (down1, up1) = reader.total, relay.counts()
        os.write(master, b"q")  # quit: the session ends with the app
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=15)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        reader.stop()
        os.close(master)
        relay.close()
    return Row(
        width, height, compression, elapsed, first_screen, tty1 - tty0, down1 - down0, up1 - up0
    )


def table(rows: list[Row]) -> str:
    head = (
        "| size | ssh | terminal bytes/min | terminal kbit/s | link down bytes/min "
        "| link down kbit/s | link up bytes/min | first screen (terminal bytes) |"
    )
    lines = [head, "|" + " --- |" * 8]
    for row in rows:
        lines.append(
            f"| {row.width}×{row.height} | {'-C' if row.compression else 'plain'} "
            f"| {row.per_minute(row.terminal):,.0f} | {row.kbit(row.terminal):.1f} "
            f"| {row.per_minute(row.down):,.0f} | {row.kbit(row.down):.1f} "
            f"| {row.per_minute(row.up):,.0f} | {row.first_screen:,} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ssh_link", description=__doc__)
    parser.add_argument("--seconds", type=float, default=60.0, help="counted (default 60)")
    parser.add_argument("--warmup", type=float, default=10.0, help="after the first screen")
    parser.add_argument("--interval", type=float, default=2.0, help="poll interval (default 2)")
    parser.add_argument("--no-compression-rows", action="store_true", help="plain ssh only")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    if not os.access(SSHD, os.X_OK):
        print(f"{SSHD} not found: apt-get install openssh-server openssh-client")
        return 1
    load_before = os.getloadavg()[0]
    config = SimConfig(seed=7, agents=100, load=200, start=datetime.now(UTC))
    rows = []
    with tempfile.TemporaryDirectory(prefix="rtdash-ssh-link-") as folder:
        base = Path(folder)
        with Simulator(config).start(port=0) as sim:
            # the session's environment holds the credentials, as an account's would
            env = {"RTDASH_USERNAME": sim.username, "RTDASH_PASSWORD": sim.password}
            with Sshd(base / "sshd", session_env=env) as sshd:
                modes = (False,) if args.no_compression_rows else (False, True)
                for size in SIZES:
                    for compression in modes:
                        row = measure(
                            sshd,
                            sim,
                            base / "home",
                            size,
                            compression=compression,
                            seconds=args.seconds,
                            warmup=args.warmup,
                            interval=args.interval,
                        )
                        rows.append(row)
                        print(
                            f"{size[0]}x{size[1]} {'-C' if compression else 'plain'}: done",
                            file=sys.stderr,
                            flush=True,
                        )
    command = rerun_command(parser, args, ("seconds", "warmup", "interval"))
    lines = [
        f"## The SSH link (`{command}`)",
        "",
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {os.cpu_count()} CPUs shared "
        f"with other work (load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} "
        "after). The dashboard at the medium load (200 calls, 100 users, the simulator "
        f"churning in real time), polling every {args.interval:g} s, through a real sshd on "
        f"loopback; {args.seconds:g} s counted after the first screen and a "
        f"{args.warmup:g} s warm-up. *Link down*: the SSH stream server → client as TCP "
        "payload (encrypted); *terminal*: what ssh writes to its terminal.",
        "",
        table(rows),
    ]
    print("\n".join(lines))
    if not args.no_write:
        write_section(SECTION, lines)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
