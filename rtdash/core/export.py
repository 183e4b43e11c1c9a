"""Export: the calls and users views as CSV (for a spreadsheet) and JSON (for a script).

:func:`export_views` writes four files named after the moment of export, e.g.
``rtdash-calls-20260501-101403.csv`` / ``.json`` and ``rtdash-users-….csv`` / ``.json``,
never over an existing file. CSV files are UTF-8 with a BOM so Excel reads accents
right, with a header row in the dashboard's words (:mod:`rtdash.core.labels`: "Caller",
"Line", "Agent"…), then computed columns ("In state (s)"; for calls "Wait (s)"; for
users "Agent state": on a call, available or away, as on screen) and "Other fields"
(unmapped upstream fields as JSON). A caller with no number to show is in the screen's
words too ("(withheld)", "(redacted)": :func:`~rtdash.core.format.caller_marker`), not
the service's ("anonymous"): a supervisor searching the sheet for what the dashboard
said finds it; a number stays in E.164, which a spreadsheet keeps as it is. JSON files
keep the API's camelCase names and values, for scripts: arrays of the same
``to_json()`` rows the CLI's ``--json`` prints (users with ``agentState`` added).
:func:`calls_csv` / :func:`users_csv` give the CSV as text, without a BOM and with
``\\n`` line ends, for the CLI's ``--csv``.

A text value that a spreadsheet would run as a formula (it starts with ``=``, ``+``,
``-``, ``@``, a tab or a CR) is prefixed with ``'``; only an exact E.164 phone number
(``+447700900123``) and numbers are written as they are, and a cell holding a line
break is quoted. The files are created owner-only (0600): they hold caller numbers.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
from collections.abc import Callable, Sequence
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from rtdash.api.models import ActiveCall, CallState, PbxUser, Row
from rtdash.api.sanitise import clean
from rtdash.core.agents import AgentState, OnCall, agent_state
from rtdash.core.format import caller_marker
from rtdash.core.labels import CALL_LABELS, USER_LABELS
from rtdash.core.metrics import seconds_since, wait_start
from rtdash.core.service_report import ServiceReport, ServiceStats

R = TypeVar("R", bound=Row)

#: a run of exports in one second gets -1, -2… after the time; give up after this many
MAX_SUFFIX = 999


class ExportError(Exception):
    """An export could not be written; the message is one line for the user."""


def _model_columns(model: type[Row]) -> tuple[tuple[str, str], ...]:
    return tuple((item.name, item.alias) for item in model.table if item.name != "extra")


_CALL_FIELDS = _model_columns(ActiveCall)
_USER_FIELDS = _model_columns(PbxUser)
#: where the caller's number is in a calls row
_CALLER = [name for name, _ in _CALL_FIELDS].index("src_number")


def _headers(fields: tuple[tuple[str, str], ...], labels: dict[str, str]) -> tuple[str, ...]:
    """The screen's word for each field (the API's name where the screen has none)."""
    return tuple(labels.get(name, alias) for name, alias in fields)


#: the CSV header of a calls export
CALL_COLUMNS: tuple[str, ...] = (
    *_headers(_CALL_FIELDS, CALL_LABELS),
    CALL_LABELS["in_state_seconds"],
    CALL_LABELS["wait"],
    CALL_LABELS["extra"],
)
#: the CSV header of a users export
USER_COLUMNS: tuple[str, ...] = (
    *_headers(_USER_FIELDS, USER_LABELS),
    USER_LABELS["in_state_seconds"],
    USER_LABELS["agent_state"],
    USER_LABELS["extra"],
)


# --- cells ----------------------------------------------------------------------------------


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, dict | list):
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":")) if value else ""
        return defuse_cell(clean(text))
    # rows are clean already; a value made elsewhere is cleaned too, so no cell holds a
    # bare CR (which csv would write unquoted with "\n" line ends)
    return defuse_cell(clean(str(value)))


def defuse_cell(text: str) -> str:
    """Keep a spreadsheet from running a text cell as a formula (every CSV rtdash
    writes, ``rtdash stats --csv`` too, goes through this one rule): ``+1-2`` or
    ``-1+cmd|' /C calc'!A0`` start with a digit after the sign too, so only an exact
    E.164 number keeps its ``+``."""
    if text and text[0] in _FORMULA_START and not _E164(text):
        return "'" + text
    return text


_FORMULA_START = frozenset("=+-@\t\r")
_E164 = re.compile(r"\+[1-9]\d{1,14}").fullmatch


def _seconds(start: datetime | None, now: datetime) -> str:
    age = seconds_since(start, now)
    return "" if age is None else str(int(age))


def call_cells(call: ActiveCall, now: datetime, pii_excluded: bool = False) -> list[str]:
    """One calls CSV row, in :data:`CALL_COLUMNS` order; ``pii_excluded`` as the
    dashboard's, so an empty number reads "(redacted)" where the screen says so."""
    cells = [_cell(getattr(call, name)) for name, _ in _CALL_FIELDS]
    marker = caller_marker(call.src_number, pii_excluded)
    if marker is not None:
        cells[_CALLER] = marker
    waiting = call.state in (CallState.RINGING, CallState.QUEUEING)
    cells.append(_seconds(call.state_start, now))
    # the unanswered wait, ringing included; empty once a call is answered
    cells.append(_seconds(wait_start(call), now) if waiting else "")
    cells.append(_cell(call.extra))
    return cells


