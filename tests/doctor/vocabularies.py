"""The invented upstreams ``rtdash doctor --fix`` is tried on: the same calls and users
(the canonical rows below), each vocabulary with fields renamed (snake_case, other
words), states in other words (upper case, negations) and the dashboard flag as ``Y``/``N``
and the like; and the order the dashboard must show them in once mapped."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

IGRP = 4321
DAY = "2026-12-03"

#: the canonical rows: (ref, state, call start, state start, from, to, agent)
CALLS = [
    ("c-1", "bridged", "08:50:00", "08:52:00", "+447700900001", "+442035550001", "a.one"),
    ("c-2", "queueing", "08:57:00", "08:59:00", "+447700900002", "+442035550001", ""),
    ("c-3", "ringing", "09:00:00", "09:00:00", "+447700900003", "+442035550002", ""),
    ("c-4", "queueing", "08:56:00", "08:58:00", "+447700900004", "+442035550002", ""),
]
#: (id, login, name, extension, state, state start, on the dashboard)
USERS = [
    ("1", "a.one", "Ann One", "201", "available", "08:00:00", True),
    ("2", "b.two", "Bob Two", "202", "unavailable", "07:30:00", True),
    ("3", "c.three", "Cat Three", "203", "available", "08:30:00", False),
    ("4", "d.four", "Dan Four", "204", "unavailable", "07:45:00", True),
]
#: the order the dashboard shows: calls by state group, oldest state start first
CALL_ORDER = [("c-3", "ringing"), ("c-4", "queueing"), ("c-2", "queueing"), ("c-1", "bridged")]
#: dashboard users, longest in their state first
USER_ORDER = [("2", "unavailable"), ("4", "unavailable"), ("1", "available")]


@dataclass
class Vocabulary:
    name: str
    call_keys: dict[str, str]
    user_keys: dict[str, str]
    call_states: dict[str, str]
    user_states: dict[str, str | list[str]]
    flag: tuple[str, str]
    time: Callable[[str], str]
    #: values the doctor must ask about rather than map
    asked: list[str] = field(default_factory=list)
    #: user ids whose rows stay unreadable because their state was asked about
    unread: list[str] = field(default_factory=list)

    def calls(self) -> list[dict[str, str]]:
        rows = []
        for ref, state, start, since, src, dialled, agent in CALLS:
            logical = {
                "igrp": str(IGRP),
                "call_ref": ref,
                "state": self.call_states[state],
                "call_start": self.time(start),
                "state_start": self.time(since),
                "src_number": src,
                "dialled_number": dialled,
                "dgrp_name": "Sales line",
                "queue": "sales",
                "agent_ref": agent,
                "agent_name": agent.replace(".", " ").title() if agent else "",
                "ring_time": "4",
                "queue_duration": "12" if state != "ringing" else "0",
                "bridge_duration": "35" if state == "bridged" else "0",
                "call_duration": "61",
            }
            rows.append({self.call_keys.get(k, k): v for k, v in logical.items()})
        return rows

    def users(self) -> list[dict[str, str]]:
        rows = []
        for uid, login, name, ext, state, since, on_board in USERS:
            word = self.user_states[state]
            if isinstance(word, list):  # several words for one state: one per user
                word = word[int(uid) % len(word)]
            logical = {
                "igrp": str(IGRP),
                "user_id": uid,
                "operator_ref": login,
                "display_name": name,
                "extension": ext,
                "state": self.user_states.get(uid, word),  # type: ignore[arg-type]
                "state_start": self.time(since),
                "dashboard": self.flag[0] if on_board else self.flag[1],
            }
            rows.append({self.user_keys.get(k, k): v for k, v in logical.items()})
        rows.reverse()  # served out of order: the order is rtdash's to make
        return rows


VOCABULARIES = [
    Vocabulary(
        "snake_case names, READY/NOT_READY, Y/N, ISO times with Z",
        call_keys={
            "call_ref": "call_ref",
            "state": "call_state",
            "call_start": "call_start_datetime",
            "state_start": "state_start_datetime",
            "src_number": "src_phone_number",
            "dialled_number": "dialled_phone_number",
            "dgrp_name": "dgrp_name",
            "queue": "queue_ref",
            "agent_ref": "operator_ref",
            "agent_name": "display_name",
            "ring_time": "ring_time",
            "queue_duration": "queue_duration",
            "bridge_duration": "bridge_duration",
            "call_duration": "call_duration",
        },
        user_keys={
            "user_id": "sip_user_id",
            "operator_ref": "operator_ref",
            "display_name": "display_name",
            "extension": "extension_number",
            "state": "user_state",
            "state_start": "state_start_datetime",
            "dashboard": "on_wallboard",
        },
        call_states={"ringing": "RINGING", "queueing": "QUEUED", "bridged": "TALKING"},
        user_states={"available": "READY", "unavailable": "NOT_READY"},
        flag=("Y", "N"),
        time=lambda t: f"{DAY}T{t}Z",
    ),
    Vocabulary(
        "other words, Away/On Break/Idle, yes/no, offsets",
        call_keys={
            "call_ref": "reference",
            "state": "phase",
            "call_start": "started",
            "state_start": "status_since",
            "src_number": "from",
            "dialled_number": "to",
            "dgrp_name": "line",
            "queue": "skill",
            "agent_ref": "agent",
            "agent_name": "agent_full_name",
            "ring_time": "ring_secs",
            "queue_duration": "wait_time",
            "bridge_duration": "talk_time",
            "call_duration": "duration",
        },
        user_keys={
            "user_id": "uid",
            "operator_ref": "login",
            "display_name": "full_name",
            "extension": "ext",
            "state": "presence",
            "state_start": "status_since",
            "dashboard": "show_on_board",
        },
        call_states={"ringing": "Alerting", "queueing": "Waiting", "bridged": "Connected"},
        user_states={"available": "Idle", "unavailable": ["Away", "On Break"]},
        flag=("yes", "no"),
        time=lambda t: f"{DAY}T{t}+00:00",
    ),
    Vocabulary(
        "camelCase other words, UNAVAILABLE/NOT_AVAILABLE, on/off",
        call_keys={
            "call_ref": "callUuid",
            "state": "callStatus",
            "call_start": "createdAt",
            "state_start": "stateChangedAt",
            "src_number": "ani",
            "dialled_number": "dnis",
            "agent_ref": "agentId",
            "agent_name": "agentName",
        },
        user_keys={
            "user_id": "agentId",
            "display_name": "agentName",
            "extension": "extn",
            "state": "agentState",
            "state_start": "stateChangedAt",
            "dashboard": "onWallboard",
        },
        call_states={"ringing": "OFFERED", "queueing": "IN_QUEUE", "bridged": "IN_PROGRESS"},
        user_states={"available": "AVAILABLE", "unavailable": ["NOT_AVAILABLE", "BUSY"]},
        flag=("on", "off"),
        time=lambda t: f"{DAY} {t}",
    ),
    Vocabulary(
        "a state word it cannot place is asked, not guessed",
        call_keys={"state": "callPhase"},
        user_keys={"state": "agentStatus", "dashboard": "wallboard"},
        call_states={"ringing": "ring", "queueing": "queue", "bridged": "TALKING"},
        user_states={"available": "FREE", "unavailable": "PAUSED", "4": "LIMBO"},
        flag=("true", "false"),
        time=lambda t: f"{DAY} {t}",
        asked=["LIMBO"],
        unread=["4"],
    ),
]
