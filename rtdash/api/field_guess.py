"""Which key a service uses for a logical field, judged from its name and its values.

A service that names fields its own way still says what they are: ``call_ref`` is
``callRef`` spelled another way, ``status_since`` is when the state started,
``full_name`` is a display name, ``on_wallboard`` is the dashboard flag. The values
agree or not: a start time looks like a datetime, the dashboard flag like ``Y``/``N``,
a caller's number like ``+447700900123``. Each (field, key) pair gets a confidence from
both; :mod:`rtdash.api.mapping_match` keeps the best pairs and writes only the
confident ones into a suggestion.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rtdash.api import state_words, values

#: at or above this, a guess goes into the suggested ``[mapping]``; below, it is a question
CONFIDENT = 0.75

#: the shape a logical field's values take
TIME, FLAG, NUMBER, STATE, COUNT, TEXT = "time", "flag", "number", "state", "count", "text"
#: not a field's shape: most of a column's values read as states by their words
PLACED = "placed"

SHAPES: dict[str, dict[str, str]] = {
    "call": {
        "call_start": TIME,
        "state_start": TIME,
        "src_number": NUMBER,
        "dialled_number": NUMBER,
        "state": STATE,
        "ring_time": COUNT,
        "queue_duration": COUNT,
        "bridge_duration": COUNT,
        "call_duration": COUNT,
    },
    "user": {"state_start": TIME, "dashboard": FLAG, "state": STATE},
}

#: other names for a logical field, compared without case, ``_`` or ``-``
SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "call": {
        "call_ref": ("callreference", "reference", "ref", "uuid", "calluuid", "sessionid"),
        "state": ("phase", "callphase", "stage", "callstatus", "statename", "progress"),
        "call_start": ("started", "startedat", "starttime", "start", "created", "createdat"),
        "state_start": ("statesince", "since", "statechanged", "changedat", "lastchange"),
        "src_number": ("from", "fromnumber", "caller", "callerid", "callingnumber", "ani"),
        "dialled_number": ("to", "tonumber", "dialed", "dialednumber", "called", "dnis", "did"),
        "dgrp": ("lineid", "lineref", "linenumber"),
        "dgrp_name": ("line", "linelabel", "linetitle", "numbername"),
        "queue": ("queueid", "skill", "skillgroup", "huntgroup", "group"),
        "agent_ref": ("agent", "agentid", "agentlogin", "operator", "operatorid", "handledby"),
        "agent_name": ("agentfullname", "operatorfullname", "agentdisplayname"),
        "ring_time": ("ringsecs", "ringseconds", "ringing", "ringingtime"),
        "queue_duration": ("queuetime", "queuesecs", "waittime", "waitsecs", "waited"),
        "bridge_duration": ("talktime", "talksecs", "bridgetime", "talkduration"),
        "call_duration": ("duration", "callsecs", "totalsecs", "calltime", "length"),
    },
    "user": {
        "user_id": ("uid", "agentid", "sipuser", "sipid", "userref"),
        "operator_ref": ("login", "loginname", "agentlogin", "handle", "account"),
        "display_name": ("fullname", "agentname", "displayname", "label", "realname"),
        "extension": ("ext", "extn", "exten", "extensionno", "extno"),
        "state": ("presence", "availability", "agentstatus", "agentstate", "statename", "mode"),
        "state_start": ("statesince", "since", "statechanged", "changedat", "lastchange"),
        "dashboard": ("onwallboard", "wallboard", "ondashboard", "showondashboard", "onwall"),
    },
}
#: a key ending so is when a state started (``status_since``, ``stateChangedAt``)
_STATE_START_ENDINGS = ("since", "changed", "changedat", "changedtime")
#: name fragments that point at a field when no whole name matches
_FRAGMENTS: dict[str, dict[str, tuple[str, ...]]] = {
    "user": {"dashboard": ("dash", "board", "wall"), "display_name": ("name",)},
    "call": {"agent_name": ("agentname", "operatorname")},
}

_DATETIME = re.compile(
    r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)?", re.ASCII
).fullmatch
_E164 = re.compile(r"\+?\d[\d*xX]{6,15}", re.ASCII).fullmatch
_COUNT = re.compile(r"\d{1,9}", re.ASCII).fullmatch
FLAG_WORDS = frozenset({"0", "1", "true", "false", "yes", "no", "y", "n", "on", "off"})
_TRUE_WORDS = frozenset({"1", "true", "yes", "y", "on"})
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def compact(name: str) -> str:
    """``call_ref``, ``callRef``, ``Call-Ref`` -> ``callref``."""
    return re.sub(r"[^a-z0-9]", "", _CAMEL.sub("_", name).lower())


@dataclass(frozen=True)
class Guess:
    kind: str
    field: str
    key: str
    confidence: float
    why: str

    @property
    def confident(self) -> bool:
        return self.confidence >= CONFIDENT


def column(rows: Sequence[Mapping[str, Any]], key: str) -> list[str]:
    """The set values of one key, as text (blank and missing left out)."""
    found = []
    for row in rows:
        text = values.text(row.get(key)) if key in row else None
        if text is not None:
            found.append(text)
    return found


def shape_of(texts: Sequence[str], kind: str) -> set[str]:
    """Every shape all of a column's values fit (an empty column fits none)."""
    if not texts:
        return set()
    lowered = [t.lower() for t in texts]
    shapes = {TEXT}
    if all(_DATETIME(t) for t in texts):
        shapes.add(TIME)
    if set(lowered) <= FLAG_WORDS and _TRUE_WORDS & set(lowered):
        shapes.add(FLAG)
    if all(_E164(t) for t in texts) and any(len(t) >= 10 for t in texts):
        shapes.add(NUMBER)
    if all(_COUNT(t) for t in texts):
        shapes.add(COUNT)
    if kind in ("call", "user") and FLAG not in shapes and TIME not in shapes:
        tally = Counter(texts)  # a few words over thousands of rows: read each once
        placed = sum(n for t, n in tally.items() if state_words.classify(kind, t) is not None)
        distinct = len(set(lowered))
        if not shapes & {COUNT, NUMBER}:
            if placed / len(texts) >= 0.8:
                shapes.update((STATE, PLACED))
            elif distinct <= 6 and distinct < len(texts):
                shapes.add(STATE)
    return shapes


