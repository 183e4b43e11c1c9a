"""A real redis-server on a free loopback port, one per test session.

Each test uses its own key prefix, so tests share the server without seeing each
other. Without ``/usr/bin/redis-server`` the hub tests skip, unless
``RTDASH_E2E_REQUIRED=1`` (CI), where a missing server fails them.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import redis as redis_sync

from rtdash.sim import SimConfig, Simulator
from tests.support import a_password

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class RedisServer:
    """One redis-server process that a test may stop, restart (on the same port, with
    nothing kept, as a restart without persistence does) or pause."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = _free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        args = [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        args += ["--appendonly", "no", "--dir", str(self.folder), "--protected-mode", "yes"]
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
            self.proc = None

    def restart(self) -> None:
        self.stop()
        self.start()


def require_redis_server() -> None:
    """Skip a test that needs redis-server where it is not installed (fail, where the
    end-to-end tests are required)."""
    if not os.access(REDIS_SERVER, os.X_OK):
        if os.environ.get("RTDASH_E2E_REQUIRED") == "1":
            pytest.fail(f"{REDIS_SERVER} is missing (apt install redis-server)")
        pytest.skip("redis-server is not installed")


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    require_redis_server()
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def redis_up(redis_server: RedisServer) -> RedisServer:
    """The server, running (a test before may have stopped it)."""
    if redis_server.proc is None or redis_server.proc.poll() is not None:
        redis_server.start()
    return redis_server


@pytest.fixture
def locked(tmp_path: Path) -> Iterator[tuple[RedisServer, str]]:
    """A redis-server of this test's own that wants a password, and the password."""
    require_redis_server()
    server = RedisServer(tmp_path)
    server.start()
    password = a_password()
    db = redis_sync.Redis.from_url(server.url)
    db.config_set("requirepass", password)
    db.close()
    yield server, password
    server.stop()


@pytest.fixture
def prefix() -> str:
    return f"t-{uuid.uuid4().hex[:8]}"


#: a quick day's centre clock starts mid-morning on a day of its own, whatever the time
#: of day here: at 30 times real time a test's minute is its half hour, nowhere near
#: its midnight (which would reset the day's counts under the test); the hub's client
#: stays on our clock, so the day is counted across a large offset to it
QUICK_DAY_START = datetime(2026, 5, 1, 10, 0, tzinfo=UTC)


@pytest.fixture
def quick_day_sim() -> Iterator[Simulator]:
    """A simulator whose calls end within seconds of real time, so a test sees the
    day's outcomes counted."""
    config = SimConfig(seed=5, agents=10, load=12, speed=30, start=QUICK_DAY_START)
    sim = Simulator(config).start()
    yield sim
    sim.stop()
