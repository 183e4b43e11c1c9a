"""Many screens, one poll, end to end: a real redis-server, ``rtdash sim``, ``rtdash hub``
processes and five ``rtdash --hub`` dashboards in real terminals (tmux, 80x24).

All five show the same live data; the simulator (``GET /_sim/stats``) sees one request
per route per interval however many screens watch; the leader killed, the standby
polls and the screens stay live without a restart; with no hub left they say so
(DISCONNECTED, no poller publishing), and a hub started again brings them back.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.hub.conftest import RedisServer
from tests.smoke.tmux_drive import Terminal, clean_env, rtdash_command

INTERVAL = 2.0
VIEWERS = 5
AS_OF = re.compile(r"data as of (\d\d:\d\d:\d\d)")
#: what ticks on its own between frames: times in state, "(3 s ago)"
TICKING = (re.compile(r"\b\d+:\d\d\b"), re.compile(r"\(\d+ s ago\)"))


def _require_tmux() -> None:
    if shutil.which("tmux") is None:
        if os.environ.get("RTDASH_E2E_REQUIRED") == "1":
            pytest.fail("tmux is missing (apt install tmux)")
        pytest.skip("tmux is not installed")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait(check: Callable[[], bool], what: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    if not check():
        raise AssertionError(f"timed out waiting for {what}")


class Sim:
    """``rtdash sim`` in its own process, read through its debug route."""

    def __init__(self, folder: Path) -> None:
        self.port = _free_port()
        self.log = folder / "sim.log"
        with self.log.open("w") as out:
            self.proc = subprocess.Popen(
                [*rtdash_command(), "sim", "--port", str(self.port)],
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        _wait(lambda: "listening on" in self.log.read_text(), "the simulator", 20)
        text = self.log.read_text()
        self.url = re.search(r"listening on (\S+)", text).group(1)  # type: ignore[union-attr]
        self.igrp = int(re.search(r"^\s+(\d+)\s", text, re.M).group(1))  # type: ignore[union-attr]
        # the login it drew and printed
        self.password = re.search(r"Basic user\s+\S+ / (\S+)", text).group(1)  # type: ignore[union-attr]

    def requests(self) -> dict[str, int]:
        """Requests per Real Time route for the watched installation, so far."""
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/_sim/stats") as reply:
            stats = json.load(reply)
        return dict(stats["requests_by_igrp"][str(self.igrp)])

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


class Hub:
    """One ``rtdash hub`` process; its stderr (a line per change of role) in a file."""

    def __init__(self, folder: Path, name: str, env: dict[str, str]) -> None:
        self.log = folder / f"hub-{name}.log"
        with self.log.open("w") as err:
            self.proc = subprocess.Popen(
                [*rtdash_command(), "hub"], env=env, stdout=subprocess.DEVNULL, stderr=err
            )

    @property
    def polling(self) -> bool:
        return ": polling (lease" in self.log.read_text()

    def kill(self) -> None:
        """As a crash or a pulled plug: no lease handed over."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def as_of(screen: str) -> str | None:
    found = AS_OF.search(screen)
    return found.group(1) if found else None


def comparable(screen: str) -> str:
    """The screen with what ticks between frames taken out: two screens showing the
    same frame are then equal."""
    for pattern in TICKING:
        screen = pattern.sub("#", screen)
    return screen


def later_than(stamp: str | None, moment: datetime) -> bool:
    """``HH:MM:SS`` (UTC, the viewers' zone here) is after ``moment`` (UTC)."""
    if stamp is None:
        return False
    hours, minutes, seconds = (int(part) for part in stamp.split(":"))
    shown = moment.replace(hour=hours, minute=minutes, second=seconds, microsecond=0)
    if shown - moment > timedelta(hours=12):  # just after midnight, shown just before
        shown -= timedelta(days=1)
    return shown > moment.replace(microsecond=0)


def live(screen: str) -> bool:
    return "hub · upstream live" in screen and "DISCONNECTED" not in screen


def the_same_frame(terms: list[Terminal], timeout: float = 20.0) -> list[str]:
    """Screens of every viewer that show one frame (live, the same rows and numbers,
    the same "data as of"): captures are taken one after another, so a frame arriving
    in between is waited out."""
    deadline = time.monotonic() + timeout
    screens: list[str] = []
    while time.monotonic() < deadline:
        screens = [term.screen() for term in terms]
        stamps = {as_of(screen) for screen in screens}
        if (
            all(live(screen) for screen in screens)
            and len(stamps) == 1
            and None not in stamps
            and len({comparable(screen) for screen in screens}) == 1
        ):
            return screens
        time.sleep(0.3)
    raise AssertionError("the viewers never showed one frame:\n" + "\n\n".join(screens))