def agent_word(user: PbxUser, on_call: OnCall | None) -> str:
    """The agent state in the words the screen uses (on a call / available / away);
    empty for an unavailable user when the calls are not known (on a call or away?)."""
    state = agent_state(user, on_call)
    if state is AgentState.UNAVAILABLE:
        return ""
    return state.word


def user_cells(user: PbxUser, now: datetime, on_call: OnCall | None = None) -> list[str]:
    """One users CSV row, in :data:`USER_COLUMNS` order."""
    cells = [_cell(getattr(user, name)) for name, _ in _USER_FIELDS]
    cells.append(_seconds(user.state_start, now))
    cells.append(agent_word(user, on_call))
    cells.append(_cell(user.extra))
    return cells


def _csv_text(
    header: Sequence[str],
    rows: Sequence[R],
    cells: Callable[[R, datetime], list[str]],
    now: datetime,
) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(cells(row, now) for row in rows)
    return buffer.getvalue()


def calls_csv(rows: Sequence[ActiveCall], now: datetime, pii_excluded: bool = False) -> str:
    """Calls as CSV text (header row first), no BOM, ``\\n`` line ends: for stdout."""

    def cells(call: ActiveCall, when: datetime) -> list[str]:
        return call_cells(call, when, pii_excluded)

    return _csv_text(CALL_COLUMNS, rows, cells, _aware(now))


def users_csv(rows: Sequence[PbxUser], now: datetime, on_call: OnCall | None = None) -> str:
    """Users as CSV text (header row first), no BOM, ``\\n`` line ends: for stdout;
    ``on_call`` says who is talking (for ``agentState``)."""

    def cells(user: PbxUser, when: datetime) -> list[str]:
        return user_cells(user, when, on_call)

    return _csv_text(USER_COLUMNS, rows, cells, _aware(now))


# --- today's service level ------------------------------------------------------------------

#: the CSV header of today's service level (an export's service file; ``rtdash stats
#: --csv`` puts the installation first): the report's own names, for scripts and sheets
SERVICE_COLUMNS: tuple[str, ...] = (
    "queue",
    "offered",
    "answered",
    "abandoned",
    "short_abandoned",
    "unknown",
    "answered_within_sl",
    "sl_percent",
    "abandon_percent",
    "asa",
    "longest_answer",
    "longest_wait",
    "talked",
    "avg_talk",
    "longest_talk",
)


def _num(value: float | None, digits: int = 1) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def service_cells(row: ServiceStats) -> list[str]:
    """One queue's (or, named "", the installation's) row of :data:`SERVICE_COLUMNS`."""
    return [
        defuse_cell(clean(row.name)),
        str(row.offered),
        str(row.answered),
        str(row.abandoned),
        str(row.short_abandoned),
        str(row.unknown),
        str(row.answered_within_sl),
        _num(row.sl_percent),
        _num(row.abandon_percent),
        _num(row.asa),
        _num(row.longest_answer, 0),
        _num(row.longest_wait, 0),
        str(row.talked),
        _num(row.avg_talk),
        _num(row.longest_talk, 0),
    ]


def _write_service_csv(path: Path, report: ServiceReport) -> None:
    with open(path, "x", encoding="utf-8-sig", newline="", opener=_private) as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_MINIMAL)
        writer.writerow(SERVICE_COLUMNS)
        writer.writerows(service_cells(row) for row in (report.total, *report.queues))


def _write_service_json(path: Path, report: ServiceReport) -> None:
    with open(path, "x", encoding="utf-8", opener=_private) as handle:
        json.dump(report.to_dict(), handle, indent=2, ensure_ascii=False)
        handle.write("\n")


# --- files -----------------------------------------------------------------------------------


