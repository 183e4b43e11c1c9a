"""The ``rtdash`` command: the dashboard, and scriptable subcommands for the same data.

``rtdash`` alone opens the TUI; ``calls``, ``users`` and ``lookup`` print one answer as a
plain table or ``--json`` and exit, so the data can be scripted, cron'd or piped without
a terminal UI. ``doctor`` checks the set-up end to end (:mod:`rtdash.doctor`), ``config``
helps write a config file and ``sim`` runs the simulator.

Logging (:mod:`rtdash.logs`): every command logs at ``--log-level`` (default warning) to
a rotating file (``rtdash.logs.log_path()``), never to the terminal the dashboard draws
on. The scriptable commands also copy log lines to stderr when ``--log-level debug`` or
``info`` is given; otherwise their stderr holds only the one-line messages below.

Exit codes (also in ``--help``):

* 0 — done.
* 1 — the service failed (any :class:`~rtdash.api.errors.ApiError`), a lookup matched
  nothing, or no row of the answer could be read. One line on stderr says which.
  ``lookup`` with no match still prints ``[]`` under ``--json``, so a pipeline always
  gets valid JSON, while the exit code answers "was there a match?" as ``grep`` does.
* 2 — usage or configuration: a bad flag or config key, a lookup that can never match
  (or may not be made while personal data is excluded), no installation id or
  credentials. The line says how to fix it.

Imports are lazy on purpose: ``--help`` and a mistyped flag load neither httpx, pydantic
nor asyncio, the scriptable subcommands never load Textual, and only ``--demo`` and
``sim`` load the simulator. A mistyped command answers instantly, and a cron job pays only for
what it uses.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Coroutine, Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import datetime
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

from rtdash.api.errors import ApiError, PermissionDenied

if TYPE_CHECKING:
    from rtdash.api.client import FetchResult, InfinityClient
    from rtdash.api.models import ActiveCall, CallerDetails, PbxUser
    from rtdash.config import Settings
    from rtdash.core.phone import LookupQuery

PROG = "rtdash"
EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2

LOG_LEVELS = ("debug", "info", "warning", "error")

EPILOG = """\
credentials come from the environment (never from a flag):
  RTDASH_USERNAME + RTDASH_PASSWORD  HTTP Basic, for /reports/v2
  RTDASH_API_KEY                     "Authorization: ApiKey", for /reports/v2.1
or from [connection] in the config file (then chmod 600 it).
  RTDASH_CONFIG                      config file to read (see `rtdash config path`)
No account yet? `rtdash --demo` runs everything against the built-in simulator.

exit codes: 0 ok; 1 the service failed, no match, or no row readable;
            2 usage or configuration error
log file: see `rtdash doctor`, or ~/.local/state/rtdash/log/rtdash.log on Linux
"""

T = TypeVar("T")


class UsageError(Exception):
    """How rtdash was called or configured is wrong: exit 2 with this one line."""


class Failure(Exception):
    """The service failed or had no answer: exit 1 with this one line."""

    def __init__(self, line: str, error: ApiError | None = None) -> None:
        super().__init__(line)
        #: the upstream failure behind the line, for commands that add a hint
        self.error = error


class _Parser(argparse.ArgumentParser):
    """argparse that reports a mistake as one line and lets :func:`main` return 2."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message} (see `{self.prog} --help`)")


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


