"""``rtdash serve``'s arguments: serve's own options are taken out, every other word
goes to the dashboard in each browser tab as typed."""

from __future__ import annotations

import pytest

from rtdash.cli import main
from rtdash.cli.parser import build_parser
from rtdash.cli.serve import dashboard_words

DASHBOARD_WORDS = [
    "--demo",
    "--igrp",
    "1234",
    "--igrp",
    "5678",
    "--base-url",
    "http://127.0.0.1:9/reports/v2",
    "--tz",
    "Europe/London",
    "--exclude-pii",
    "--interval",
    "3",
    "--wallboard",
    "--config",
    "/etc/rtdash.toml",
    "--log-level",
    "info",
]


def test_no_words_give_the_dashboard_no_words() -> None:
    assert dashboard_words(["serve"]) == []


@pytest.mark.parametrize(
    "serve_options",
    [
        ["--host", "0.0.0.0", "--port", "9000", "--public-url", "https://x"],
        ["--host=0.0.0.0", "--port=9000", "--public-url=https://x"],
    ],
)
def test_dashboard_words_pass_through_in_order_and_serve_options_do_not(
    serve_options: list[str],
) -> None:
    words = ["serve", *DASHBOARD_WORDS[:5], *serve_options, *DASHBOARD_WORDS[5:]]
    assert dashboard_words(words) == DASHBOARD_WORDS
    # the words mean the same to the dashboard's parser as what was typed
    assert build_parser().parse_args(dashboard_words(words)) == build_parser().parse_args(
        DASHBOARD_WORDS
    )


def test_options_before_the_subcommand_are_the_dashboards_too() -> None:
    assert dashboard_words(["--demo", "serve", "--port", "9000", "--wallboard"]) == [
        "--demo",
        "--wallboard",
    ]


def test_a_flag_serve_does_not_know_is_passed_on_as_typed() -> None:
    """A flag the dashboard gains later needs no change here to reach the browser."""
    words = ["serve", "--some-future-flag", "value", "--port", "1", "--other"]
    assert dashboard_words(words) == ["--some-future-flag", "value", "--other"]


def test_serving_with_nothing_to_show_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: object, capsys: pytest.CaptureFixture[str]
) -> None:
    """No credentials, no demo, no hub: the page would be a welcome screen anyone who
    walks up to the TV could act on."""
    for name in ("RTDASH_USERNAME", "RTDASH_PASSWORD", "RTDASH_API_KEY", "RTDASH_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert main(["serve", "--igrp", "1234"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("rtdash serve: nothing to serve")
