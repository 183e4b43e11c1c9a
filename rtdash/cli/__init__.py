"""The ``rtdash`` command: the dashboard, and scriptable subcommands for the same data.

``rtdash`` alone opens the TUI; ``calls``, ``users`` and ``lookup`` print one answer as a
plain table or ``--json`` and exit, so the data can be scripted, cron'd or piped without
a terminal UI. ``doctor`` checks the set-up end to end (:mod:`rtdash.cli.doctor`), ``config``
helps write a config file and ``sim`` runs the simulator.

Logging (:mod:`rtdash.logs`): every command logs at ``--log-level`` (default warning) to
a rotating file (``rtdash.logs.log_path()``), never to the terminal the dashboard draws
on. The scriptable commands also copy log lines to stderr when ``--log-level debug`` or
``info`` is given; otherwise their stderr holds only the one-line messages below.

Exit codes (also in ``--help``):

* 0 — done.
* 1 — the service failed (any :class:`~rtdash.api.errors.ApiError`), a lookup matched
  nothing, or no row of the answer could be read. One line on stderr says which. The
  dashboard also exits 1 when an error it could not handle stopped it (Textual leaves
  the traceback on the terminal).
  ``lookup`` with no match still prints ``[]`` under ``--json``, so a pipeline always
  gets valid JSON, while the exit code answers "was there a match?" as ``grep`` does.
* 2 — usage or configuration: a bad flag or config key, a lookup that can never match
  (or may not be made while personal data is excluded), no installation id or
  credentials. The line says how to fix it.

Imports are lazy on purpose: ``--help`` and a mistyped flag load neither httpx
nor asyncio, the scriptable subcommands never load Textual, and only ``--demo`` and
``sim`` load the simulator. A mistyped command answers instantly, and a cron job pays only for
what it uses.
"""

from __future__ import annotations

import argparse
import errno
import os
import sys
from collections.abc import Sequence
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING

from rtdash.cli.common import (
    EXIT_FAILURE,
    EXIT_OK,
    EXIT_USAGE,
    PROG,
    Failure,
    Hangup,
    UsageError,
    say,
)
from rtdash.cli.flags import (
    apply_flags,
    help_hint,
    load_run_settings,
    refuse_dashboard_options,
    refuse_igrp_outside_demo,
)
from rtdash.cli.parser import build_parser, parse_words
from rtdash.cli.record_flag import record_path
from rtdash.cli.serve_flags import public_url_flag
from rtdash.cli.terminal_text import refuse_terminal_without_marks
from rtdash.constants import EXIT_INTERRUPTED, MAX_SPEED, MIN_SPEED, recording_name_parts
from rtdash.warmup import skip_httpx_cli

skip_httpx_cli()  # before anything imports httpx: see there

if TYPE_CHECKING:
    from rtdash.config import Settings

