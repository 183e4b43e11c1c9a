"""``rtdash doctor``: check the set-up end to end, and what the service really sends.

One line per check, ``<mark> name: detail``, with indented notes under it where there
is more to say:

* ``✔`` passed; ``⚠`` works, with a limit worth knowing (no PII permission, fields the
  mapping does not read); ``✖`` failed; ``–`` skipped because an earlier check failed
  or there was nothing to check.

The checks, in order: the config file; the credentials (their kind and where they came
from, never their value); that the base URL's host accepts a TCP connection; each Real
Time route (status, rows, unreadable rows); then, for the rows each route returned, a
comparison with the field mapping: keys seen that nothing maps, mapped fields that never
appeared, and state values the value tables do not know. When the call or user state
field is missing and another key's values look like states, a ``[mapping]`` snippet is
suggested, so someone with a real account can fix the mapping without reading code.

Nothing a row holds is printed except key names and the values of state fields, so a
report can be pasted into a support ticket.

Exit codes: 0 no check failed (warnings allowed); 1 an upstream check failed, including
a mapping that leaves rows unreadable (the dashboard would show nothing); 2 the config
file, the installation id or the credentials are unusable.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import sys
import time
import urllib.request
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, TypeVar
from urllib.parse import urlsplit

from rtdash.api import errors, values
from rtdash.api.mapping import CUSTOM_PREFIXES, FieldMapping, pick

if TYPE_CHECKING:
    from rtdash.api.client import FetchResult, InfinityClient
    from rtdash.config import Settings

T = TypeVar("T")

OK, WARNING, FAILED, SKIPPED = "ok", "warning", "failed", "skipped"
MARKS = {OK: "✔", WARNING: "⚠", FAILED: "✖", SKIPPED: "–"}

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2

#: fields a row cannot be read without (``user_id`` falls back as parse_user does)
REQUIRED: dict[str, tuple[tuple[str, ...], ...]] = {
    "call": (("call_ref",), ("state",)),
    "user": (("user_id", "operator_ref", "extension"), ("state",)),
    "caller": (),
}
BASIC_CALLER_FIELDS = ("igrp", "dgrp", "txr")

#: words that betray a state value, tried in order (``unavailable`` before ``available``)
STATE_HINTS: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "call": (
        ("ringing", ("ring", "alert", "offer")),
        ("queueing", ("queue", "queuing", "wait", "hold")),
        ("bridged", ("bridg", "talk", "answer", "connect", "speak")),
    ),
    "user": (
        ("unavailable", ("unavail", "busy", "away", "off", "dnd", "break", "lunch", "pause")),
        ("available", ("avail", "idle", "ready", "online", "free")),
    ),
}
_FLAG_VALUES = frozenset({"0", "1", "true", "false", "yes", "no", ""})
_MAX_VALUES = 10


# --- the report -----------------------------------------------------------------------


@dataclass
class Check:
    name: str
    status: str
    detail: str
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [f"{MARKS[self.status]} {self.name}: {self.detail}"] + [
            f"    {note}" for note in self.notes
        ]

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "status": self.status,
            "detail": self.detail,
            **({"notes": self.notes} if self.notes else {}),
        }


@dataclass
class FieldComparison:
    """What one route's rows held, against the mapping's aliases for that row kind."""

    kind: str
    rows: int
    keys: list[str]
    #: keys present in rows that no alias covers (custom pt_*/c_* keys excluded)
    unmapped: list[str]
    #: logical fields none of whose aliases appeared in any row
    never_seen: list[str]
    #: logical fields a row cannot be read without, never seen
    required_missing: list[str]
    #: values of the state field that the mapping's value table does not know
    unknown_values: list[str]
    #: rows where the state field is absent or empty (an upstream gap, not the mapping)
    stateless: int
    #: config key -> value for a ``[mapping]`` snippet (a field name, or a value table)
    suggestion: dict[str, Any]
    #: why the suggestion: "callPhase looks like the call state (values: …)"
    reasons: list[str]
    basic: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "unmapped": self.unmapped,
            "never_seen": self.never_seen,
            "required_missing": self.required_missing,
            "unknown_state_values": self.unknown_values,
            "rows_without_state": self.stateless,
        }


class Report:
    """Checks in order; printed as they are made (``stream``), or as JSON at the end."""

    def __init__(self, stream: TextIO | None) -> None:
        self.checks: list[Check] = []
        self.fields: dict[str, FieldComparison] = {}
        self.suggested: dict[str, Any] = {}
        self.usage = False
        self._stream = stream

    def add(self, check: Check) -> Check:
        self.checks.append(check)
        if self._stream is not None:
            print("\n".join(check.lines()), file=self._stream, flush=True)
        return check

    @property
    def exit_code(self) -> int:
        if self.usage:
            return EXIT_USAGE
        return EXIT_FAILURE if any(c.status == FAILED for c in self.checks) else EXIT_OK

    def summary(self) -> str:
        failed = sum(c.status == FAILED for c in self.checks)
        warned = sum(c.status == WARNING for c in self.checks)
        if not failed and not warned:
            return f"all {len(self.checks)} checks passed"
        parts = []
        if failed:
            parts.append(_plural(failed, "check") + " failed")
        if warned:
            parts.append(_plural(warned, "warning"))
        return ", ".join(parts)

    def to_json(self) -> dict[str, Any]:
        return {
            "exit_code": self.exit_code,
            "summary": self.summary(),
            "checks": [check.to_json() for check in self.checks],
            "fields": {kind: comp.to_json() for kind, comp in self.fields.items()},
            "suggested_mapping": self.suggested,
        }

    def finish(self, as_json: bool, out: TextIO) -> int:
        from rtdash.logs import log_path

        if as_json:
            report = {**self.to_json(), "log_file": str(log_path())}
            print(json.dumps(report, indent=2, ensure_ascii=False), file=out)
        else:
            print(f"\n{self.summary()}; log file: {log_path()}", file=out)
        return self.exit_code


# --- entry points ---------------------------------------------------------------------


def config_unusable(path: Path, problem: str, *, as_json: bool, out: TextIO | None = None) -> int:
    """The config file could not be read or validated: that one line, exit 2."""
    out = out or sys.stdout
    report = Report(None if as_json else out)
    report.usage = True
    report.add(Check("config file", FAILED, problem))
    return report.finish(as_json, out)


def run(
    settings: Settings,
    *,
    path: Path,
    as_json: bool,
    demo: bool = False,
    out: TextIO | None = None,
    env: Mapping[str, str] | None = None,
) -> int:
    """Run every check against ``settings`` (already pointed at the simulator when
    ``demo``); print the report; return the exit code."""
    out = out or sys.stdout
    env = os.environ if env is None else env
    report = Report(None if as_json else out)
    report.add(config_check(settings, path, demo=demo))
    report.add(credentials_check(settings, demo=demo, env=env))
    connection = settings.connection
    if connection.igrp is None:
        report.add(
            Check(
                "installation",
                FAILED,
                "no installation id: pass --igrp ID or set igrp under [connection] "
                "in the config file (or try --demo)",
            )
        )
    if report.exit_code != EXIT_OK:
        report.usage = True
        return report.finish(as_json, out)

    reachable = report.add(connect_check(connection.base_url, connection.igrp, connection.timeout))
    if reachable.status == FAILED:
        for name in ROUTE_CHECKS:
            report.add(Check(name, SKIPPED, "the base URL is unreachable"))
    else:
        asyncio.run(_upstream_checks(settings, report, path))
    return report.finish(as_json, out)


ROUTE_CHECKS = ("pbxActiveCalls", "pbxUserStatus", "activeCall")


# --- local checks ---------------------------------------------------------------------


def config_check(settings: Settings, path: Path, *, demo: bool = False) -> Check:
    if settings.source is None:
        why = "--demo supplies the connection" if demo else "defaults and the environment apply"
        return Check("config file", OK, f"none at {path} ({why})")
    overrides = len(settings.mapping)
    detail = f"{settings.source}: parsed"
    if overrides:
        detail += f", {_plural(overrides, '[mapping] override')}"
    if settings.warnings:
        return Check("config file", WARNING, detail + f"; {'; '.join(settings.warnings)}")
    return Check("config file", OK, detail)


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
    took = _ms(time.perf_counter() - started)
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
        return f"HTTP {self.status} in {_ms(self.seconds)}" if self.status else "answered"


async def _upstream_checks(settings: Settings, report: Report, path: Path) -> None:
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
        rejected = isinstance(calls.error, errors.AuthFailed)
        if rejected:
            users = _Call()
            report.add(Check("pbxUserStatus", SKIPPED, "the credentials were rejected"))
        else:
            users = await attempt(lambda: client.user_status(keep_raw=True))
            report.add(_rows_check("pbxUserStatus", users, settings, "user"))
            rejected = isinstance(users.error, errors.AuthFailed)
        caller_row = await _lookup_check(report, client, calls, settings, rejected, attempt)
    finally:
        await http.aclose()

    _fields_check(report, "call", calls.value.raw if calls.value else None, mapping, path)
    _fields_check(report, "user", users.value.raw if users.value else None, mapping, path)
    _fields_check(report, "caller", [caller_row] if caller_row else None, mapping, path)


def _rows_check(route: str, outcome: _Call, settings: Settings, kind: str) -> Check:
    if outcome.error is not None:
        return Check(route, FAILED, _explain(outcome.error, settings))
    result: FetchResult[Any] = outcome.value
    readable, unreadable = len(result.rows), result.unreadable
    detail = f"{outcome.said()}: {_plural(readable + unreadable, 'row')}"
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


# --- the field comparison -------------------------------------------------------------


def compare_fields(
    kind: str, rows: Iterable[Mapping[str, Any]], mapping: FieldMapping
) -> FieldComparison:
    """Compare rows of one kind (``call``, ``user``, ``caller``) with the mapping."""
    rows = [row for row in rows if isinstance(row, Mapping)]
    table: dict[str, list[str]] = getattr(mapping, kind)
    keys: set[str] = set()
    for row in rows:
        keys.update(row)
    if kind == "caller":
        keys = {key for key in keys if not key.startswith(CUSTOM_PREFIXES)}
    unmapped = sorted(keys - mapping.all_aliases(kind))
    seen = {name for name, aliases in table.items() if any(alias in keys for alias in aliases)}
    basic = kind == "caller" and not (seen - set(BASIC_CALLER_FIELDS))
    expected = list(BASIC_CALLER_FIELDS) if basic else list(table)
    never_seen = [name for name in expected if name not in seen]
    required_missing = [
        "/".join(group) for group in REQUIRED[kind] if not any(name in seen for name in group)
    ]

    suggestion: dict[str, Any] = {}
    reasons: list[str] = []
    unknown: list[str] = []
    stateless = 0
    if kind in STATE_HINTS:
        known = mapping.call_state_values if kind == "call" else mapping.user_state_values
        if "state" in seen:
            states = [values.text(pick(row, table["state"])) for row in rows]
            unknown = _distinct(v for v in states if v is not None and v.lower() not in known)
            stateless = states.count(None)
            guesses = {v: _guess_state(kind, v) for v in unknown}
            guessed = {v: s for v, s in guesses.items() if s is not None}
            if guessed:
                suggestion[f"{kind}_state_values"] = guessed
                reasons.append(f"{kind} state values read as: " + _pairs(guessed))
        else:
            candidate = _state_candidate(kind, rows, unmapped, known)
            if candidate is not None:
                key, seen_values, guessed = candidate
                suggestion[f"{kind}_state"] = key
                reasons.append(
                    f"{key} looks like the {kind} state (values: {', '.join(seen_values)})"
                )
                if guessed:
                    suggestion[f"{kind}_state_values"] = guessed
    if kind == "user" and "dashboard" not in seen:
        flag_key = _flag_candidate(rows, unmapped)
        if flag_key is not None:
            suggestion["user_dashboard"] = flag_key
            reasons.append(f"{flag_key} looks like the dashboard flag (values are 0/1 flags)")
    return FieldComparison(
        kind=kind,
        rows=len(rows),
        keys=sorted(keys),
        unmapped=unmapped,
        never_seen=never_seen,
        required_missing=required_missing,
        unknown_values=unknown[:_MAX_VALUES],
        stateless=stateless,
        suggestion=suggestion,
        reasons=reasons,
        basic=basic,
    )


def _state_candidate(
    kind: str, rows: list[Mapping[str, Any]], unmapped: list[str], known: Mapping[str, str]
) -> tuple[str, list[str], dict[str, str]] | None:
    """The unmapped key whose values read best as states: (key, values, guesses for the
    values the table does not know). At least four in five values must read as one."""
    best: tuple[float, int, str] | None = None
    for key in unmapped:
        texts = [values.text(row.get(key)) for row in rows if key in row]
        words = [t.lower() for t in texts if t is not None]
        if not words or set(words) <= _FLAG_VALUES:
            continue
        states = [known.get(w) or _guess_state(kind, w) for w in words]
        share = sum(s is not None for s in states) / len(words)
        score = (share, len({s for s in states if s}), key)
        if share >= 0.8 and (best is None or score[:2] > best[:2]):
            best = score
    if best is None:
        return None
    key = best[2]
    seen_values = _distinct(
        t for row in rows if key in row and (t := values.text(row.get(key))) is not None
    )
    guessed = {
        value: state
        for value in seen_values
        if value.lower() not in known and (state := _guess_state(kind, value)) is not None
    }
    return key, seen_values[:_MAX_VALUES], guessed


def _flag_candidate(rows: list[Mapping[str, Any]], unmapped: list[str]) -> str | None:
    """The unmapped key that reads as the dashboard flag: every value a flag, some set.
    A name that says so (dash, board, wall) wins; otherwise only a lone flag is named."""
    flags = []
    for key in unmapped:
        words = [str(row[key]).strip().lower() for row in rows if key in row]
        if words and set(words) <= _FLAG_VALUES and {"1", "true", "yes"} & set(words):
            flags.append(key)
    named = [key for key in flags if any(h in key.lower() for h in ("dash", "board", "wall"))]
    if len(named) == 1:
        return named[0]
    return flags[0] if len(flags) == 1 and not named else None


def _guess_state(kind: str, value: str) -> str | None:
    lowered = value.lower()
    for state, hints in STATE_HINTS[kind]:
        if any(hint in lowered for hint in hints):
            return state
    return None


def _fields_check(
    report: Report,
    kind: str,
    rows: list[dict[str, Any]] | None,
    mapping: FieldMapping,
    path: Path,
) -> None:
    name = f"{kind} fields"
    source = {"call": "pbxActiveCalls", "user": "pbxUserStatus", "caller": "activeCall"}[kind]
    if rows is None:
        report.add(Check(name, SKIPPED, f"no {source} answer to compare"))
        return
    if not rows:
        report.add(Check(name, SKIPPED, f"{source} sent no rows to compare"))
        return
    comp = compare_fields(kind, rows, mapping)
    report.fields[kind] = comp
    report.suggested.update(comp.suggestion)
    table: dict[str, list[str]] = getattr(mapping, kind)

    notes: list[str] = []
    if comp.basic:
        notes.append("basic mode: only igrp, dgrp and txr are expected")
    if comp.unmapped:
        notes.append("seen but not mapped: " + ", ".join(comp.unmapped))
    if comp.never_seen:
        described = [
            f"{field_name} ({kind}_{field_name}: {' | '.join(table[field_name])})"
            for field_name in comp.never_seen
        ]
        notes.append("mapped but never seen: " + "; ".join(described))
    if comp.unknown_values:
        notes.append(
            f"{kind} state values the mapping does not know: " + ", ".join(comp.unknown_values)
        )
    if comp.stateless:
        notes.append(
            f"{_plural(comp.stateless, 'row')} had no {kind} state value (skipped as unreadable)"
        )
    notes.extend(comp.reasons)
    if comp.suggestion:
        notes.append(f"suggested [mapping] for {path}:")
        notes.append("  [mapping]")
        notes.extend(f"  {line}" for line in mapping_snippet(comp.suggestion))
    elif comp.required_missing:
        notes.append(f"map the field under [mapping] in {path} (see `rtdash config example`)")
    elif comp.unknown_values:
        notes.append(
            f'map the values with {kind}_state_values = {{ value = "state" }} under '
            f"[mapping] in {path}"
        )

    counts = (
        f"{_plural(comp.rows, 'row')}, {_plural(len(comp.keys), 'key')}: "
        f"{len(comp.unmapped)} seen that nothing maps, "
        f"{len(comp.never_seen)} mapped but never seen"
    )
    if comp.required_missing or comp.unknown_values:
        what = comp.required_missing and f"no {', '.join(comp.required_missing)} field"
        what = what or "unknown state values"
        report.add(Check(name, FAILED, f"{counts}; {what}: rows cannot be read", notes))
    elif comp.unmapped or comp.never_seen or comp.stateless:
        report.add(Check(name, WARNING, counts, notes))
    else:
        report.add(
            Check(
                name,
                OK,
                f"{_plural(comp.rows, 'row')}: every key is mapped and every mapped field appeared",
                notes,
            )
        )


# --- small helpers --------------------------------------------------------------------


def _distinct(items: Iterable[str]) -> list[str]:
    return sorted(set(items), key=str.lower)


def mapping_snippet(suggestion: Mapping[str, Any]) -> list[str]:
    """``key = value`` TOML lines for a ``[mapping]`` section."""
    return [
        f"{key} = {_inline_table(value) if isinstance(value, Mapping) else json.dumps(value)}"
        for key, value in suggestion.items()
    ]


def _inline_table(pairs: Mapping[str, str]) -> str:
    body = ", ".join(f"{_toml_key(raw)} = {json.dumps(state)}" for raw, state in pairs.items())
    return "{ " + body + " }"


def _toml_key(key: str) -> str:
    bare = key and all(ch.isascii() and (ch.isalnum() or ch in "-_") for ch in key)
    return key if bare else json.dumps(key)


def _pairs(pairs: Mapping[str, str]) -> str:
    return ", ".join(f"{raw} → {state}" for raw, state in pairs.items())


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"