def build_parser() -> argparse.ArgumentParser:
    common = _connection_options()
    parser = _Parser(
        prog=PROG,
        parents=[common],
        description="A real-time dashboard for contact centres on Infinity's hosted PBX. "
        "With no command, opens the dashboard.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        argument_default=argparse.SUPPRESS,
    )
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
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")

    data = {"parents": [common], "epilog": EPILOG, "formatter_class": parser.formatter_class}
    calls = commands.add_parser("calls", help="print the active calls", **data)
    users = commands.add_parser("users", help="print PBX users (dashboard users only)", **data)
    users.add_argument("--all", action="store_true", help="include users not on the dashboard")
    lookup = commands.add_parser("lookup", help="print one caller's attribution", **data)
    # one or the other, checked by _lookup_target: argparse's exclusive groups cannot hold
    # a positional that takes several words, and a number is often typed with spaces
    lookup.add_argument("--call-ref", metavar="REF", help="the call reference, e.g. c-0001")
    lookup.add_argument(
        "number",
        nargs="*",
        default=None,
        metavar="NUMBER",
        help="the caller's number, spaces allowed: 07700 900123 (or a call reference)",
    )
    for sub in (calls, users, lookup):
        sub.add_argument("--json", action="store_true", help="print a JSON array of rows")
    doctor = commands.add_parser(
        "doctor",
        help="check config, credentials, each route and the field mapping",
        description="Check the config file, the credentials, that the base URL is "
        "reachable and each Real Time route, then compare the fields the service sends "
        "with the field mapping. Exit 0: no check failed; 1: an upstream check failed; "
        "2: the config or the command line is unusable.",
        **data,
    )
    doctor.add_argument("--json", action="store_true", help="print the report as JSON")

    config = commands.add_parser("config", help="where the config file lives; an example")
    config_commands = config.add_subparsers(dest="config_command", metavar="ACTION", required=True)
    path = config_commands.add_parser("path", help="print the config file path rtdash reads")
    path.add_argument("--config", metavar="PATH", help="as the other commands take it")
    config_commands.add_parser("example", help="print a commented example config")

    sim = commands.add_parser("sim", help="serve the simulator on loopback until Ctrl-C")
    sim.add_argument("--port", type=int, default=8765, help="TCP port (default 8765; 0: any)")
    sim.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    # defaults come from rtdash.sim at dispatch: the simulator is not imported before then
    sim.add_argument("--agents", type=int, help="PBX users (default: the demo's)")
    sim.add_argument("--load", type=int, help="live calls to aim for (default: the demo's)")
    sim.add_argument("--speed", type=float, default=1.0, help="time multiplier (default 1.0)")
    return parser


