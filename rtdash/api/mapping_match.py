"""The rows a service sent, compared with the field mapping: found, missing, unmapped.

For one row kind (``call``, ``user``, ``caller``) this says which keys nothing maps,
which logical fields never appeared, which of those a row cannot be read without, and
which state values the value tables do not know. For every logical field with no alias
present it proposes the best key among those seen (:mod:`rtdash.api.field_guess`), and
for every unknown state value the state it says (:mod:`rtdash.api.state_words`). The
confident proposals make a ``[mapping]`` suggestion that can be written to the config
as it is; the rest are questions for a person, since a wrong guess ("every agent is
available") is worse than asking.

Nothing here prints or imports Textual: ``rtdash doctor`` renders it, and tests drive it
with plain rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from rtdash.api import field_guess, state_words, values
from rtdash.api.mapping import CUSTOM_PREFIXES, FieldMapping, pick

#: fields a row cannot be read without (``user_id`` falls back as parse_user does)
REQUIRED: dict[str, tuple[tuple[str, ...], ...]] = {
    "call": (("call_ref",), ("state",)),
    "user": (("user_id", "operator_ref", "extension"), ("state",)),
    "caller": (),
}
BASIC_CALLER_FIELDS = ("igrp", "dgrp", "txr")
STATES = {"call": ("ringing", "queueing", "bridged"), "user": ("available", "unavailable")}
_MAX_VALUES = 10
#: two guesses for one field closer than this are a question, not a pick
_TIE = 0.05


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
    #: config key -> value for a ``[mapping]`` snippet: the confident proposals only
    suggestion: dict[str, Any]
    #: why each proposal: "call_ref is callRef spelled another way"
    reasons: list[str]
    #: what could not be settled without a person: a field or a value it is unsure of
    questions: list[str] = field(default_factory=list)
    #: every proposal with its confidence, confident or not
    guesses: list[field_guess.Guess] = field(default_factory=list)
    basic: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "unmapped": self.unmapped,
            "never_seen": self.never_seen,
            "required_missing": self.required_missing,
            "unknown_state_values": self.unknown_values,
            "rows_without_state": self.stateless,
            "proposals": [
                {
                    "field": f"{g.kind}_{g.field}",
                    "key": g.key,
                    "confidence": g.confidence,
                    "why": g.why,
                }
                for g in self.guesses
            ],
            "questions": self.questions,
        }


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

    comp = FieldComparison(
        kind=kind,
        rows=len(rows),
        keys=sorted(keys),
        unmapped=unmapped,
        never_seen=never_seen,
        required_missing=[],
        unknown_values=[],
        stateless=0,
        suggestion={},
        reasons=[],
        basic=basic,
    )
    # what the mapping as it stands cannot read, whatever is proposed below
    comp.required_missing = [
        "/".join(group) for group in REQUIRED[kind] if not any(name in seen for name in group)
    ]
    picked = _pick_keys(comp, rows, table, unmapped, never_seen)
    if kind in STATES:
        state_key = picked.get("state")
        aliases = [state_key] if state_key else table["state"]
        if "state" in seen or state_key:
            _state_values(comp, rows, aliases, mapping, from_guess=state_key is not None)
    guessed = {g.field for g in comp.guesses}
    for group in REQUIRED[kind]:
        if not any(name in seen or name in guessed for name in group):
            label = field_guess.label(kind, group[0])
            comp.questions.append(
                f"no key looks like the {label}: which one holds it? "
                f"(set {kind}_{group[0]} under [mapping])"
            )
    comp.suggestion = _in_mapping_order(kind, table, comp.suggestion)
    return comp


def _in_mapping_order(
    kind: str, table: Mapping[str, list[str]], suggestion: dict[str, Any]
) -> dict[str, Any]:
    """The mapping's own field order, the value table right after the state field, so
    a snippet reads like the config example."""
    order = [f"{kind}_{name}" for name in table]
    order.insert(order.index(f"{kind}_state") + 1 if f"{kind}_state" in order else 0, "")
    rank = {key: i for i, key in enumerate(order)}
    rank[f"{kind}_state_values"] = rank[""]
    return dict(sorted(suggestion.items(), key=lambda item: rank.get(item[0], len(rank))))


def _pick_keys(
    comp: FieldComparison,
    rows: list[Mapping[str, Any]],
    table: Mapping[str, list[str]],
    unmapped: list[str],
    never_seen: list[str],
) -> dict[str, str]:
    """Best key for each missing field, each key used once; returns field -> key for
    the confident picks, which go into the suggestion."""
    kind = comp.kind
    if comp.basic or not unmapped:
        return {}
    columns = {key: field_guess.column(rows, key) for key in unmapped}
    shapes = {key: field_guess.shape_of(texts, kind) for key, texts in columns.items()}
    count: dict[str, int] = {}
    for fits in shapes.values():
        for shape in fits:
            count[shape] = count.get(shape, 0) + 1
    guesses: list[field_guess.Guess] = []
    for name in never_seen:
        want = field_guess.SHAPES.get(kind, {}).get(name)
        for key in unmapped:
            lone = want is not None and want in shapes[key] and count.get(want) == 1
            found = field_guess.guess(kind, name, table[name], key, columns[key], shapes[key], lone)
            if found is not None:
                guesses.append(found)
    guesses.sort(key=lambda g: (-g.confidence, g.field, g.key))
    taken_keys: set[str] = set()
    decided: set[str] = set()
    picked: dict[str, str] = {}
    reasons: dict[str, str] = {}
    questions: dict[str, str] = {}
    for g in guesses:
        if g.field in decided or g.key in taken_keys:
            continue
        decided.add(g.field)
        taken_keys.add(g.key)
        rival = next(
            (
                o
                for o in guesses
                if o.field == g.field
                and o.key != g.key
                and o.key not in taken_keys
                and g.confidence - o.confidence < _TIE
            ),
            None,
        )
        comp.guesses.append(g)
        label = f"{kind}_{g.field}"
        if g.confident and rival is None:
            picked[g.field] = g.key
            comp.suggestion[label] = g.key
            reason = g.why
            if g.field == "state":
                reason += f" (values: {', '.join(_distinct(columns[g.key])[:_MAX_VALUES])})"
            reasons[g.field] = reason
        elif rival is not None:
            questions[g.field] = (
                f"is {g.key} or {rival.key} the {field_guess.label(kind, g.field)} "
                f"({label})? both fit equally"
            )
        else:
            questions[g.field] = (
                f"is {g.key} the {field_guess.label(kind, g.field)} ({label})? "
                f"{g.why} (confidence {g.confidence:.0%})"
            )
    # said in the mapping's field order, as the config example lists them
    comp.guesses.sort(key=lambda g: list(table).index(g.field))
    comp.reasons.extend(reasons[name] for name in table if name in reasons)
    comp.questions.extend(questions[name] for name in table if name in questions)
    return picked


def _state_values(
    comp: FieldComparison,
    rows: list[Mapping[str, Any]],
    aliases: list[str],
    mapping: FieldMapping,
    *,
    from_guess: bool,
) -> None:
    """Unknown state values: each read by its words, or asked about."""
    kind = comp.kind
    known = mapping.call_state_values if kind == "call" else mapping.user_state_values
    states = [values.text(pick(row, aliases)) for row in rows]
    unknown = _distinct(v for v in states if v is not None and v.lower() not in known)
    comp.stateless = states.count(None)
    placed: dict[str, str] = {}
    for value in unknown:
        state = state_words.classify(kind, value)
        if state is None:
            comp.questions.append(
                f"which {kind} state is {value!r}? one of {', '.join(STATES[kind])}: add it to "
                f"{kind}_state_values"
            )
        else:
            placed[value] = state
    if not from_guess:
        comp.unknown_values = unknown[:_MAX_VALUES]
    if placed:
        comp.suggestion[f"{kind}_state_values"] = placed
        comp.reasons.append(f"{kind} state values read as: " + _pairs(placed))


def _distinct(items: Iterable[str]) -> list[str]:
    return sorted(set(items), key=str.lower)


def _pairs(pairs: Mapping[str, str]) -> str:
    return ", ".join(f"{raw} → {state}" for raw, state in pairs.items())
