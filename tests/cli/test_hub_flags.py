"""``--hub`` and ``rtdash hub`` refuse what cannot work with one line, before the
terminal is taken over; the password in the hub's URL never reaches a log."""

from __future__ import annotations

import pytest

from rtdash import logs
from rtdash.api.credentials import Secret
from rtdash.config import Settings
from tests.cli.conftest import RunCli
from tests.support import a_password

NO_HUB = (
    "no hub: set RTDASH_HUB_URL (e.g. redis://127.0.0.1:6379/0) or url under [hub] in the "
    "config file"
)


@pytest.fixture(autouse=True)
def no_hub_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RTDASH_HUB_URL", raising=False)


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (("--hub",), f"rtdash: --hub: {NO_HUB}"),
        (("--hub", "--wallboard"), f"rtdash: --hub: {NO_HUB}"),
        (("serve", "--hub"), f"rtdash: --hub: {NO_HUB}"),
        (("hub",), f"rtdash hub: {NO_HUB}"),
        (("stats", "--hub", "--igrp", "1234"), f"rtdash stats: --hub: {NO_HUB}"),
    ],
)
def test_hub_mode_without_a_hub_url_is_one_line(
    rtdash: RunCli, argv: tuple[str, ...], expected: str
) -> None:
    run = rtdash(*argv)
    assert run.code == 2
    assert run.err_lines == [expected]


def test_hub_and_demo_together_are_refused(rtdash: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RTDASH_HUB_URL", "redis://127.0.0.1:1/0")
    run = rtdash("--hub", "--demo")
    assert run.code == 2
    assert run.err_lines == [
        "rtdash: --hub shows what `rtdash hub` publishes and --demo runs its own simulator: "
        "use one of them"
    ]


def test_the_password_in_the_hub_url_is_a_secret() -> None:
    word = a_password()  # made per run: no password is written in the tests
    settings = Settings()
    settings.hub.url = Secret(f"rediss://viewer:s%40{word}@redis.example:6380/0")
    try:
        logs.register_settings_secrets(settings)
        line = logs.redact(f"AUTH failed for s%40{word} (s@{word})")
    finally:
        logs.clear_secrets()
    assert word not in line
    assert line.count(logs.MASK) == 2


@pytest.mark.parametrize("argv", [("--hub",), ("--hub", "--wallboard"), ("serve", "--hub")])
def test_a_hub_viewer_without_an_installation_is_told_to_name_one(
    rtdash: RunCli,
    monkeypatch: pytest.MonkeyPatch,
    dashboard: list[tuple[Settings, bool]],
    served: list[list[str]],
    argv: tuple[str, ...],
) -> None:
    """Not the welcome screen, which would ask for credentials a viewer does not need
    (nor, served, a page of it per tab): the installation id is what is missing. No
    Redis is reached to say so."""
    monkeypatch.setenv("RTDASH_HUB_URL", "redis://127.0.0.1:6399/0")
    run = rtdash(*argv)
    assert (run.code, run.out) == (2, "")
    assert run.err_lines == [
        "rtdash: --hub: a hub viewer needs an installation: give --igrp ID, or igrp under "
        "[connection] in the config file"
    ]
    assert dashboard == [] and served == []


def test_a_hub_viewer_with_an_installation_opens(
    rtdash: RunCli, monkeypatch: pytest.MonkeyPatch, dashboard: list[tuple[Settings, bool]]
) -> None:
    monkeypatch.setenv("RTDASH_HUB_URL", "redis://127.0.0.1:6399/0")
    assert rtdash("--hub", "--igrp", "1234").code == 0
    ((settings, demo),) = dashboard
    assert settings.hub.view and settings.connection.igrp == 1234 and not demo
