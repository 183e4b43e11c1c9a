"""What the test tiers share, as plain functions: a simulator on loopback, settings
that point at it, and the app built on them with a clock frozen at the simulator's
time; the command line run in-process in an environment of its own. The fixtures over
these live in tests/conftest.py (and tests/cli/conftest.py, tests/doctor/conftest.py)."""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from rtdash.config import Settings
from rtdash.core.clock import FrozenClock
from rtdash.sim import SimConfig, Simulator
from rtdash.sim.faults import FaultPlan

#: the small centre most tests watch: frozen clock (it moves only when a test says so)
SIM_DEFAULTS: dict[str, Any] = {"seed": 7, "agents": 20, "load": 24, "realtime": False}


def a_password(kind: str = "pw") -> str:
    """A password (or key) drawn for one test run: none is written in the repo."""
    return f"{kind}-{secrets.token_urlsafe(12)}"


def config_lines(**values: str | int | bool) -> str:
    """``key = value`` lines of a config file a test writes (TOML: a string quoted, with
    its escapes; a number or a boolean bare). Credentials come in as values drawn for
    the run (:func:`a_password`, the simulator's), so no test spells one."""
    return "".join(f"{key} = {_toml_value(value)}\n" for key, value in values.items())


def _toml_value(value: str | int | bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value) if isinstance(value, str) else str(value)


def sim_config(**overrides: Any) -> SimConfig:
    """:data:`SIM_DEFAULTS` with ``overrides`` (e.g. ``start=``, ``load=``)."""
    return SimConfig(**{**SIM_DEFAULTS, **overrides})


@contextmanager
def loopback_sim(
    config: SimConfig | None = None, *, faults: FaultPlan | None = None
) -> Iterator[Simulator]:
    """A simulator serving on an ephemeral loopback port for the ``with`` block."""
    simulator = Simulator(config or sim_config())
    if faults is not None:
        simulator.faults = faults
    with simulator.start(port=0) as running:
        yield running


def settings_for(sim: Simulator, *, igrp: int | None = None, **connection: object) -> Settings:
    """Settings for ``sim``'s installation with its demo credentials; ``connection``
    overrides fields of ``settings.connection``."""
    settings = Settings()
    settings.connection.base_url = sim.url
    settings.connection.igrp = igrp or sim.igrp
    settings.connection.username = connection.pop("username", sim.username)  # type: ignore[assignment]
    settings.connection.password = connection.pop("password", sim.password)  # type: ignore[assignment]
    for key, value in connection.items():
        setattr(settings.connection, key, value)
    return settings


def make_app(
    sim: Simulator,
    settings: Settings | None = None,
    *,
    flash: bool = True,
    persist: bool = False,
    app_options: dict[str, Any] | None = None,
    **connection: object,
) -> Any:
    """The dashboard app on ``sim`` with a clock frozen at the simulator's time.

    ``flash=False`` for snapshots: a blinking tile would depend on when the frame is
    taken. ``persist`` off by default: a test's totals must not reach another's (or
    the next run's) through the shared state folder. ``app_options`` go to the app
    (e.g. ``http=`` for a scripted transport).
    """
    from rtdash.ui.app import RtdashApp  # imported here: the unit tier never loads Textual

    if settings is None:
        settings = settings_for(sim, **connection)
    if not flash:
        settings.display.flash = False
    settings.service.persist = persist
    return RtdashApp(settings, clock=FrozenClock(sim.now), **(app_options or {}))


# --- the command line, in-process -------------------------------------------------------

#: the variables rtdash reads a config file and credentials from
#: one call's and one user's line as the service sends them, for faults built in the exact
#: shape of a body (``httpx.MockTransport``)
CALL_ROW_LINE = (
    '{"igrp":"1234","callRef":"c-0001","callState":"queueing",'
    '"callStartDatetime":"2026-05-01 09:14:10","stateStartDatetime":"2026-05-01 09:14:20",'
    '"srcPhoneNumber":"+447700900123","dialledPhoneNumber":"+442035556780"}\n'
)
USER_ROW_LINE = (
    '{"igrp":"1234","sipUserId":"3","operatorRef":"a.user","displayName":"A User",'
    '"state":"available","stateStartDatetime":"2026-05-01 08:59:41","dashboard":"1"}\n'
)

CLI_ENV_NAMES = ("RTDASH_CONFIG", "RTDASH_USERNAME", "RTDASH_PASSWORD", "RTDASH_API_KEY")


@contextmanager
def today_sim(**config: Any) -> Iterator[Simulator]:
    """A frozen-clock simulator on loopback whose clock reads today, so times in state
    look as they would live; ``config`` as :class:`SimConfig` takes it."""
    with loopback_sim(SimConfig(seed=7, realtime=False, start=datetime.now(UTC), **config)) as sim:
        yield sim


def isolate_cli(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No rtdash variables, no config file (the default path is ``absent.toml`` in
    ``tmp_path``) and the log under ``tmp_path``: what a developer has in their shell or
    ``~/.config/rtdash`` never leaks into a result, and no test writes their log file."""
    for name in CLI_ENV_NAMES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("rtdash.config.default_config_path", lambda: tmp_path / "absent.toml")
    # the log file goes under XDG_STATE_HOME (platformdirs reads it on every call)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))


def point_cli_at(
    sim: Simulator, monkeypatch: pytest.MonkeyPatch, *, user: str = "", pw: str = ""
) -> list[str]:
    """``sim``'s demo credentials (or ``user`` / ``pw``) in the environment and its
    faults cleared; returns the flags that point the command line at it."""
    sim.faults.clear()
    monkeypatch.setenv("RTDASH_USERNAME", user or sim.username)
    monkeypatch.setenv("RTDASH_PASSWORD", pw or sim.password)
    return ["--base-url", sim.url, "--igrp", str(sim.igrp)]


class Run(NamedTuple):
    """What one in-process run of the command line gave: ``code, out, err = run``."""

    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)

    @property
    def err_lines(self) -> list[str]:
        return self.err.splitlines()


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> Run:
    """``cli.main(argv)``, with what it printed (and only that) captured."""
    from rtdash import cli

    capsys.readouterr()
    code = cli.main(list(argv))
    captured = capsys.readouterr()
    return Run(code, captured.out, captured.err)
