"""The argument parser: the dashboard's flags, the shared connection options and every
subcommand. Parsing imports nothing heavy, so ``--help`` and a typo answer at once."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any, NoReturn

from rtdash import __version__
from rtdash.cli.common import PROG, UsageError
from rtdash.cli.serve_flags import add_serve_arguments
from rtdash.constants import EXAMPLE_CALL_REF, MAX_SPEED, MIN_SPEED, SERVICE_WINDOWS

LOG_LEVELS = ("debug", "info", "warning", "error")

EPILOG = """\
credentials come from the environment (never from a flag):
  RTDASH_USERNAME + RTDASH_PASSWORD  HTTP Basic, for /reports/v2
  RTDASH_API_KEY                     "Authorization: ApiKey", for /reports/v2.1
or from [connection] in the config file (then chmod 600 it).
  RTDASH_CONFIG                      config file to read (see `rtdash config path`)
No account yet? `rtdash --demo` runs everything against the built-in simulator.

exit codes: 0 ok; 1 the service failed, no match, no row readable, or the
            dashboard stopped on an error (its traceback is left on screen);
            2 usage or configuration error
log file: see `rtdash doctor`, or ~/.local/state/rtdash/log/rtdash.log on Linux
"""


class _DemoDefault(str):
    """A help text that names the demo's size when ``--help`` prints it: only then is
    the simulator imported, so parsing stays light and the number cannot go stale."""

    def __mod__(self, params: object) -> str:
        from rtdash import sim

        return str(self).replace("DEFAULT", str(getattr(sim, self.name)))

    def __new__(cls, text: str, name: str) -> _DemoDefault:
        made = super().__new__(cls, text)
        made.name = name
        return made

    name: str


class _Parser(argparse.ArgumentParser):
    """argparse that reports a mistake as one line and lets :func:`main` return 2."""

    #: each subcommand's parser by its name ("calls", "config path"), so a mistake found
    #: after the subcommand was parsed points to that subcommand's help
    commands: dict[str, argparse.ArgumentParser]

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message} (see `{self.prog} --help`)")

    # argparse's overloads of parse_args cannot be matched by one plain signature
    def parse_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> argparse.Namespace:
        parsed, extra = self.parse_known_args(args, namespace)
        if extra:
            self.parser_for(parsed).error(f"unrecognized arguments: {' '.join(extra)}")
        return parsed

    def parser_for(self, parsed: argparse.Namespace) -> argparse.ArgumentParser:
        """The parser of the subcommand ``parsed`` ran (this one for the dashboard)."""
        commands = getattr(self, "commands", {})
        name = getattr(parsed, "command", None)
        action = getattr(parsed, "config_command", None)
        return commands.get(f"{name} {action}") or commands.get(str(name)) or self


# --- the parser -----------------------------------------------------------------------


def _connection_options() -> argparse.ArgumentParser:
    """Options every data command shares.

    Defaults are ``SUPPRESS`` so an option given before the subcommand is not wiped
    out by the subcommand's default, and so "not given" is distinguishable from "given
    as the default": only given flags override the config file.
    """
    common = argparse.ArgumentParser(add_help=False, argument_default=argparse.SUPPRESS)
    group = common.add_argument_group("connection")
    group.add_argument("--config", metavar="PATH", help="config file (default: rtdash config path)")
    group.add_argument("--base-url", metavar="URL", help="Reports API base URL")
    group.add_argument(
        "--igrp",
        metavar="ID",
        action="append",
        help="installation id (an integer); the dashboard takes several, shown as tabs",
    )
    group.add_argument("--tz", metavar="ZONE", help="IANA time zone for times, e.g. Europe/London")
    group.add_argument(
        "--exclude-pii", action="store_true", help="ask the service to redact caller numbers"
    )
    group.add_argument(
        "--demo", action="store_true", help="run against the built-in simulator (no account)"
    )
    group.add_argument(
        "--log-level",
        type=str.lower,
        choices=LOG_LEVELS,
        help="level of the log file (default: warning); debug or info also log to stderr, "
        "except in the dashboard",
    )
    return common


def _add_dashboard_options(parser: argparse.ArgumentParser) -> None:
    """The dashboard's own flags: on ``rtdash`` itself and on ``rtdash serve``."""
    parser.add_argument(
        "--interval", metavar="SECONDS", help="dashboard: seconds between polls (at least 1)"
    )
    parser.add_argument(
        "--wallboard",
        action="store_true",
        help="dashboard: the read-only wallboard (big numbers, agent tiles; no caller data)",
    )
    parser.add_argument(
        "--no-flash", action="store_true", help="dashboard: never flash a breached tile"
    )
    parser.add_argument(
        "--hub",
        action="store_true",
        help="dashboard: show what `rtdash hub` publishes (RTDASH_HUB_URL) instead of polling",
    )