# --- entry point ----------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit code (the console script exits with it).

    Logging is put back as it was on the way out, so calling ``main`` in-process (tests,
    scripts) leaves no handler or level behind.
    """
    try:
        args = build_parser().parse_args(argv)
        code = _dispatch(args)
        sys.stdout.flush()  # a closed pipe shows here, inside the handler below
        return code
    except UsageError as exc:
        _say(str(exc))
        return EXIT_USAGE
    except Failure as exc:
        _say(str(exc))
        return EXIT_FAILURE
    except SystemExit as exc:  # --help, and argparse's own exits
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `rtdash calls --json | head`: the reader left, which is not worth a traceback;
        # point stdout at /dev/null so the interpreter's final flush cannot fail again
        with suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    finally:
        if "rtdash.logs" in sys.modules:
            from rtdash import logs

            logs.teardown_logging()
            logs.clear_secrets()


def _dispatch(args: argparse.Namespace) -> int:
    command = getattr(args, "command", None)
    if command == "config":
        return _config_command(args)
    if command == "sim":
        return _sim_command(args)
    if command is not None and hasattr(args, "interval"):
        raise UsageError(f"{PROG}: --interval is a dashboard option; `rtdash {command}` takes none")
    if command is None:
        _start_logging(args, tui=True)  # the TUI owns the screen: the file only
        return _dashboard_command(args)
    _start_logging(args, tui=False)
    if command == "doctor":
        return _doctor_command(args)
    if command == "lookup":
        _lookup_target(args)
    settings = _load_settings(args)
    # a lookup that can never match is refused before any connection is needed
    query = _lookup_query(args, settings) if command == "lookup" else None
    demo = getattr(args, "demo", False)
    with _connection(settings, demo=demo, keep_igrp="igrp" in vars(args)):
        if command == "calls":
            return _calls_command(args, settings)
        if command == "users":
            return _users_command(args, settings)
        assert query is not None
        return _lookup_command(args, settings, query)


# --- settings -------------------------------------------------------------------------

#: flag dest -> (settings section, key, flag as typed), validated by the settings model
_FLAG_TARGETS: dict[str, tuple[str, str, str]] = {
    "base_url": ("connection", "base_url", "--base-url"),
    "igrp": ("connection", "igrp", "--igrp"),
    "more_igrps": ("connection", "more_igrps", "--igrp"),
    "tz": ("connection", "timezone", "--tz"),
    "exclude_pii": ("connection", "exclude_pii", "--exclude-pii"),
    "interval": ("polling", "interval", "--interval"),
}


def _load_settings(args: argparse.Namespace) -> Settings:
    """Config file + environment, then flags on top, all checked by the same model."""
    from rtdash.config import ConfigError, load_settings

    try:
        settings = load_settings(getattr(args, "config", None))
    except ConfigError as exc:
        raise UsageError(f"{PROG}: {exc}") from None
    apply_flags(settings, vars(args))
    _register_secrets(settings)
    for warning in settings.warnings:
        _say(f"{PROG}: warning: {warning}")
    return settings


def _register_secrets(settings: Settings) -> None:
    """From here on, no log line shows the password or key (or the Basic header)."""
    from rtdash import logs

    logs.register_settings_secrets(settings)


def apply_flags(settings: Settings, flags: dict[str, Any]) -> None:
    """Set given flags through ``validate_assignment``, so a flag is checked exactly as
    the same key in the config file is; a bad value becomes a one-line usage error."""
    from pydantic import ValidationError

    flags = dict(flags)
    igrps = flags.pop("igrp", None) or []
    if igrps:
        flags["igrp"] = igrps[0]
    if len(igrps) > 1:
        if flags.get("command") not in (None, "serve"):
            raise UsageError(f"{PROG}: --igrp: give one installation to this command")
        flags["more_igrps"] = igrps[1:]
    if flags.get("wallboard"):
        settings.display.wallboard = True
    if flags.get("no_flash"):
        settings.display.flash = False
    for dest, (section, key, flag) in _FLAG_TARGETS.items():
        if dest not in flags:
            continue
        try:
            setattr(getattr(settings, section), key, flags[dest])
        except ValidationError as exc:
            problem = exc.errors(include_url=False, include_input=False)[0]["msg"]
            problem = problem.removeprefix("Value error, ")
            given = repr(flags[dest])
            shown = flag if given in problem else f"{flag} {given}"
            raise UsageError(f"{PROG}: {shown}: {problem}") from None


def _require_connection(settings: Settings) -> None:
    """Say how to fix a missing installation id or credentials before any request."""
    connection = settings.connection
    if connection.igrp is None:
        raise UsageError(
            f"{PROG}: no installation id: pass --igrp ID or set igrp under [connection] "
            "in the config file (or try --demo)"
        )
    if not connection.credentials().usable:
        raise UsageError(
            f"{PROG}: no credentials: set RTDASH_USERNAME and RTDASH_PASSWORD, or "
            "RTDASH_API_KEY (or try --demo to use the built-in simulator)"
        )


@contextmanager
def _connection(settings: Settings, *, demo: bool, keep_igrp: bool = False) -> Iterator[None]:
    """Point the settings at a live service: the configured one, or a fresh simulator.

    ``keep_igrp``: an ``--igrp`` flag picks the simulator's installation (5678 is the
    basic-mode one); an igrp from the config file is the real account's, so it is not.
    """
    if not demo:
        _require_connection(settings)
        yield
        return
    with _demo_simulator(settings, keep_igrp=keep_igrp):
        yield


@contextmanager
def _demo_simulator(settings: Settings, *, keep_igrp: bool) -> Iterator[Any]:
    """Start the simulator on an ephemeral loopback port and use its demo account.

    Its clock starts at the real now so times in state read true against the wall
    clock; the simulator is imported here only, never on the normal path.
    """
    from pydantic import SecretStr

    from rtdash.sim import demo_simulator

    try:
        sim = demo_simulator().start(port=0)
    except OSError as exc:
        raise Failure(f"{PROG}: cannot start the demo simulator ({exc.strerror or exc})") from None
    try:
        connection = settings.connection
        connection.base_url = sim.url
        if not keep_igrp:
            connection.igrp = sim.igrp
        connection.username = sim.username
        connection.password = SecretStr(sim.password)
        connection.api_key = None
        _register_secrets(settings)
        yield sim
    finally:
        sim.stop()


# --- data commands --------------------------------------------------------------------


def _client(settings: Settings) -> InfinityClient:
    from rtdash.api.client import InfinityClient

    connection = settings.connection
    assert connection.igrp is not None  # _require_connection or --demo saw to it
    return InfinityClient(
        igrp=connection.igrp,
        credentials=connection.credentials(),
        base_url=connection.base_url,
        tz=connection.timezone,
        mapping=settings.field_mapping(),
        timeout=connection.timeout,
    )


def _fetch(settings: Settings, call: Callable[[InfinityClient], Coroutine[Any, Any, T]]) -> T:
    """Run one request to completion; an upstream failure becomes one line, exit 1."""
    import asyncio  # ~80 ms: paid only by commands that make a request

    async def run() -> T:
        async with _client(settings) as client:
            return await call(client)

    try:
        return asyncio.run(run())
    except ApiError as exc:
        raise Failure(f"{PROG}: {exc}", exc) from None


def _calls_command(args: argparse.Namespace, settings: Settings) -> int:
    from rtdash.api.models import parse_call
    from rtdash.core.snapshot import CallsSnapshot

    exclude_pii = settings.connection.exclude_pii
    result = _fetch(settings, lambda c: c.active_calls(exclude_pii=exclude_pii, keep_raw=True))
    calls = CallsSnapshot.build(result.rows, result.fetched_at, result.unreadable).calls
    if args.json:
        _print_json([call.to_json() for call in calls])
    elif calls:
        print(calls_table(calls, result.fetched_at, pii_excluded=exclude_pii))
    elif not result.unreadable:
        print("no active calls")
    return _report_unreadable(
        result, "call", lambda raw: parse_call(raw, *_mapping_and_zone(settings))
    )


def _users_command(args: argparse.Namespace, settings: Settings) -> int:
    from rtdash.api.models import parse_user
    from rtdash.core.snapshot import UsersSnapshot

    result = _fetch(settings, lambda c: c.user_status(keep_raw=True))
    users = UsersSnapshot.build(result.rows, result.fetched_at, result.unreadable).visible(
        show_all=args.all
    )
    if args.json:
        _print_json([user.to_json() for user in users])
    elif users:
        zone = _zone(settings)
        print(users_table(users, result.fetched_at, zone, show_dashboard=args.all))
    elif not result.unreadable:
        print("no users" if args.all else "no dashboard users (--all shows every user)")
    return _report_unreadable(
        result, "user", lambda raw: parse_user(raw, *_mapping_and_zone(settings))
    )


def _lookup_command(args: argparse.Namespace, settings: Settings, query: LookupQuery) -> int:
    try:
        details = _fetch(
            settings,
            lambda c: c.caller_details(call_ref=query.call_ref, src_number=query.number),
        )
    except Failure as exc:
        if isinstance(exc.error, PermissionDenied):
            raise Failure(
                f"{exc}; caller lookup needs the PII permission on this account"
            ) from None
        raise
    if args.json:
        _print_json([details.to_json()] if details else [])
    elif details:
        print(lookup_listing(details, query, _zone(settings)))
    if details is None:
        raise Failure(f"{PROG}: no call matches {_describe(query)} in the last 24 hours")
    return EXIT_OK


def _lookup_target(args: argparse.Namespace) -> None:
    """Exactly one of a number (its words joined) or ``--call-ref``."""
    words = args.number or []
    has_ref = getattr(args, "call_ref", None) is not None
    if words and has_ref:
        raise UsageError(f"{PROG} lookup: give a NUMBER or --call-ref REF, not both")
    if not words and not has_ref:
        raise UsageError(
            f"{PROG} lookup: give a NUMBER or --call-ref REF (see `{PROG} lookup --help`)"
        )
    args.number = " ".join(words) if words else None


def _lookup_query(args: argparse.Namespace, settings: Settings) -> LookupQuery:
    """``--call-ref`` is taken as typed; the positional reads a number or a reference.

    Checked before any connection: a lookup that can never match, or may not be made,
    should not need an account or a round trip to say so."""
    from rtdash.core.phone import InvalidLookup, LookupQuery, parse_lookup

    if settings.connection.exclude_pii:
        # the TUI turns lookup off in the same case: the answer is the caller's own data
        raise UsageError(
            f"{PROG}: lookup shows a caller's personal data, and personal data is excluded "
            "here (--exclude-pii, or exclude_pii under [connection] in the config)"
        )
    if getattr(args, "call_ref", None) is not None:
        ref = args.call_ref.strip()
        if not ref or any(ch.isspace() for ch in ref):
            raise UsageError(f"{PROG}: --call-ref needs a reference without spaces, e.g. c-0001")
        return LookupQuery(call_ref=ref)
    try:
        return parse_lookup(args.number, settings.connection.default_region)
    except InvalidLookup as exc:
        raise UsageError(f"{PROG}: lookup: {exc}") from None


def _describe(query: LookupQuery) -> str:
    from rtdash.core.phone import format_international

    if query.call_ref is not None:
        return f"call reference {query.call_ref!r}"
    return f"number {format_international(query.number)}"


def _mapping_and_zone(settings: Settings) -> tuple[Any, Any]:
    return settings.field_mapping(), _zone(settings)


def _zone(settings: Settings) -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo(settings.connection.timezone)


def _report_unreadable(
    result: FetchResult[Any], kind: str, parse: Callable[[dict[str, Any]], Any]
) -> int:
    """Warn when rows were skipped; fail when none survived, since an empty answer
    would otherwise read as "no calls" to a script."""
    if not result.unreadable:
        return EXIT_OK
    total = len(result.rows) + result.unreadable
    reason = _first_reason(result.raw, parse)
    why = f" ({reason})" if reason else ""
    hint = (
        "if your service names or spells a field differently, map it under [mapping] "
        "in the config (see `rtdash config example`)"
    )
    if result.rows:
        _say(f"{PROG}: warning: {result.unreadable} of {total} {kind} rows unreadable{why}")
        return EXIT_OK
    _say(f"{PROG}: none of the {total} {kind} rows could be read{why}; {hint}")
    return EXIT_FAILURE


def _first_reason(raw_rows: list[dict[str, Any]], parse: Callable[[dict[str, Any]], Any]) -> str:
    """Why the first unreadable row was refused, re-read from the kept raw rows."""
    for raw in raw_rows:
        try:
            parse(raw)
        except ValueError as exc:
            return str(exc)
    return "not a JSON object"


# --- plain-text output ----------------------------------------------------------------


def calls_table(calls: Sequence[ActiveCall], now: datetime, *, pii_excluded: bool) -> str:
    """Calls grouped ringing, queueing, bridged, longest in state first."""
    from rtdash.core.format import caller_label, duration
    from rtdash.core.metrics import seconds_since
    from rtdash.core.phone import format_international

    headers = ("CALL", "STATE", "CALLER", "DIALLED", "LINE", "QUEUE", "AGENT", "IN STATE", "TOTAL")
    rows = [
        (
            call.call_ref,
            call.state.value,
            caller_label(call.src_number, pii_excluded),
            format_international(call.dialled_number) or "",
            call.dgrp_name or call.dgrp or "",
            call.queue or "",
            call.agent_name or call.agent_ref or "",
            duration(seconds_since(call.state_start, now)),
            duration(seconds_since(call.call_start, now)),
        )
        for call in calls
    ]
    return render_table(headers, rows, right={7, 8})


def users_table(users: Sequence[PbxUser], now: datetime, zone: Any, *, show_dashboard: bool) -> str:
    """Users in order of state start, so the longest in their state come first."""
    from rtdash.core.format import clock_time, duration
    from rtdash.core.metrics import seconds_since

    headers = ["USER", "EXT", "STATE", "SINCE", "IN STATE"]
    if show_dashboard:
        headers.append("DASHBOARD")
    rows = []
    for user in users:
        since = clock_time(user.state_start, zone) if user.state_start else "–"
        row = [user.label, user.extension or "", user.state.value, since]
        row.append(duration(seconds_since(user.state_start, now)))
        if show_dashboard:
            row.append("yes" if user.dashboard else "no")
        rows.append(row)
    return render_table(headers, rows, right={4})


def render_table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], right: set[int] | None = None
) -> str:
    """Aligned columns, two spaces apart; durations right-aligned so they line up."""
    right = right or set()
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(width, len(cell)) for width, cell in zip(widths, row, strict=True)]

    def line(cells: Sequence[str]) -> str:
        padded = (
            cell.rjust(width) if index in right else cell.ljust(width)
            for index, (cell, width) in enumerate(zip(cells, widths, strict=True))
        )
        return "  ".join(padded).rstrip()

    return "\n".join([line(headers), *(line(row) for row in rows)])


#: the listing's groups: (heading, [(label, CallerDetails attribute)])
_LOOKUP_GROUPS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "Attribution",
        (
            ("Channel", "ch_name"),
            ("Channel id", "ch"),
            ("Channel type", "ch_type"),
            ("Publisher", "pub"),
            ("Campaign", "campaign"),
            ("Ad group", "ad_group"),
            ("Keyword", "keyword"),
            ("Visitor id", "vid"),
            ("Landing page", "landing_page_title"),
            ("Landing URL", "landing_url"),
            ("Last page", "page_title"),
            ("Conversion URL", "conversion_url"),
            ("Referrer", "referrer"),
            ("Triggered at", "trigger_time"),
        ),
    ),
    (
        "Call",
        (
            ("Installation", "igrp"),
            ("Installation name", "igrp_name"),
            ("Number group", "dgrp"),
            ("Number group name", "dgrp_name"),
            ("Transaction ref", "txr"),
            ("Caller", "src_number"),
            ("Dialled", "dialled_number"),
            ("Destination", "dest_number"),
            ("Call state", "call_state"),
            ("Call duration", "call_duration"),
            ("Bridge duration", "bridge_duration"),
        ),
    ),
)

_NUMBER_FIELDS = {"src_number", "dialled_number", "dest_number"}
_DURATION_FIELDS = {"call_duration", "bridge_duration"}


def lookup_listing(details: CallerDetails, query: LookupQuery, zone: Any) -> str:
    """A ``field: value`` listing in Attribution / Call / Custom data groups.

    Unset fields are left out: an advanced row has ~25 fields and most calls fill few.
    Times are shown in ``zone`` (the ``--tz`` the user reads the dashboard in), though
    the upstream sends ``triggerDatetime`` in UTC.
    """
    heading = f"Caller details for {_describe(query)}"
    if details.mode == "basic":
        heading += " — basic mode: this installation reports only igrp, dgrp and txr"
    else:
        heading += " — advanced mode"
    groups: list[tuple[str, list[tuple[str, str]]]] = []
    for title, fields in _LOOKUP_GROUPS:
        pairs = [
            (label, _lookup_value(name, getattr(details, name), zone))
            for label, name in fields
            if getattr(details, name) is not None
        ]
        groups.append((title, pairs))
    groups.append(("Custom data", [(k, v or "–") for k, v in sorted(details.custom.items())]))
    if details.extra:
        other = sorted((key, _plain(value) or "–") for key, value in details.extra.items())
        groups.append(("Other fields", other))
    width = max((len(label) for _, pairs in groups for label, _ in pairs), default=0) + 1
    out = [heading]
    for title, pairs in groups:
        out += ["", title]
        if not pairs:
            out.append("  (none)")
        out += [f"  {(label + ':').ljust(width)}  {value}" for label, value in pairs]
    return "\n".join(out)


def _lookup_value(name: str, value: Any, zone: Any) -> str:
    from rtdash.core.format import duration
    from rtdash.core.phone import format_international

    if name in _NUMBER_FIELDS:
        return format_international(value) or ""
    if name in _DURATION_FIELDS:
        return f"{duration(value)} ({value} s)"
    if isinstance(value, datetime):
        return value.astimezone(zone).isoformat(sep=" ")
    return str(value)


def _plain(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def _print_json(rows: list[dict[str, Any]]) -> None:
    print(json.dumps(rows, indent=2, ensure_ascii=False))


# --- the other commands ---------------------------------------------------------------


def _config_command(args: argparse.Namespace) -> int:
    from rtdash.config import EXAMPLE_CONFIG, config_path

    if args.config_command == "path":
        print(config_path(getattr(args, "config", None)))
    else:
        print(EXAMPLE_CONFIG, end="")
    return EXIT_OK


def _sim_command(args: argparse.Namespace) -> int:
    from rtdash.sim import DEMO_AGENTS, DEMO_LOAD, run_standalone

    args.agents = DEMO_AGENTS if args.agents is None else args.agents
    args.load = DEMO_LOAD if args.load is None else args.load
    checks = (
        (0 <= args.port <= 65535, "--port must be 0-65535"),
        (args.agents >= 1, "--agents must be at least 1"),
        (args.load >= 0, "--load must not be negative"),
        (args.speed > 0, "--speed must be above 0"),
    )
    for ok, problem in checks:
        if not ok:
            raise UsageError(f"{PROG} sim: {problem}")

    with suppress(KeyboardInterrupt):  # Ctrl-C is how a person stops it: not an error
        run_standalone(args.port, args.seed, args.agents, args.load, args.speed)
    return EXIT_OK


def _doctor_command(args: argparse.Namespace) -> int:
    """``rtdash doctor``: an unusable config file is a report line (exit 2), not a
    one-line error, since explaining the set-up is the command's job; a bad flag is
    still a usage error like anywhere else."""
    from rtdash import doctor
    from rtdash.config import ConfigError, config_path, load_settings

    explicit = getattr(args, "config", None)
    path = config_path(explicit)
    try:
        settings = load_settings(explicit)
    except ConfigError as exc:
        return doctor.config_unusable(path, str(exc), as_json=args.json)
    apply_flags(settings, vars(args))
    _register_secrets(settings)
    if not getattr(args, "demo", False):
        return doctor.run(settings, path=path, as_json=args.json)
    with _demo_simulator(settings, keep_igrp="igrp" in vars(args)):
        return doctor.run(settings, path=path, as_json=args.json, demo=True)


def _dashboard_command(args: argparse.Namespace) -> int:
    """The TUI. It owns the rest: with ``demo`` it starts the simulator itself, and
    without an installation id or credentials it shows a welcome screen that explains
    the setup (and offers the demo), so neither is checked here."""
    settings = _load_settings(args)
    try:
        from rtdash.ui.app import run_dashboard
    except ModuleNotFoundError as exc:
        if not (exc.name or "").startswith("rtdash"):
            raise
        raise Failure(f"{PROG}: the dashboard is not available in this build") from None
    from rtdash.config import ConfigError

    try:
        return run_dashboard(settings, demo=getattr(args, "demo", False))
    except ConfigError as exc:  # a theme or keymap the app cannot use
        raise UsageError(f"{PROG}: {exc}") from None


# --- logging and messages -------------------------------------------------------------


def _start_logging(args: argparse.Namespace, *, tui: bool) -> None:
    """The log file always; stderr as well only for a scriptable command run with
    ``--log-level debug`` or ``info``, so a script's stderr stays one line per problem."""
    from rtdash import logs

    level = getattr(args, "log_level", "warning")
    to_stderr = not tui and level in ("debug", "info")
    logs.setup_logging(level, to_stderr=to_stderr)
    if to_stderr and logs.file_error:
        _say(f"{PROG}: warning: {logs.file_error}")


def _say(line: str) -> None:
    print(line, file=sys.stderr)
