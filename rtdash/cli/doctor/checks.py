"""The checks, in order: the config file; the credentials (their kind and where they
came from, never their value); that the base URL's host accepts a TCP connection; each
Real Time route (status, rows, unreadable rows); then the field checks
(:mod:`rtdash.cli.doctor.suggest`) on the rows each route returned.
"""

from __future__ import annotations

import os
import socket
import time
import urllib.request
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

from rtdash.api import errors, values
from rtdash.api.mapping import FieldMapping, pick
from rtdash.cli.doctor.report import FAILED, OK, SKIPPED, WARNING, Check, Report, ms, plural
from rtdash.cli.doctor.suggest import fields_check

if TYPE_CHECKING:
    from rtdash.api.client import FetchResult, InfinityClient
    from rtdash.config import Settings

T = TypeVar("T")

ROUTE_CHECKS = ("pbxActiveCalls", "pbxUserStatus", "activeCall")


# --- local checks ---------------------------------------------------------------------


def config_check(settings: Settings, path: Path, *, demo: bool = False) -> Check:
    if settings.source is None:
        why = "--demo supplies the connection" if demo else "defaults and the environment apply"
        return Check("config file", OK, f"none at {path} ({why})")
    problem = _dashboard_refuses(settings)
    if problem:
        return Check("config file", FAILED, problem)
    overrides = len(settings.mapping)
    detail = f"{settings.source}: parsed"
    if overrides:
        detail += f", {plural(overrides, '[mapping] override')}"
    if settings.warnings:
        return Check("config file", WARNING, detail + f"; {'; '.join(settings.warnings)}")
    return Check("config file", OK, detail)


def _dashboard_refuses(settings: Settings) -> str | None:
    """The dashboard's own start-up check of the theme and keymap, in its words: a file
    that parses but that the dashboard refuses must not pass here."""
    from rtdash.config import ConfigError
    from rtdash.ui.ui_settings import check_ui_settings  # the themes: Textual's

    try:
        check_ui_settings(settings)
    except ConfigError as exc:
        return str(exc)
    return None


def credentials_check(
    settings: Settings, *, demo: bool = False, env: Mapping[str, str] | None = None
) -> Check:
    """Which kind of credentials and where from; never a secret's value."""
    from rtdash.config import ENV_API_KEY, ENV_PASSWORD

    env = os.environ if env is None else env
    connection = settings.connection
    v21 = connection.base_url.rstrip("/").endswith("/v2.1")
    if demo:
        return Check("credentials", OK, f"Basic for user {connection.username} (the demo account)")
    if connection.api_key is not None:
        source = f"from {ENV_API_KEY}" if env.get(ENV_API_KEY) else "from the config file"
        check = Check("credentials", OK, f"API key ({source})")
        if connection.username or connection.password:
            check.notes.append("a username/password is set too; the API key is the one used")
        return check
    if connection.username and connection.password is not None:
        source = (
            f"password from {ENV_PASSWORD}" if env.get(ENV_PASSWORD) else "from the config file"
        )
        detail = f"Basic for user {connection.username} ({source})"
        if v21:
            return Check(
                "credentials",
                WARNING,
                detail + "; but /reports/v2.1 takes an API key only: set RTDASH_API_KEY "
                "or use the /reports/v2 base URL",
            )
        return Check("credentials", OK, detail)
    if connection.username:
        return Check(
            "credentials",
            FAILED,
            f"user {connection.username} but no password: set RTDASH_PASSWORD "
            "(or RTDASH_API_KEY instead)",
        )
    return Check(
        "credentials",
        FAILED,
        "none: set RTDASH_USERNAME and RTDASH_PASSWORD, or RTDASH_API_KEY "
        "(or try --demo to use the built-in simulator)",
    )


def connect_check(base_url: str, igrp: int | None, timeout: float) -> Check:
    """A TCP connection to the base URL's host (or to the proxy the environment names,
    as httpx would use)."""
    url = urlsplit(base_url)
    host = url.hostname or ""
    port = url.port or (443 if url.scheme == "https" else 80)
    target, via = (host, port), ""
    proxy = _proxy_for(url.scheme, host)
    if proxy is not None:
        proxy_url = urlsplit(proxy)
        target = (proxy_url.hostname or "", proxy_url.port or 80)
        via = f" via the proxy {target[0]}:{target[1]}"
    limit = min(timeout, 5.0)
    started = time.perf_counter()
    try:
        with socket.create_connection(target, timeout=limit):
            pass
    except socket.gaierror:
        return Check("base URL", FAILED, f"{base_url}: cannot resolve {target[0]}")
    except TimeoutError:
        return Check(
            "base URL",
            FAILED,
            f"{base_url}: no answer from {target[0]}:{target[1]}{via} in {limit:g} s",
        )
    except OSError as exc:
        why = (exc.strerror or type(exc).__name__).lower()
        return Check(
            "base URL",
            FAILED,
            f"{base_url}: cannot connect to {target[0]}:{target[1]}{via} ({why})",
        )
    took = ms(time.perf_counter() - started)
    return Check(
        "base URL", OK, f"{base_url} reachable{via} (connected in {took}); installation {igrp}"
    )


