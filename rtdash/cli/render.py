"""Plain-text tables and listings for the scriptable commands."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rtdash.api.models import ActiveCall, CallerDetails, PbxUser
    from rtdash.core.agents import OnCall
    from rtdash.core.phone import LookupQuery


def calls_table(
    calls: Sequence[ActiveCall], now: datetime, *, pii_excluded: bool, width: int | None = None
) -> str:
    """Calls grouped ringing, queueing, bridged, longest in state first; to fit
    ``width`` (a terminal's), the dialled number goes first, then the line, then the
    agent's and the queue's names are cut."""
    from rtdash.core.format import caller_label, duration
    from rtdash.core.labels import CALL_LABELS
    from rtdash.core.metrics import seconds_since
    from rtdash.core.phone import format_international

    fields = (
        *("call_ref", "state", "src_number", "dialled_number", "dgrp_name", "queue"),
        *("agent_name", "in_state", "total"),
    )
    headers = [CALL_LABELS[name].upper() for name in fields]
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
    return render_table(headers, rows, right={7, 8}, width=width, drop=(3, 4), cut=(6, 5))


def users_table(
    users: Sequence[PbxUser],
    now: datetime,
    zone: Any,
    on_call: OnCall | None = None,
    *,
    show_dashboard: bool,
    width: int | None = None,
) -> str:
    """Users in order of state start, so the longest in their state come first; each
    state in the dashboard's words (available, on a call, away), ``on_call`` saying who
    is talking."""
    from rtdash.core.agents import agent_state
    from rtdash.core.format import clock_time, duration
    from rtdash.core.labels import USER_LABELS
    from rtdash.core.metrics import seconds_since

    fields = ["display_name", "extension", "state", "state_start", "in_state"]
    if show_dashboard:
        fields.append("dashboard")
    headers = [USER_LABELS[name].upper() for name in fields]
    rows = []
    for user in users:
        since = clock_time(user.state_start, zone) if user.state_start else "–"
        row = [user.label, user.extension or "", agent_state(user, on_call).word, since]
        row.append(duration(seconds_since(user.state_start, now)))
        if show_dashboard:
            row.append("yes" if user.dashboard else "no")
        rows.append(row)
    return render_table(headers, rows, right={4}, width=width, cut=(0,))


def render_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    right: set[int] | None = None,
    *,
    width: int | None = None,
    drop: Sequence[int] = (),
    cut: Sequence[int] = (),
) -> str:
    """Aligned columns, two spaces apart; durations right-aligned so they line up.

    ``width``: the terminal's, when the table goes to one: a line wider than it wraps
    mid-word into the next. The columns in ``drop`` go first, in that order, then the
    widest of the ``cut`` columns (names: never a number or a duration) are cut with
    an ellipsis, until lines fit or nothing more can go."""
    from rich.cells import cell_len

    right = right or set()
    widths = [cell_len(h) for h in headers]
    for row in rows:
        widths = [max(size, cell_len(cell)) for size, cell in zip(widths, row, strict=True)]
    shown = list(range(len(headers)))

    def total() -> int:
        return sum(widths[index] for index in shown) + 2 * (len(shown) - 1)

    if width is not None:
        for index in drop:
            if total() <= width:
                break
            shown.remove(index)
        cuttable = [index for index in cut if index in shown]
        while total() > width and cuttable:
            widest = max(cuttable, key=lambda index: widths[index])
            floor = max(cell_len(headers[widest]), 6)
            if widths[widest] <= floor:
                cuttable.remove(widest)
                continue
            widths[widest] = max(floor, widths[widest] - (total() - width))

    def line(cells: Sequence[str]) -> str:
        padded = []
        for index in shown:
            cell, size = _fit(cells[index], widths[index]), widths[index]
            pad = " " * (size - cell_len(cell))
            padded.append(pad + cell if index in right else cell + pad)
        return "  ".join(padded).rstrip()

    return "\n".join([line(headers), *(line(row) for row in rows)])


def _fit(cell: str, size: int) -> str:
    """``cell`` in at most ``size`` columns, ending in … when cut (a wide character
    that would straddle the cut becomes a space: Rich's ``set_cell_size``)."""
    from rich.cells import cell_len, set_cell_size

    if cell_len(cell) <= size:
        return cell
    return set_cell_size(cell, size - 1) + "…"


#: the listing's groups: (heading, CallerDetails attributes), labelled as on the screen
_LOOKUP_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "Attribution",
        (
            "ch_name",
            "ch",
            "ch_type",
            "pub",
            "campaign",
            "ad_group",
            "keyword",
            "vid",
            "landing_page_title",
            "landing_url",
            "page_title",
            "conversion_url",
            "referrer",
            "trigger_time",
        ),
    ),
    (
        "Call",
        (
            "igrp",
            "igrp_name",
            "dgrp",
            "dgrp_name",
            "txr",
            "src_number",
            "dialled_number",
            "dest_number",
            "call_state",
            "call_duration",
            "bridge_duration",
        ),
    ),
)

_NUMBER_FIELDS = {"src_number", "dialled_number", "dest_number"}
_DURATION_FIELDS = {"call_duration", "bridge_duration"}


def lookup_listing(
    details: CallerDetails, query: LookupQuery, zone: Any, answered_by: str | None = None
) -> str:
    """A ``field: value`` listing in Attribution / Call / Custom data groups.

    Unset fields are left out: an advanced row has ~25 fields and most calls fill few.
    Times are shown in ``zone`` (the ``--tz`` the user reads the dashboard in), though
    the upstream sends ``triggerDatetime`` in UTC. ``answered_by``: the name of who
    answered, where known, shown beside the extension as the dashboard's lookup shows
    it (:mod:`rtdash.cli.who_answered`).
    """
    heading = f"Caller details for {describe(query)}"
    if details.mode == "basic":
        heading += " — basic mode: this installation reports only igrp, dgrp and txr"
    else:
        heading += " — advanced mode"
    from rtdash.core.answered_by import answered_on
    from rtdash.core.labels import DETAIL_LABELS

    #: "Leo Knight (213)" in the dashboard's own words, where a name is known
    named = {"dest_number": answered_on(details, answered_by)} if answered_by else {}
    groups: list[tuple[str, list[tuple[str, str]]]] = []
    for title, fields in _LOOKUP_GROUPS:
        pairs = [
            (
                DETAIL_LABELS[name],
                named.get(name) or _lookup_value(name, getattr(details, name), zone),
            )
            for name in fields
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


def describe(query: LookupQuery) -> str:
    from rtdash.core.phone import format_international

    if query.call_ref is not None:
        return f"call reference {query.call_ref!r}"
    return f"number {format_international(query.number)}"
