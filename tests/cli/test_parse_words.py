"""``parse_words``: a dashboard start is parsed by the top level alone, without building
the subcommands' parsers; every answer and every message is the whole parser's."""

from __future__ import annotations

import argparse
import contextlib
import io

import pytest

from rtdash.cli import parser as parser_module
from rtdash.cli.common import UsageError
from rtdash.cli.parser import build_parser, parse_words

WORDS = [
    [],
    ["--demo"],
    ["--base-url", "http://127.0.0.1:8765", "--igrp", "5", "--interval", "1"],
    ["--igrp", "1", "--igrp", "2", "--wallboard", "--no-flash"],
    ["--igrp=7", "--tz", "Europe/London", "--exclude-pii", "--log-level", "DEBUG"],
    ["--hub", "--record", "/tmp/r.gz", "--config", "x.toml"],
    ["--base", "http://example.test"],  # an abbreviation
    ["--interval", "-1"],
    # mistakes: the whole parser's messages
    ["--nope"],
    ["frobnicate"],
    ["--igrp"],
    ["--log-level", "loud"],
    ["--h"],  # ambiguous: --help or --hub
    # what the top level alone must not answer
    ["-h"],
    ["--help"],
    ["--hel"],
    ["--version"],
    ["calls", "--json"],
    ["--igrp", "3", "users", "--all"],
    ["config", "path"],
    ["config"],
    ["sim", "--port", "0"],
    ["serve", "--port", "9000"],
    ["replay", "file.gz", "--speed", "2"],
    ["lookup", "07700", "900123"],
    ["--demo", "doctor", "--json"],
]


def outcome(parse: object, words: list[str]) -> tuple[str, object, str]:
    """What parsing ``words`` gives: the namespace, or the exit / usage error, with what
    was printed."""
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            parsed = parse(words)  # type: ignore[operator]
    except UsageError as exc:
        return ("usage", str(exc), out.getvalue())
    except SystemExit as exc:
        return ("exit", exc.code, out.getvalue())
    return ("parsed", parsed, out.getvalue())


@pytest.mark.parametrize("words", WORDS, ids=lambda words: " ".join(words) or "(none)")
def test_the_same_answer_as_the_whole_parser(words: list[str]) -> None:
    assert outcome(parse_words, words) == outcome(
        lambda given: build_parser().parse_args(given), words
    )


def test_a_dashboard_start_builds_no_subcommand(monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[str] = []
    real = argparse._SubParsersAction.add_parser

    def add_parser(self: argparse._SubParsersAction, name: str, **kwargs: object) -> object:
        built.append(name)
        return real(self, name, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(argparse._SubParsersAction, "add_parser", add_parser)
    parsed = parse_words(["--base-url", "http://127.0.0.1:8765", "--igrp", "5"])
    assert parsed.command is None and parsed.igrp == ["5"]
    assert built == []
    parse_words(["calls"])
    assert "calls" in built


def test_the_command_names_are_the_parsers() -> None:
    """A subcommand added to the parser must be named here, or its word would be read
    by the top level alone."""
    assert set(parser_module._COMMAND_NAMES) == set(build_parser().commands) - {
        "config path",
        "config example",
    }