class _NotTheDashboard(Exception):
    """The words are not a plain dashboard start: parse them with every subcommand."""


class _DashboardParser(_Parser):
    """The top level without the subcommands, for a start with none: any mistake, or
    anything it cannot be sure of, is handed to the whole parser, which says it."""

    def error(self, message: str) -> NoReturn:
        raise _NotTheDashboard(message)


#: what makes the top level's answer differ from the whole parser's (its help lists
#: the subcommands): ``-h``, and ``--help`` or any abbreviation of it
_HELP_WORDS = ("-h", "--he")


def parse_words(words: Sequence[str]) -> argparse.Namespace:
    """The command line, as :func:`build_parser` parses it.

    A dashboard start names no subcommand: its words are parsed by the top level alone
    (:class:`_DashboardParser`), without building the twelve subcommands' parsers it
    does not use. Words that name a subcommand or ask for help, and every mistake, go
    to the whole parser, so the answer and each message are the same."""
    words = list(words)
    names = set(_COMMAND_NAMES)
    if not any(word in names or word.startswith(_HELP_WORDS) for word in words):
        parser = _top_level(_DashboardParser)
        parser.set_defaults(command=None)  # as the subcommands' action sets it: none
        try:
            return parser.parse_args(words)
        except _NotTheDashboard:
            pass
    return build_parser().parse_args(words)


#: every subcommand's name (``tests/cli`` checks this against :func:`build_parser`)
_COMMAND_NAMES = (
    "calls",
    "users",
    "lookup",
    "stats",
    "doctor",
    "config",
    "serve",
    "hub",
    "replay",
    "sim",
)


def _top_level(kind: type[_Parser]) -> _Parser:
    """The top level: the connection options and the dashboard's own."""
    common = _connection_options()
    parser = kind(
        prog=PROG,
        parents=[common],
        description="A real-time dashboard for contact centres on Infinity's hosted PBX. "
        "With no command, opens the dashboard.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        argument_default=argparse.SUPPRESS,
    )
    parser.add_argument(
        "--version", action="version", version=f"{PROG} {__version__}", help="print the version"
    )
    _add_dashboard_options(parser)
    parser.add_argument(
        "--record",
        metavar="FILE",
        help="dashboard: append every snapshot to FILE (gzip JSON lines; see `rtdash replay`)",
    )
    return parser