def export_views(
    calls: Sequence[ActiveCall],
    users: Sequence[PbxUser],
    folder: Path,
    *,
    now: datetime,
    zone: ZoneInfo,
    stem: str | None = None,
    on_call: OnCall | None = None,
    calls_known: bool = True,
    service: ServiceReport | None = None,
    pii_excluded: bool = False,
) -> list[Path]:
    """Write the calls and users to CSV and JSON in ``folder`` (made if missing).

    Names are ``{stem}-calls-YYYYmmdd-HHMMSS.csv`` (``stem`` defaults to ``rtdash``; the
    time is ``now`` in ``zone``) and the same for ``.json`` and ``users``. If any of the
    four names is taken, all four get the first free ``-1``, ``-2``… suffix, so a set
    stays together and nothing is overwritten. Returns the paths: calls CSV, calls
    JSON, users CSV, users JSON. Raises :class:`ExportError` (one line) when the folder
    cannot be made or written; files of a failed export are removed.

    ``on_call`` says who is on a bridged call (for the users' ``agentState``); by
    default it is read from ``calls``. Without ``calls_known`` (no call could be read)
    nobody's call is known: an unavailable user's state is left empty, as the screen
    draws them "unavailable", never "away". With ``service`` (today's service level), two
    more files follow: ``{stem}-service-….csv`` (the installation's row, named "", then
    one per queue) and ``.json`` (the ``rtdash stats --json`` shape). ``pii_excluded``:
    the installation's, read as the screen reads it (an empty number is redacted).
    """
    now = _aware(now)
    folder = Path(folder).expanduser()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise ExportError(f"cannot export to {folder}: not a folder") from None
    except OSError as exc:
        raise ExportError(f"cannot export to {folder}: {_reason(exc)}") from None
    if not folder.is_dir():
        raise ExportError(f"cannot export to {folder}: not a folder")
    if on_call is None and calls_known:
        on_call = OnCall.from_calls(calls)
    known = on_call

    def cells(user: PbxUser, when: datetime) -> list[str]:
        return user_cells(user, when, known)

    def call_row(call: ActiveCall, when: datetime) -> list[str]:
        return call_cells(call, when, pii_excluded)

    stamp = now.astimezone(zone).strftime("%Y%m%d-%H%M%S")
    base = stem or "rtdash"
    writers: list[tuple[str, str, Callable[[Path], None]]] = [
        ("calls", "csv", lambda path: _write_csv(path, CALL_COLUMNS, calls, call_row, now)),
        ("calls", "json", lambda path: _write_json(path, calls)),
        ("users", "csv", lambda path: _write_csv(path, USER_COLUMNS, users, cells, now)),
        (
            "users",
            "json",
            lambda path: _write_json(
                path, users, lambda user: {"agentState": agent_word(user, known)}
            ),
        ),
    ]
    if service is not None:
        report = service
        writers.append(("service", "csv", lambda path: _write_service_csv(path, report)))
        writers.append(("service", "json", lambda path: _write_service_json(path, report)))
    for attempt in range(MAX_SUFFIX + 1):
        suffix = f"-{attempt}" if attempt else ""
        paths = [folder / f"{base}-{kind}-{stamp}{suffix}.{ext}" for kind, ext, _ in writers]
        if any(path.exists() for path in paths):
            continue
        written: list[Path] = []
        try:
            for path, (_, _, write) in zip(paths, writers, strict=True):
                write(path)
                written.append(path)
        except FileExistsError:  # another export took the name meanwhile: next suffix
            _remove(written)
            continue
        except OSError as exc:
            _remove([*written, path])
            raise ExportError(f"cannot write {path}: {_reason(exc)}") from None
        except BaseException:
            _remove([*written, path])
            raise
        return written
    raise ExportError(f"cannot export to {folder}: {base}-calls-{stamp}-1…{MAX_SUFFIX} are taken")


def _write_csv(
    path: Path,
    header: Sequence[str],
    rows: Sequence[R],
    cells: Callable[[R, datetime], list[str]],
    now: datetime,
) -> None:
    # "x": never overwrite, even if the name was taken after the check
    with open(path, "x", encoding="utf-8-sig", newline="", opener=_private) as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_MINIMAL)
        writer.writerow(header)
        writer.writerows(cells(row, now) for row in rows)


def _write_json(
    path: Path,
    rows: Sequence[ActiveCall] | Sequence[PbxUser],
    more: Callable[[Any], dict[str, Any]] | None = None,
) -> None:
    with open(path, "x", encoding="utf-8", opener=_private) as handle:
        items = [{**row.to_json(), **(more(row) if more else {})} for row in rows]
        json.dump(items, handle, indent=2, ensure_ascii=False)
        handle.write("\n")


def _private(path: str, flags: int) -> int:
    """Open a new file readable by its owner only: an export holds caller numbers."""
    return os.open(path, flags, 0o600)


def _remove(paths: Sequence[Path]) -> None:
    for path in paths:
        with contextlib.suppress(OSError):
            path.unlink()


def _aware(now: datetime) -> datetime:
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    return now


def _reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__