def _proxy_for(scheme: str, host: str) -> str | None:
    proxies = urllib.request.getproxies_environment()
    proxy = proxies.get(scheme) or proxies.get("all")
    # public in urllib.request but missing from typeshed's stub
    bypass = urllib.request.proxy_bypass_environment  # type: ignore[attr-defined]
    if not proxy or bypass(host, proxies):
        return None
    return proxy


# --- upstream checks ------------------------------------------------------------------


@dataclass
class _Call:
    """One request's outcome: the value, or the error; its status and time."""

    value: Any = None
    error: errors.ApiError | None = None
    status: int | None = None
    seconds: float = 0.0

    def said(self) -> str:
        return f"HTTP {self.status} in {ms(self.seconds)}" if self.status else "answered"


async def upstream_checks(settings: Settings, report: Report, path: Path) -> None:
    import httpx

    from rtdash.api.client import InfinityClient

    connection = settings.connection
    mapping = settings.field_mapping()
    last_status: list[int] = []

    async def note_status(response: httpx.Response) -> None:
        last_status.append(response.status_code)

    http = httpx.AsyncClient(
        timeout=httpx.Timeout(connection.timeout, connect=min(connection.timeout, 5.0)),
        event_hooks={"response": [note_status]},
    )
    assert connection.igrp is not None
    client = InfinityClient(
        igrp=connection.igrp,
        credentials=connection.credentials(),
        base_url=connection.base_url,
        tz=connection.timezone,
        mapping=mapping,
        timeout=connection.timeout,
        http=http,
        allow_insecure_http=connection.allow_insecure_http,
        max_body=connection.max_body,
    )

    async def attempt(request: Callable[[], Awaitable[T]]) -> _Call:
        last_status.clear()
        started = time.perf_counter()
        outcome = _Call()
        try:
            outcome.value = await request()
        except errors.ApiError as exc:
            outcome.error = exc
        outcome.seconds = time.perf_counter() - started
        outcome.status = last_status[-1] if last_status else None
        return outcome

    try:
        calls = await attempt(
            lambda: client.active_calls(exclude_pii=connection.exclude_pii, keep_raw=True)
        )
        report.add(_rows_check("pbxActiveCalls", calls, settings, "call"))
        _note_readable(report, "call", calls)
        rejected = isinstance(calls.error, errors.AuthFailed)
        if rejected:
            users = _Call()
            report.add(Check("pbxUserStatus", SKIPPED, "the credentials were rejected"))
        else:
            users = await attempt(lambda: client.user_status(keep_raw=True))
            report.add(_rows_check("pbxUserStatus", users, settings, "user"))
            _note_readable(report, "user", users)
            rejected = isinstance(users.error, errors.AuthFailed)
        caller_row = await _lookup_check(report, client, calls, settings, rejected, attempt)
    finally:
        await http.aclose()

    fields_check(report, "call", calls.value.raw if calls.value else None, mapping, path)
    fields_check(report, "user", users.value.raw if users.value else None, mapping, path)
    fields_check(report, "caller", [caller_row] if caller_row else None, mapping, path)


def _note_readable(report: Report, kind: str, outcome: _Call) -> None:
    """Rows read, rows sent (and users on the dashboard), for ``--fix`` to compare."""
    if outcome.error is not None or outcome.value is None:
        return
    result: FetchResult[Any] = outcome.value
    rows = len(result.rows)
    on_dashboard = sum(1 for user in result.rows if user.dashboard) if kind == "user" else 0
    report.readable[kind] = (rows, rows + result.unreadable, on_dashboard)


