"""The field checks: what each route's rows hold against the mapping, in words.

The comparison itself is :mod:`rtdash.api.mapping_match`; this turns it into a check
line with notes: keys nothing maps, mapped fields never seen, unknown state values,
the confident ``[mapping]`` proposals as a snippet ``--fix`` can write, and the
questions the doctor could not settle alone. Nothing a row holds is printed except key
names and the values of state fields, so a report can be pasted into a support ticket.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from rtdash.api.mapping import FieldMapping
from rtdash.api.mapping_match import compare_fields
from rtdash.cli.doctor.report import FAILED, OK, SKIPPED, WARNING, Check, Report, plural

SOURCES = {"call": "pbxActiveCalls", "user": "pbxUserStatus", "caller": "activeCall"}


def fields_check(
    report: Report,
    kind: str,
    rows: list[dict[str, Any]] | None,
    mapping: FieldMapping,
    path: Path,
) -> None:
    name = f"{kind} fields"
    if rows is None:
        report.add(Check(name, SKIPPED, f"no {SOURCES[kind]} answer to compare"))
        return
    if not rows:
        report.add(Check(name, SKIPPED, f"{SOURCES[kind]} sent no rows to compare"))
        return
    comp = compare_fields(kind, rows, mapping)
    report.fields[kind] = comp
    report.suggested.update(comp.suggestion)
    report.questions.extend(comp.questions)
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
            f"{plural(comp.stateless, 'row')} had no {kind} state value (skipped as unreadable)"
        )
    notes.extend(comp.reasons)
    if comp.suggestion:
        notes.append(f"suggested [mapping] for {path}:")
        notes.append("  [mapping]")
        notes.extend(f"  {line}" for line in mapping_snippet(comp.suggestion))
    if comp.questions:
        notes.append("not sure, so not suggested (answer under [mapping] by hand):")
        notes.extend(f"  ? {question}" for question in comp.questions)
    if comp.suggestion:
        notes.append("`rtdash doctor --fix` writes the suggestion (--dry-run shows the change)")
    elif comp.required_missing:
        notes.append(f"map the field under [mapping] in {path} (see `rtdash config example`)")
    elif comp.unknown_values:
        notes.append(
            f'map the values with {kind}_state_values = {{ value = "state" }} under '
            f"[mapping] in {path}"
        )

    counts = (
        f"{plural(comp.rows, 'row')}, {plural(len(comp.keys), 'key')}: "
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
                f"{plural(comp.rows, 'row')}: every key is mapped and every mapped field appeared",
                notes,
            )
        )


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