def name_score(kind: str, field: str, aliases: Sequence[str], key: str) -> tuple[float, str]:
    """How well a key's name says it is the field: (confidence, why) or (0, "")."""
    name = compact(key)
    spelled = [alias for alias in aliases if compact(alias) == name]
    if spelled or name == compact(field):
        return 0.95, f"{key} is {spelled[0] if spelled else field} spelled another way"
    if name in SYNONYMS.get(kind, {}).get(field, ()):
        return 0.85, f"{key} is another name for the {label(kind, field)}"
    if field == "state_start" and name.endswith(_STATE_START_ENDINGS) and name != "changed":
        return 0.8, f"{key} reads as when the state started"
    for fragment in _FRAGMENTS.get(kind, {}).get(field, ()):
        if fragment in name:
            return 0.55, f"{key}'s name suggests the {label(kind, field)}"
    return 0.0, ""


def guess(
    kind: str,
    field: str,
    aliases: Sequence[str],
    key: str,
    texts: Sequence[str],
    shapes: set[str],
    lone_shape: bool,
) -> Guess | None:
    """One (field, key) pair, scored; None when nothing links them."""
    want = SHAPES.get(kind, {}).get(field)
    score, why = name_score(kind, field, aliases, key)
    if want is not None and texts:
        if want in shapes:
            if score:
                # a name hint and the only column of the wanted shape agree
                score = min(0.99, score + (0.2 if lone_shape else 0.1))
                why += f"; its values look like {_shape_words(want)}"
            elif want == STATE and PLACED in shapes:
                score, why = 0.85, f"{key} looks like the {label(kind, field)}"
            elif lone_shape and want in (FLAG, TIME, STATE):
                # the only column of that shape: the dashboard flag or a lone datetime
                score, why = (
                    0.6,
                    f"{key} is the only column whose values look like {_shape_words(want)}",
                )
                if want == FLAG:
                    score = 0.8
        elif score:
            score -= 0.4
            why += f", but its values do not look like {_shape_words(want)}"
    if score <= 0.3:
        return None
    return Guess(kind, field, key, round(score, 2), why)


#: how a report names a logical field (``the call start time``), where the name is not
#: enough on its own
LABELS: dict[str, str] = {
    "call_ref": "reference",
    "call_start": "start time",
    "state_start": "state start time",
    "src_number": "caller's number",
    "dialled_number": "dialled number",
    "dgrp": "line id",
    "dgrp_name": "line name",
    "agent_ref": "agent",
    "user_id": "user id",
    "operator_ref": "login",
    "dashboard": "dashboard flag",
    "call_duration": "duration",
}


def label(kind: str, field: str) -> str:
    """``("call", "call_start")`` -> ``"call start time"``."""
    return f"{kind} {LABELS.get(field, field.replace('_', ' '))}"


def _shape_words(shape: str) -> str:
    return {
        TIME: "datetimes",
        FLAG: "flags (Y/N, 1/0, true/false)",
        NUMBER: "phone numbers",
        STATE: "states",
        COUNT: "counts of seconds",
        TEXT: "text",
    }[shape]
