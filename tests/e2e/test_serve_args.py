"""``rtdash serve``'s arguments: the serve options, and dashboard options passed through.

Checked against the dashboard's own parser (:func:`rtdash.cli.parser.build_parser`), so a
flag added to the dashboard later is either passed through or refused loudly.
"""

from __future__ import annotations

import argparse

import pytest

from rtdash.cli.parser import build_parser
from rtdash.serve import DEFAULT_HOST, DEFAULT_PORT, add_serve_arguments, dashboard_argv

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


def serve_options() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(argument_default=argparse.SUPPRESS)
    add_serve_arguments(parser)
    return parser


def test_serve_options_default_to_loopback_port_8000() -> None:
    args = serve_options().parse_args([])
    assert (args.host, args.port, args.public_url) == (DEFAULT_HOST, DEFAULT_PORT, None)
    assert dashboard_argv(args, [serve_options()]) == []


def test_dashboard_options_pass_through_and_serve_options_do_not() -> None:
    dashboard = build_parser()
    args = dashboard.parse_args(DASHBOARD_WORDS)
    serve_options().parse_args(
        ["--host", "0.0.0.0", "--port", "9000", "--public-url", "https://x"], namespace=args
    )
    words = dashboard_argv(args, [dashboard, serve_options()])
    assert not {"--host", "--port", "--public-url", "0.0.0.0", "9000"} & set(words)
    # the words mean the same to the dashboard's parser as what was typed
    assert build_parser().parse_args(words) == build_parser().parse_args(DASHBOARD_WORDS)
    assert words.count("--igrp") == 2


def test_every_dashboard_option_of_the_cli_can_be_passed_through() -> None:
    """A new flag on the dashboard cannot be dropped silently on the way to the browser."""
    top = build_parser()
    for action in top._actions:
        if not action.option_strings or action.dest in ("help", "version"):  # both exit
            continue
        if action.nargs == 0:
            value: object = True
        elif action.choices:
            value = next(iter(action.choices))
        else:
            value = ["1"] if isinstance(action, argparse._AppendAction) else "1"
        words = dashboard_argv(argparse.Namespace(**{action.dest: value}), [top])
        assert words and words[0] in action.option_strings, action
        reparsed = vars(build_parser().parse_args(words))
        assert reparsed[action.dest] == value, action


def test_an_option_no_parser_knows_is_an_error() -> None:
    with pytest.raises(ValueError, match="cannot pass 'mystery'"):
        dashboard_argv(argparse.Namespace(mystery="x"), [serve_options()])
