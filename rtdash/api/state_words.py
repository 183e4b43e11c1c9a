"""Reading an unknown state value as a state, or admitting it cannot.

``rtdash doctor`` proposes ``call_state_values`` / ``user_state_values`` for values the
mapping does not know. A wrong guess is worse than none: mapping ``NOT_READY`` to
"available" because it contains "ready" shows every agent as free. So a value is read
word by word (``NOT_READY``, ``notReady``, ``not-ready`` and ``NOTREADY`` are the same
two words), a negation (``not``, ``no``, ``non``, ``un``) flips the word after it, and a
value whose words pull both ways, or that holds no word known here, is not placed: it is
asked about instead.

User states are a pair of opposites, so a negated "available" word is "unavailable" and
the other way round. Call states are three, and "not answered" says which it is not,
not which it is: a negated call word is asked about.
"""

from __future__ import annotations

import re

AVAILABLE, UNAVAILABLE = "available", "unavailable"
RINGING, QUEUEING, BRIDGED = "ringing", "queueing", "bridged"

#: whole words (after splitting) and what they say about a user
USER_WORDS: dict[str, str] = {
    **dict.fromkeys(
        (
            "available",
            "avail",
            "ready",
            "idle",
            "online",
            "free",
            "open",
            "active",
            "present",
            "login",
            "loggedin",
            "signedin",
            "here",
            "waiting",
        ),
        AVAILABLE,
    ),
    **dict.fromkeys(
        (
            "unavailable",
            "unavail",
            "busy",
            "away",
            "offline",
            "off",
            "dnd",
            "disturb",
            "break",
            "lunch",
            "pause",
            "paused",
            "wrap",
            "wrapup",
            "wrapping",
            "acw",
            "aux",
            "meeting",
            "training",
            "logout",
            "loggedout",
            "loggedoff",
            "signedout",
            "out",
            "absent",
            "inactive",
            "closed",
            "oncall",
            "talking",
            "engaged",
        ),
        UNAVAILABLE,
    ),
}

#: a value that is exactly one of these is a user state (``on`` alone: signed on)
USER_EXACT: dict[str, str] = {"on": AVAILABLE, "in": AVAILABLE, "yes": AVAILABLE, "no": UNAVAILABLE}

#: word stems and the call state they say, in the vocabularies of several PBXs and
#: contact-centre platforms (Asterisk ``Ring``/``Up``, Twilio ``in-progress``, Genesys
#: ``alerting``, Cisco ``offered``/``talking``)
CALL_WORDS: dict[str, str] = {
    **dict.fromkeys(
        ("ring", "ringing", "rings", "alert", "alerting", "offer", "offered", "offering"),
        RINGING,
    ),
    **dict.fromkeys(
        ("dial", "dialing", "dialling", "early", "setup", "presented", "inbound"), RINGING
    ),
    **dict.fromkeys(
        ("queue", "queued", "queueing", "queuing", "waiting", "wait", "enqueued", "inqueue"),
        QUEUEING,
    ),
    **dict.fromkeys(
        (
            "bridge",
            "bridged",
            "answer",
            "answered",
            "connect",
            "connected",
            "talk",
            "talking",
            "speaking",
            "established",
            "inprogress",
            "conversation",
            "oncall",
            "up",
            "live",
        ),
        BRIDGED,
    ),
}

#: words that say nothing about the state (``AGENT_READY`` is ``READY``)
NEUTRAL = frozenset(
    {"agent", "user", "operator", "state", "status", "is", "the", "for", "call", "calls", "a"}
    | {"on", "in", "at", "to", "of"}
)
NEGATIONS = frozenset({"not", "no", "non", "un"})
#: joined forms tried before splitting, so ``LOGGED_IN`` is not "logged" + "in"
_JOINED = ("loggedin", "loggedout", "loggedoff", "signedin", "signedout", "inprogress", "oncall")
_PREFIXES = ("not", "non", "un", "no")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_SPLIT = re.compile(r"[^a-z0-9]+")


def words(value: str) -> list[str]:
    """``NOT_READY`` / ``notReady`` / ``Not ready`` -> ``["not", "ready"]``."""
    spaced = _CAMEL.sub(" ", value.strip()).lower()
    for joined in _JOINED:
        pattern = r"(?<![a-z0-9])" + r"[\s_\-]*".join(_split_joined(joined)) + r"(?![a-z0-9])"
        spaced = re.sub(pattern, joined, spaced)
    return [word for word in _SPLIT.split(spaced) if word]


def _split_joined(joined: str) -> list[str]:
    for head in ("logged", "signed", "in", "on"):
        if joined.startswith(head) and joined != head:
            return [head, joined[len(head) :]]
    return [joined]


def classify(kind: str, value: str) -> str | None:
    """The state a value says (``"user"``: available / unavailable; ``"call"``:
    ringing / queueing / bridged), or None when it cannot be placed."""
    table = USER_WORDS if kind == "user" else CALL_WORDS
    tokens = words(value)
    if kind == "user" and len(tokens) == 1 and tokens[0] in USER_EXACT:
        return USER_EXACT[tokens[0]]
    found: set[str] = set()
    negate = False
    for token in tokens:
        if token in NEGATIONS:
            negate = True
            continue
        state, prefixed = _look_up(table, token)
        if state is None:
            if token not in NEUTRAL:
                negate = False
            continue
        if negate or prefixed:
            if kind != "user":
                return None  # "not answered" does not say which state it is
            state = AVAILABLE if state == UNAVAILABLE else UNAVAILABLE
        negate = False
        found.add(state)
    return found.pop() if len(found) == 1 else None


def _look_up(table: dict[str, str], token: str) -> tuple[str | None, bool]:
    """(state, whether the word carried a negating prefix: ``unready``, ``notready``)."""
    if token in table:
        return table[token], False
    for prefix in _PREFIXES:
        rest = token[len(prefix) :]
        if token.startswith(prefix) and rest in table and rest not in ("line",):
            return table[rest], True
    return None, False