def load_per_interval(sim: Sim, seconds: float) -> dict[str, float]:
    """Upstream requests per route per interval, measured over ``seconds``."""
    before, started = sim.requests(), time.monotonic()
    time.sleep(seconds)
    after, elapsed = sim.requests(), time.monotonic() - started
    intervals = elapsed / INTERVAL
    return {route: (after[route] - before[route]) / intervals for route in after}


@pytest.fixture
def stack() -> Iterator[ExitStack]:
    with ExitStack() as cleanup:
        yield cleanup


@pytest.mark.slow
def test_five_tmux_viewers_one_poll_and_a_standby_keeps_them_live(
    redis_up: RedisServer, prefix: str, tmp_path: Path, stack: ExitStack
) -> None:
    _require_tmux()
    sim = Sim(tmp_path)
    stack.callback(sim.stop)
    config = tmp_path / "config.toml"
    config.write_text(
        f'[connection]\nbase_url = "{sim.url}"\nigrp = {sim.igrp}\n'
        f'[polling]\ninterval = {INTERVAL}\n[hub]\nprefix = "{prefix}"\n'
    )
    hub_env = {
        **os.environ,
        "RTDASH_CONFIG": str(config),
        "RTDASH_HUB_URL": redis_up.url,
        "RTDASH_USERNAME": "demo",
        "RTDASH_PASSWORD": sim.password,
    }
    leader = Hub(tmp_path, "a", hub_env)
    stack.callback(leader.stop)
    _wait(lambda: leader.polling, "the first hub to poll", 20)
    standby = Hub(tmp_path, "b", hub_env)
    stack.callback(standby.stop)
    _wait(lambda: "standby (another hub polls)" in standby.log.read_text(), "the standby", 20)

    # five screens, no credentials of their own: everything they show comes from Redis
    viewer_env = {
        **clean_env(),
        "RTDASH_CONFIG": str(config),
        "RTDASH_HUB_URL": redis_up.url,
    }
    terms: list[Terminal] = []
    for _ in range(VIEWERS):
        term = Terminal([*rtdash_command(), "--hub"], 80, 24, viewer_env)
        stack.callback(term.close)
        terms.append(term)
    for term in terms:
        term.wait_for(lambda s: live(s) and "Bridged" in s, "a live hub screen", timeout=40)

    # the same live data on every screen, twice (so it moves), and one poll for all
    first = the_same_frame(terms)
    assert "Waiting" in first[0] and "Users" in first[0]
    load = load_per_interval(sim, 5 * INTERVAL)
    for route in ("pbxActiveCalls", "pbxUserStatus"):
        assert 0.7 <= load[route] <= 1.3, load  # five pollers would be about 5
    assert load["activeCall"] == 0
    second = the_same_frame(terms)
    assert as_of(second[0]) != as_of(first[0]), "the data moves on"

    # the leader dies: the standby polls, and the screens carry on without a restart
    leader.kill()
    killed = datetime.now(UTC)
    _wait(lambda: standby.polling, "the standby to take over", 6 * INTERVAL)
    for term in terms:
        term.wait_for(
            lambda s: live(s) and later_than(as_of(s), killed),
            "data polled by the standby",
            timeout=6 * INTERVAL,
        )
    the_same_frame(terms)
    load = load_per_interval(sim, 4 * INTERVAL)
    for route in ("pbxActiveCalls", "pbxUserStatus"):
        assert 0.6 <= load[route] <= 1.4, load

    # no hub left: every screen says so within three intervals (and slack for tmux)
    standby.kill()
    for term in terms:
        term.wait_for(
            lambda s: "DISCONNECTED" in s and "no poller publishing" in s,
            "the screens to say nobody publishes",
            timeout=3 * INTERVAL + 8,
        )
    # a hub started again: the same screens are live again
    again = Hub(tmp_path, "c", hub_env)
    stack.callback(again.stop)
    _wait(lambda: again.polling, "the new hub to poll", 20)
    for term in terms:
        term.wait_for(live, "the screens live again", timeout=20)
    the_same_frame(terms)

    for term in terms:
        term.keys("q")
    for term in terms:
        assert term.exit_status() == 0, term.screen()