def _rows_check(route: str, outcome: _Call, settings: Settings, kind: str) -> Check:
    if outcome.error is not None:
        return Check(route, FAILED, _explain(outcome.error, settings))
    result: FetchResult[Any] = outcome.value
    readable, unreadable = len(result.rows), result.unreadable
    detail = f"{outcome.said()}: {plural(readable + unreadable, 'row')}"
    if kind == "user" and readable:
        on_dashboard = sum(1 for user in result.rows if user.dashboard)
        detail += f" ({on_dashboard} on the dashboard)"
    if not unreadable:
        check = Check(route, OK, detail + ", none unreadable")
        if kind == "user" and readable and not any(user.dashboard for user in result.rows):
            check.status = WARNING
            check.notes.append(
                "no user carries the dashboard flag, so the dashboard's user panel will be "
                "empty (is the flag under another name? see user fields below)"
            )
        return check
    reason = _first_reason(result.raw, kind, settings)
    detail += f", {unreadable} unreadable ({reason})"
    return Check(route, WARNING if readable else FAILED, detail)


async def _lookup_check(
    report: Report,
    client: InfinityClient,
    calls: _Call,
    settings: Settings,
    rejected: bool,
    attempt: Callable[[Callable[[], Awaitable[Any]]], Awaitable[_Call]],
) -> dict[str, Any] | None:
    """Look up the first active call; returns the raw ``activeCall`` row, if any."""
    name = "activeCall"
    if rejected:
        report.add(Check(name, SKIPPED, "the credentials were rejected"))
        return None
    if settings.connection.exclude_pii:
        report.add(
            Check(name, SKIPPED, "personal data is excluded (exclude_pii), so lookups are off")
        )
        return None
    if calls.error is not None:
        report.add(Check(name, SKIPPED, "no call list to pick a call from"))
        return None
    ref = _first_call_ref(calls.value, client.mapping)
    if ref is None:
        report.add(Check(name, SKIPPED, "no active call to look up right now"))
        return None
    outcome = await attempt(lambda: _lookup_raw(client, ref))
    if isinstance(outcome.error, errors.PermissionDenied):
        report.add(
            Check(
                name,
                WARNING,
                f"no PII permission: lookups will be refused ({outcome.error})",
                ["the dashboard works without it; caller lookup needs the piiData permission"],
            )
        )
        return None
    if outcome.error is not None:
        report.add(Check(name, FAILED, _explain(outcome.error, settings)))
        return None
    row: dict[str, Any] | None = outcome.value
    if row is None:
        report.add(
            Check(
                name,
                OK,
                f"{outcome.said()}: no attribution for call {ref} (it may just have ended)",
            )
        )
        return None
    from rtdash.api.models import parse_caller

    details = parse_caller(row, client.mapping)
    mode = (
        "advanced mode"
        if details.mode == "advanced"
        else "basic mode (this installation reports igrp, dgrp and txr only)"
    )
    report.add(Check(name, OK, f"{outcome.said()}: call {ref}: {mode}"))
    return row


async def _lookup_raw(client: InfinityClient, ref: str) -> dict[str, Any] | None:
    """The raw ``activeCall`` row for a call reference, so its keys can be compared with
    the mapping (``caller_details`` returns the parsed row only). No rows, or a bare
    information string, is no match, as ``caller_details`` has it."""
    from rtdash.api.client import CALLER_LOOKUP

    decoded, _ = await client._get(CALLER_LOOKUP, [("callRef", ref)])
    return decoded.rows[0] if decoded.rows else None


def _first_call_ref(result: FetchResult[Any], mapping: FieldMapping) -> str | None:
    if result.rows:
        return str(result.rows[0].call_ref)
    for raw in result.raw:
        ref = values.text(pick(raw, mapping.call["call_ref"]))
        if ref:
            return ref
    return None


def _explain(error: errors.ApiError, settings: Settings) -> str:
    """The error's own sentence, plus what to do about it where that is clear."""
    connection = settings.connection
    if isinstance(error, errors.AuthFailed):
        if connection.api_key is not None:
            fix = "the API key was refused: check RTDASH_API_KEY (or api_key in the config)"
        else:
            fix = (
                f"the password for user {connection.username} was refused: check "
                "RTDASH_USERNAME and RTDASH_PASSWORD (or [connection] in the config)"
            )
        return f"{error}; {fix}"
    if isinstance(error, errors.NotFound):
        return f"{error}; check installation {connection.igrp} and the base URL"
    if isinstance(error, errors.PermissionDenied):
        return f"{error}; this account may not read the Real Time reports"
    return str(error)


def _first_reason(raw_rows: list[dict[str, Any]], kind: str, settings: Settings) -> str:
    from zoneinfo import ZoneInfo

    from rtdash.api.models import parse_call, parse_user

    parse = parse_call if kind == "call" else parse_user
    mapping, zone = settings.field_mapping(), ZoneInfo(settings.connection.timezone)
    for raw in raw_rows:
        try:
            parse(raw, mapping, zone)
        except ValueError as exc:
            return str(exc)
    return "not a JSON object"