__all__ = ["apply_flags", "build_parser", "main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit code (the console script exits with it).

    Logging is put back as it was on the way out, so calling ``main`` in-process (tests,
    scripts) leaves no handler or level behind.
    """
    try:
        words = list(sys.argv[1:] if argv is None else argv)
        args = parse_words(words)
        code = _dispatch(args, words)
        sys.stdout.flush()  # a closed pipe shows here, inside the handler below
        return code
    except UsageError as exc:
        say(str(exc))
        return EXIT_USAGE
    except Failure as exc:
        say(str(exc))
        return exc.code if isinstance(exc, Hangup) else EXIT_FAILURE
    except SystemExit as exc:  # --help, and argparse's own exits
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
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


def _dispatch(args: argparse.Namespace, words: list[str]) -> int:
    command = getattr(args, "command", None)
    if command == "config":
        return _config_command(args)
    if command == "sim":
        return _sim_command(args)
    if command == "replay":
        _start_logging(args, tui=True)
        return _replay_command(args)
    if command == "serve":
        return _serve_command(args, words)
    if command == "hub":
        from rtdash.cli.hub import hub_command

        _start_logging(args, tui=False)
        return hub_command(args)
    if command is not None:
        refuse_dashboard_options(args, command)
    if command is None:
        _start_logging(args, tui=True)  # the TUI owns the screen: the file only
        return _dashboard_command(args)
    _start_logging(args, tui=False)
    if command == "doctor":
        from rtdash.cli.doctor.command import doctor_command

        return doctor_command(args)
    # the scriptable commands' module (tables, phone numbers): not on the dashboard's path
    from rtdash.cli import data

    if command == "stats":
        from rtdash.cli.stats import stats_command

        return stats_command(args, load_run_settings(args))
    if command == "lookup":
        data.lookup_target(args)
    settings = load_run_settings(args)
    refuse_igrp_outside_demo(args, settings, f"{PROG} {command}")
    # a lookup that can never match is refused before any connection is needed
    query = data.lookup_query(args, settings) if command == "lookup" else None
    demo = getattr(args, "demo", False)
    with data.connected(settings, demo=demo, keep_igrp="igrp" in vars(args)):
        if command == "calls":
            return data.calls_command(args, settings)
        if command == "users":
            return data.users_command(args, settings)
        assert query is not None
        return data.lookup_command(args, settings, query)


def _config_command(args: argparse.Namespace) -> int:
    from rtdash.config import config_path

    if args.config_command == "path":
        print(config_path(getattr(args, "config", None)))
    else:
        from rtdash.config_example import example_config

        print(example_config(), end="")
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
            raise UsageError(f"{PROG} sim: {problem}{help_hint('sim')}")

    try:
        with suppress(KeyboardInterrupt):  # Ctrl-C is how a person stops it: not an error
            run_standalone(args.port, args.seed, args.agents, args.load, args.speed)
    except OSError as exc:
        if exc.errno not in _CANNOT_LISTEN:
            raise
        problem = exc.strerror or str(exc)
        raise Failure(f"{PROG} sim: cannot listen on 127.0.0.1:{args.port} ({problem})") from None
    return EXIT_OK


#: why a server cannot listen on a port: one line, as ``serve`` says it
_CANNOT_LISTEN = (errno.EADDRINUSE, errno.EACCES, errno.EADDRNOTAVAIL)


def _dashboard_command(args: argparse.Namespace) -> int:
    """The TUI. It owns the rest: with ``demo`` it starts the simulator itself, and
    without an installation id or credentials it shows a welcome screen that explains
    the setup (and offers the demo), so neither is checked here; a hub viewer is the
    exception (:func:`rtdash.cli.hub.check_viewer`): it needs no credentials, so the
    welcome screen would ask for the wrong thing."""
    from rtdash.warmup import pause_collection, resume_collection, start_tls_context

    pause_collection()  # until the first data is drawn: see rtdash.warmup
    try:
        settings = load_run_settings(args)
        _check_hub_viewer(settings, args)
        refuse_igrp_outside_demo(args, settings, PROG)
        record = record_path(getattr(args, "record", None))
        # after the usage checks: a wrong flag is said as such whatever stdin is
        _refuse_without_keyboard()
        refuse_terminal_without_marks()
        demo = getattr(args, "demo", False)  # the demo's simulator is plain http
        start_tls_context(verifying=not demo and _uses_https(settings))  # while Textual loads
        if _head_start_wanted(settings, args):
            from rtdash.head_start import begin

            begin(settings)  # the first requests leave now, answered while Textual loads
        try:
            from rtdash.ui.app import run_dashboard
        except ModuleNotFoundError as exc:
            if not (exc.name or "").startswith("rtdash"):
                raise
            raise Failure(f"{PROG}: the dashboard is not available in this build") from None
        from rtdash.config import ConfigError

        try:
            return run_dashboard(settings, demo=getattr(args, "demo", False), record=record)
        except ConfigError as exc:  # a theme or keymap the app cannot use
            raise UsageError(f"{PROG}: {exc}") from None
    finally:
        resume_collection()


def _uses_https(settings: Settings) -> bool:
    """Whether any installation is reached over https (so the CA bundle is needed);
    True when that cannot be told here (the app will say what is wrong)."""
    from rtdash.config import ConfigError

    if settings.hub.view:
        return True
    try:
        installations = settings.installations()
    except ConfigError:
        return True
    return any(not item.connection.base_url.startswith("http://") for item in installations)


def _head_start_wanted(settings: Settings, args: argparse.Namespace) -> bool:
    """The dashboard's first requests are sent before the app is imported when it will
    poll them itself, on a terminal (or textual-serve's driver): not for the demo (its
    simulator starts inside the app), a hub viewer, or an in-process caller."""
    if getattr(args, "demo", False) or settings.hub.view:
        return False
    stdout = sys.__stdout__
    on_terminal = stdout is not None and stdout.isatty()
    return on_terminal or bool(os.environ.get("TEXTUAL_DRIVER"))


def _check_hub_viewer(settings: Settings, args: argparse.Namespace) -> None:
    if settings.hub.view:  # rtdash.cli.hub only in hub mode: off the start-up path
        from rtdash.cli.hub import check_viewer

        check_viewer(settings, demo=getattr(args, "demo", False))


def _serve_command(args: argparse.Namespace, words: list[str]) -> int:
    """Flags and config are checked once here, not in every browser tab; the words the
    dashboard was given are passed on as typed (``dashboard_words``)."""
    _start_logging(args, tui=False)
    public_url = public_url_flag(args.public_url)
    settings = load_run_settings(args)
    _check_hub_viewer(settings, args)
    refuse_igrp_outside_demo(args, settings, f"{PROG} serve")
    from rtdash.cli.serve import dashboard_words, serve

    problem = _nothing_to_serve(settings, args)
    if problem:
        raise UsageError(f"{PROG} serve: {problem}")
    return serve(
        dashboard_words(words),
        host=args.host,
        port=args.port,
        public_url=public_url,
        max_sessions=settings.serve.max_sessions,
    )


def _nothing_to_serve(settings: Settings, args: argparse.Namespace) -> str | None:
    """Why a served page would show only the welcome screen (which offers the demo and
    setup to whoever walks up to the TV), or None when there is live data to show: the
    demo, a hub to read from (``--hub``, when this build has it), or an installation
    id with credentials for every installation."""
    if getattr(args, "demo", False) or settings.hub.view:
        return None
    from rtdash.config import ConfigError

    try:
        installations = settings.installations()
    except ConfigError as exc:
        return str(exc)
    for installation in installations:
        connection = installation.connection
        if connection.igrp is None or not connection.credentials().usable:
            return (
                "nothing to serve: no installation id and credentials (set RTDASH_USERNAME "
                "and RTDASH_PASSWORD or RTDASH_API_KEY, and --igrp), or --demo"
            )
    return None


def _refuse_without_keyboard() -> None:
    """stdin at end of file (``</dev/null``) is a hang-up: said before the screen is
    taken over (Textual's input thread would spin on it); the app watches for it
    happening later (:mod:`rtdash.ui.stdin_watch`)."""
    from rtdash.ui.stdin_watch import HANGUP_EXIT, stdin_gone

    if sys.__stdin__ is None or os.environ.get("TEXTUAL_DRIVER"):
        return  # textual-serve's web driver feeds the app through its own pipe
    why = stdin_gone(sys.__stdin__.fileno())
    if why:
        raise Hangup(f"{PROG}: {why}: the dashboard reads keys from a terminal", HANGUP_EXIT)


def _replay_command(args: argparse.Namespace) -> int:
    from rtdash.config import ConfigError, load_settings
    from rtdash.core.recording import RecordingError
    from rtdash.core.replay import Player, Recording

    try:
        settings = load_settings(getattr(args, "config", None))
    except ConfigError as exc:
        raise UsageError(f"{PROG}: {exc}") from None
    if not MIN_SPEED <= args.speed <= MAX_SPEED:
        raise UsageError(
            f"{PROG} replay: --speed must be between {MIN_SPEED:g} and {MAX_SPEED:g}"
            + help_hint("replay")
        )
    try:
        recording = Recording.load(args.file)
    except (RecordingError, OSError, ValueError) as exc:
        missing = not Path(args.file).exists()
        hint = _per_installation(Path(args.file)) if missing else ""
        said = _one_line(exc)
        where = "" if str(args.file) in said else f"{args.file}: "  # named once
        raise UsageError(f"{PROG} replay: {where}{said}{hint}") from None
    _refuse_without_keyboard()
    refuse_terminal_without_marks()
    from rtdash.ui.app import run_replay

    player = Player(recording, speed=args.speed, paused=args.paused)
    try:
        return run_replay(player, settings=settings)
    except ConfigError as exc:
        raise UsageError(f"{PROG}: {exc}") from None


def _per_installation(path: Path) -> str:
    """A recording of several installations is one file each (``FILE-<igrp>``): name
    them when the file asked for is not there but they are."""
    import glob  # a replay's error only: not on the dashboard's start

    base, suffixes = recording_name_parts(path)
    found = sorted(str(p) for p in path.parent.glob(f"{glob.escape(base)}-*{suffixes}"))
    if not found:
        return ""
    return f"; recorded one file per installation: {', '.join(found)}"


def _one_line(exc: BaseException) -> str:
    text = getattr(exc, "strerror", None) or str(exc)
    return " ".join(text.split())


def _start_logging(args: argparse.Namespace, *, tui: bool) -> None:
    """The log file always; stderr as well only for a scriptable command run with
    ``--log-level debug`` or ``info``, so a script's stderr stays one line per problem."""
    from rtdash import logs

    level = getattr(args, "log_level", "warning")
    to_stderr = not tui and level in ("debug", "info")
    logs.setup_logging(level, to_stderr=to_stderr)
    if to_stderr and logs.file_error:
        say(f"{PROG}: warning: {logs.file_error}")
