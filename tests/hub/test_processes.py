"""Two real ``rtdash hub`` processes: SIGSTOP the leader, the standby takes over, and
the old leader, resumed, cannot publish."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
import redis

from rtdash.sim import SimConfig, Simulator
from tests.hub.conftest import RedisServer


def _hub(config: Path, url: str, sim: Simulator) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "RTDASH_CONFIG": str(config),
        "RTDASH_HUB_URL": url,
        "RTDASH_USERNAME": sim.username,
        "RTDASH_PASSWORD": sim.password,
    }
    return subprocess.Popen(
        [sys.executable, "-m", "rtdash", "hub"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait(check, timeout: float) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return check()


@pytest.mark.slow
def test_sigstopped_leader_is_replaced_and_fenced_off(
    redis_up: RedisServer, prefix: str, tmp_path: Path
) -> None:
    sim = Simulator(SimConfig(seed=2, agents=8, load=6, start=datetime.now(UTC))).start()
    config = tmp_path / "config.toml"
    config.write_text(
        f'[connection]\nbase_url = "{sim.url}"\nigrp = {sim.igrp}\n'
        f'[polling]\ninterval = 1.0\n[hub]\nprefix = "{prefix}"\n'
    )
    db = redis.Redis.from_url(redis_up.url)
    base = f"{prefix}:{{{sim.igrp}}}"
    hubs = [_hub(config, redis_up.url, sim)]
    try:
        assert _wait(lambda: db.get(f"{base}:lease") is not None, 15)
        hubs.append(_hub(config, redis_up.url, sim))
        time.sleep(2.0)
        lease = db.get(f"{base}:lease").decode()
        old_holder = lease.split(":", 1)[1]
        hubs[0].send_signal(signal.SIGSTOP)
        stopped = time.monotonic()
        assert _wait(lambda: (db.get(f"{base}:lease") or b"").decode() not in ("", lease), 5)
        took = time.monotonic() - stopped
        assert took <= 2 * 1.0 + 0.5, took  # lease 1.25 intervals, tries 5 times an interval
        new_lease = db.get(f"{base}:lease").decode()
        assert int(new_lease.split(":")[0]) == int(lease.split(":")[0]) + 1
        sim.requests.reset()
        time.sleep(2.0)
        assert sim.stats()["requests"]["pbxActiveCalls"] >= 1  # type: ignore[index]
        resumed_at_ms = int(db.time()[0]) * 1000
        hubs[0].send_signal(signal.SIGCONT)
        time.sleep(2.5)
        entries = db.xrange(f"{base}:history", min=resumed_at_ms, max="+")
        holders = {fields[b"h"].decode().split(":", 1)[1] for _, fields in entries}
        assert holders == {new_lease.split(":", 1)[1]}, "the old leader published nothing"
        assert old_holder not in holders
        # two pollers would double the upstream load: still one poll per route per second
        sim.requests.reset()
        time.sleep(3.0)
        calls = sim.stats()["requests"]["pbxActiveCalls"]  # type: ignore[index]
        assert 2 <= calls <= 4, calls
    finally:
        for proc in hubs:
            proc.send_signal(signal.SIGCONT)
            proc.terminate()
        for proc in hubs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        sim.stop()
        db.close()
    assert all(proc.returncode == 0 for proc in hubs), [p.stderr.read() for p in hubs if p.stderr]


@pytest.mark.slow
def test_the_demo_hub_publishes_every_demo_installation(
    redis_up: RedisServer, prefix: str, tmp_path: Path
) -> None:
    """``rtdash hub --demo``: the demo's dashboard opens both installations as tabs, so
    its hub publishes both (a viewer of the second would wait for a poller forever)."""
    from rtdash.sim.simulator import DEFAULT_INSTALLATIONS

    config = tmp_path / "config.toml"
    config.write_text(f'[polling]\ninterval = 1.0\n[hub]\nprefix = "{prefix}"\n')
    env = {**os.environ, "RTDASH_CONFIG": str(config), "RTDASH_HUB_URL": redis_up.url}
    hub = subprocess.Popen(
        [sys.executable, "-m", "rtdash", "hub", "--demo"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    db = redis.Redis.from_url(redis_up.url)
    try:
        leases = [f"{prefix}:{{{one.igrp}}}:lease" for one in DEFAULT_INSTALLATIONS]
        assert len(leases) > 1
        assert _wait(lambda: all(db.get(lease) is not None for lease in leases), 20)
    finally:
        hub.terminate()
        _, err = hub.communicate(timeout=20)
    assert "Warning" not in err, err