def build_parser() -> _Parser:
    parser = _top_level(_Parser)
    common = _connection_options()
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")

    data: dict[str, Any] = {
        "parents": [common],
        "epilog": EPILOG,
        "formatter_class": parser.formatter_class,
    }
    calls = commands.add_parser("calls", help="print the active calls", **data)
    users = commands.add_parser("users", help="print PBX users (dashboard users only)", **data)
    users.add_argument("--all", action="store_true", help="include users not on the dashboard")
    lookup = commands.add_parser("lookup", help="print one caller's attribution", **data)
    # one or the other, checked by _lookup_target: argparse's exclusive groups cannot hold
    # a positional that takes several words, and a number is often typed with spaces
    lookup.add_argument(
        "--call-ref", metavar="REF", help=f"the call reference, e.g. {EXAMPLE_CALL_REF}"
    )
    lookup.add_argument(
        "number",
        nargs="*",
        default=None,
        metavar="NUMBER",
        help="the caller's number, spaces allowed: 07700 900123 (or a call reference)",
    )
    for sub in (calls, users, lookup):
        formats = sub.add_mutually_exclusive_group()
        formats.add_argument("--json", action="store_true", help="print a JSON array of rows")
        if sub is not lookup:
            formats.add_argument(
                "--csv", action="store_true", help="print CSV (a header row, then one row each)"
            )
    stats = commands.add_parser(
        "stats",
        help="print today's service level totals (saved by the dashboard, or the hub's)",
        description="Today's offered, answered and abandoned calls, service level and "
        "speed of answer, per queue, as the dashboard inferred and saved them, or with "
        "--hub as `rtdash hub` counted and keeps them in Redis (no request is made to the "
        "service). Exit 1 when there are none for today yet, or the hub cannot be read.",
        **data,
    )
    stats_formats = stats.add_mutually_exclusive_group()
    stats_formats.add_argument("--json", action="store_true", help="print JSON")
    stats_formats.add_argument("--csv", action="store_true", help="print CSV")
    stats.add_argument("--queue", metavar="QUEUE", help="only this queue")
    stats.add_argument(
        "--window",
        choices=tuple(SERVICE_WINDOWS),
        default="today",
        help="today (the default), or the last 60 or 15 minutes",
    )
    stats.add_argument(
        "--hub",
        action="store_true",
        default=argparse.SUPPRESS,
        help="the totals `rtdash hub` publishes (RTDASH_HUB_URL), as `rtdash --hub` shows "
        "them, instead of the dashboard's saved ones ([hub] view = true does the same)",
    )
    doctor = commands.add_parser(
        "doctor",
        help="check config, credentials, each route and the field mapping",
        description="Check the config file, the credentials, that the base URL is "
        "reachable and each Real Time route, then compare the fields the service sends "
        "with the field mapping, proposing a [mapping] for what it cannot find (--fix "
        "writes it). Exit 0: no check failed; 1: an upstream check failed; "
        "2: the config or the command line is unusable.",
        **data,
    )
    doctor.add_argument("--json", action="store_true", help="print the report as JSON")
    doctor.add_argument(
        "--fix",
        action="store_true",
        default=False,
        help="write the confident [mapping] suggestion into the config file (a backup of "
        "the old file is kept), then check the routes again",
    )
    doctor.add_argument(
        "--dry-run",
        action="store_true",
        default=False,
        help="with or without --fix: print the change to the config file as a diff; write nothing",
    )

    config = commands.add_parser("config", help="where the config file lives; an example")
    config_commands = config.add_subparsers(dest="config_command", metavar="ACTION", required=True)
    path = config_commands.add_parser("path", help="print the config file path rtdash reads")
    path.add_argument("--config", metavar="PATH", help="as the other commands take it")
    config_commands.add_parser("example", help="print a commented example config")

    serve = commands.add_parser(
        "serve",
        help="the dashboard in a browser (textual-serve; 127.0.0.1 by default)",
        description="Serve the dashboard to browsers: each tab runs its own dashboard. "
        "No authentication of its own: it listens on 127.0.0.1 unless --host says "
        "otherwise, and then warns.",
        argument_default=argparse.SUPPRESS,
        **data,
    )
    _add_dashboard_options(serve)
    add_serve_arguments(serve)

    hub = commands.add_parser(
        "hub",
        help="poll once, publish to Redis for every `rtdash --hub` screen",
        description="Poll each configured installation and publish every snapshot and "
        "status to Redis (RTDASH_HUB_URL or [hub] url), for `rtdash --hub` and "
        "`rtdash serve --hub`. Several hubs may run for failover: exactly one polls each "
        "installation. Runs until Ctrl-C or SIGTERM.",
        **data,
    )
    hub.add_argument(
        "--interval",
        metavar="SECONDS",
        default=argparse.SUPPRESS,
        help="seconds between polls (at least 1)",
    )

    replay = commands.add_parser(
        "replay",
        help="play a recording (--record) back in the dashboard",
        description="Play back a recording made with --record, in the same dashboard: "
        "space pauses, left/right seek 10 s (shift: 1 min), comma/full stop step between "
        "changes, +/- change the speed, 0-9 jump to 0-90 %, home/end.",
    )
    replay.add_argument("file", metavar="FILE", help="the recording")
    replay.add_argument(
        "--speed",
        type=float,
        default=1.0,
        help=f"playback speed ({MIN_SPEED:g}-{MAX_SPEED:g})",
    )
    replay.add_argument("--paused", action="store_true", help="start paused")
    replay.add_argument("--config", metavar="PATH", help="config file (theme, thresholds)")

    sim = commands.add_parser("sim", help="serve the simulator on loopback until Ctrl-C")
    sim.add_argument("--port", type=int, default=8765, help="TCP port (default 8765; 0: any)")
    sim.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    # the defaults are applied at dispatch: the simulator is not imported before then
    agents = _DemoDefault("PBX users (default DEFAULT, as in the demo)", "DEMO_AGENTS")
    sim.add_argument("--agents", type=int, help=agents)
    load = _DemoDefault("live calls to aim for (default DEFAULT, as in the demo)", "DEMO_LOAD")
    sim.add_argument("--load", type=int, help=load)
    sim.add_argument("--speed", type=float, default=1.0, help="time multiplier (default 1.0)")
    parser.commands = {
        **{name: sub for name, sub in commands.choices.items()},
        **{f"config {name}": sub for name, sub in config_commands.choices.items()},
    }
    return parser
