"""``calls``, ``users`` and ``lookup``: one request each, printed as a table or JSON (a
lookup's listing may read the users too, to name who answered)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

from rtdash.api.errors import ApiError, PermissionDenied
from rtdash.cli.common import EXIT_FAILURE, EXIT_OK, PROG, Failure, UsageError, say
from rtdash.cli.flags import register_secrets
from rtdash.cli.render import calls_table, describe, lookup_listing, users_table
from rtdash.core.credentials import missing_credentials

if TYPE_CHECKING:
    from rtdash.api.client import FetchResult, InfinityClient
    from rtdash.api.models import ActiveCall, CallerDetails, PbxUser
    from rtdash.config import Settings
    from rtdash.core.agents import OnCall
    from rtdash.core.phone import LookupQuery

T = TypeVar("T")


def require_connection(settings: Settings) -> None:
    """Say how to fix a missing installation id or credentials before any request."""
    connection = settings.connection
    if connection.igrp is None:
        raise UsageError(
            f"{PROG}: no installation id: pass --igrp ID or set igrp under [connection] "
            "in the config file (or try --demo)"
        )
    missing = missing_credentials(
        username=bool(connection.username),
        password=bool(connection.password),
        api_key=bool(connection.api_key),
    )
    if missing:
        raise UsageError(f"{PROG}: {missing} (or try --demo to use the built-in simulator)")


@contextmanager
def connected(settings: Settings, *, demo: bool, keep_igrp: bool = False) -> Iterator[None]:
    """Point the settings at a live service: the configured one, or a fresh simulator.

    ``keep_igrp``: an ``--igrp`` flag picks the simulator's installation (5678 is the
    basic-mode one); an igrp from the config file is the real account's, so it is not.
    """
    if not demo:
        require_connection(settings)
        yield
        return
    with demo_simulator(settings, keep_igrp=keep_igrp):
        yield


@contextmanager
def demo_simulator(settings: Settings, *, keep_igrp: bool) -> Iterator[Any]:
    """Start the simulator on an ephemeral loopback port and use its demo account.

    Its clock starts at the real now so times in state read true against the wall
    clock; the simulator is imported here only, never on the normal path.
    """
    from rtdash.api.credentials import Secret
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
        connection.password = Secret(sim.password)
        connection.api_key = None
        register_secrets(settings)
        yield sim
    finally:
        sim.stop()


# --- data commands --------------------------------------------------------------------


def _client(settings: Settings) -> InfinityClient:
    from rtdash.connect import client_for

    # _require_connection or --demo saw to the installation id
    return client_for(settings.connection, settings.field_mapping())


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


def calls_command(args: argparse.Namespace, settings: Settings) -> int:
    from rtdash.api.models import parse_call
    from rtdash.core.snapshot import CallsSnapshot

    exclude_pii = settings.connection.exclude_pii
    result = _fetch(settings, lambda c: c.active_calls(exclude_pii=exclude_pii, keep_raw=True))
    calls = CallsSnapshot.build(result.rows, result.fetched_at, result.unreadable).calls
    if args.json:
        _print_json([call.to_json() for call in calls])
    elif args.csv:
        from rtdash.core.export import calls_csv

        sys.stdout.write(calls_csv(calls, result.fetched_at, exclude_pii))
    elif calls:
        print(
            calls_table(calls, result.fetched_at, pii_excluded=exclude_pii, width=_terminal_width())
        )
    elif not result.unreadable:
        print("no active calls")
    return _report_unreadable(
        result, "call", lambda raw: parse_call(raw, *_mapping_and_zone(settings))
    )


def users_command(args: argparse.Namespace, settings: Settings) -> int:
    from rtdash.api.models import parse_user
    from rtdash.core.snapshot import UsersSnapshot

    # the JSON is the API's rows; the table and CSV say each agent's state in the
    # dashboard's words, for which the calls are asked too (who is talking)
    asks_calls = not args.json
    result, on_call = _fetch(settings, lambda c: _users_and_talkers(c, asks_calls))
    users = UsersSnapshot.build(result.rows, result.fetched_at, result.unreadable).visible(
        show_all=args.all
    )
    if args.json:
        _print_json([user.to_json() for user in users])
    elif args.csv:
        from rtdash.core.export import users_csv

        sys.stdout.write(users_csv(users, result.fetched_at, on_call))
    elif users:
        zone = _zone(settings)
        print(
            users_table(
                users,
                result.fetched_at,
                zone,
                on_call,
                show_dashboard=args.all,
                width=_terminal_width(),
            )
        )
    elif not result.unreadable:
        print("no users" if args.all else "no dashboard users (--all shows every user)")
    return _report_unreadable(
        result, "user", lambda raw: parse_user(raw, *_mapping_and_zone(settings))
    )


def _terminal_width() -> int | None:
    """The terminal's width when stdout is one (a table wider than it wraps mid-word);
    None when the table goes to a file or a pipe, which take it whole."""
    if not sys.stdout.isatty():
        return None
    import shutil

    return shutil.get_terminal_size().columns


async def _users_and_talkers(
    client: InfinityClient, asks_calls: bool
) -> tuple[FetchResult[PbxUser], OnCall | None]:
    """The users, and who is talking (None when the calls are not asked for or cannot
    be had, none of their rows readable included: an unavailable agent then reads as
    unavailable, as on a dashboard without calls, not as away)."""
    from rtdash.core.agents import OnCall

    users = await client.user_status(keep_raw=True)
    if not asks_calls:
        return users, None
    try:
        calls = await client.active_calls(exclude_pii=True)
    except ApiError:
        return users, None
    if calls.unreadable and not calls.rows:
        return users, None
    return users, OnCall.from_calls(calls.rows)


def lookup_command(args: argparse.Namespace, settings: Settings, query: LookupQuery) -> int:
    named = not args.json  # the JSON is the route's own row: no name is added to it
    try:
        asked, details, name = _fetch(settings, lambda c: _look_up(c, query, named=named))
    except Failure as exc:
        if isinstance(exc.error, PermissionDenied):
            raise Failure(
                f"{exc}; caller lookup needs the PII permission on this account"
            ) from None
        raise
    if args.json:
        _print_json([details.to_json()] if details else [])
    elif details:
        print(lookup_listing(details, asked, _zone(settings), name))
    if details is None:
        # "no call matches call reference …" would say "call" twice
        what = describe(query) if query.call_ref is None else f"reference {query.call_ref!r}"
        raise Failure(f"{PROG} lookup: no call matches {what} in the last 24 hours")
    return EXIT_OK


async def _look_up(
    client: InfinityClient, query: LookupQuery, *, named: bool
) -> tuple[LookupQuery, CallerDetails | None, str | None]:
    """The caller's details, the query that found them, and (``named``) the name of who
    answered (see :mod:`rtdash.cli.who_answered`).

    The upstream matches ``callRef`` exactly, while people type a reference as they read
    it ("C-0001" for ``c-0001``). The live calls are read only after the reference as
    typed found nothing, not before every lookup: a reference copied from ``rtdash
    calls`` or the dashboard is found by one request, as before, and only a miss pays
    for reading every live call (and for asking again, in the live call's spelling).
    A number is never respelled, so it never costs that read.
    """
    details = await client.caller_details(call_ref=query.call_ref, src_number=query.number)
    live: FetchResult[ActiveCall] | None = None
    if details is None and query.call_ref is not None:
        respelled, live = await _spelled_as_live(client, query)
        if respelled != query:
            query = respelled
            details = await client.caller_details(call_ref=respelled.call_ref)
    if details is None or not named:
        return query, details, None
    from rtdash.cli.who_answered import name_of_who_answered

    # the live calls read for the spelling are read again for no name
    return query, details, await name_of_who_answered(client, details, query.call_ref, live)


async def _spelled_as_live(
    client: InfinityClient, query: LookupQuery
) -> tuple[LookupQuery, FetchResult[ActiveCall] | None]:
    """``query`` in a live call's spelling, or as typed when the live calls cannot be
    read: that read only helps, so its failure must not replace the lookup's own answer
    ("no call matches") with an error about a route the user did not ask for. And the
    live calls read, or None."""
    from rtdash.core.phone import spelled_as_live

    try:
        # only the references are wanted: the callers' numbers are not asked for
        calls = await client.active_calls(exclude_pii=True)
    except ApiError:
        return query, None
    return spelled_as_live(query, (call.call_ref for call in calls.rows)), calls


def lookup_target(args: argparse.Namespace) -> None:
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


def lookup_query(args: argparse.Namespace, settings: Settings) -> LookupQuery:
    """``--call-ref`` is taken as typed; the positional reads a number or a reference.

    Checked before any connection: a lookup that can never match, or may not be made,
    should not need an account or a round trip to say so."""
    from rtdash.constants import EXAMPLE_CALL_REF
    from rtdash.core.phone import InvalidLookup, LookupQuery, parse_lookup

    if settings.connection.exclude_pii:
        # the TUI turns lookup off in the same case: the answer is the caller's own data
        raise UsageError(
            f"{PROG} lookup: the answer is a caller's personal data, which is excluded "
            "here (--exclude-pii, or exclude_pii under [connection] in the config)"
        )
    if getattr(args, "call_ref", None) is not None:
        ref = args.call_ref.strip()
        if not ref or any(ch.isspace() for ch in ref):
            raise UsageError(
                f"{PROG} lookup: --call-ref needs a reference without spaces, "
                f"e.g. {EXAMPLE_CALL_REF}"
            )
        return LookupQuery(call_ref=ref)
    try:
        return parse_lookup(args.number, settings.connection.default_region)
    except InvalidLookup as exc:
        raise UsageError(f"{PROG} lookup: {exc}") from None


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
    # one reason, re-read from the first row refused: with several, said as the first's
    # (the others may fail for reasons of their own)
    why = f" ({'the first: ' if result.unreadable > 1 else ''}{reason})" if reason else ""
    hint = (
        "if your service names or spells a field differently, map it under [mapping] "
        "in the config (see `rtdash config example`)"
    )
    if result.rows:
        say(f"{PROG}: warning: {result.unreadable} of {total} {kind} rows unreadable{why}")
        return EXIT_OK
    if result.gap:  # the mapping names keys no row carries: say which, and what they carry
        why = f": {result.gap}"
        hint = f"correct [mapping] in the config (`{PROG} doctor` suggests a mapping)"
    say(f"{PROG}: none of the {total} {kind} rows could be read{why}; {hint}")
    return EXIT_FAILURE


def _first_reason(raw_rows: list[dict[str, Any]], parse: Callable[[dict[str, Any]], Any]) -> str:
    """Why the first unreadable row was refused, re-read from the kept raw rows."""
    for raw in raw_rows:
        try:
            parse(raw)
        except ValueError as exc:
            return str(exc)
    return "not a JSON object"


def _print_json(rows: list[dict[str, Any]]) -> None:
    print(json.dumps(rows, indent=2, ensure_ascii=False))
