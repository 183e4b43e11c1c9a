"""Per-queue summary for the wallboard: how many wait in each queue, and for how long.

"Waiting" is the headline's definition (:data:`~rtdash.core.metrics.WAITING_STATES`:
queueing or ringing), so the queues' counts add up to the headline number and the
oldest queue's longest wait is the headline's longest wait.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from rtdash.api.models import CallState, PbxUser
from rtdash.core.agents import agents_on_call_by_queue
from rtdash.core.metrics import WAITING_STATES, seconds_since, wait_start
from rtdash.core.service_report import ServiceReport, ServiceStats
from rtdash.core.snapshot import CallsSnapshot

NO_QUEUE = "(no queue)"


@dataclass(frozen=True, slots=True)
class QueueSummary:
    queue: str
    waiting: int
    talking: int
    longest_wait_since: datetime | None
    #: the dashboard's agents on a call of this queue (None: users not known yet)
    agents_on_call: int | None = None

    def longest_wait(self, now: datetime) -> float | None:
        return seconds_since(self.longest_wait_since, now)


def summarize_queues(
    calls: CallsSnapshot, agents: Sequence[PbxUser] | None = None
) -> list[QueueSummary]:
    """Queues with calls, the longest current wait first (then the busiest). With
    ``agents`` (the dashboard's users), each queue also counts those on its calls."""
    waiting: dict[str, int] = {}
    talking: dict[str, int] = {}
    oldest: dict[str, datetime | None] = {}
    for state in WAITING_STATES:
        for call in calls.groups[state]:
            name = call.queue or NO_QUEUE
            waiting[name] = waiting.get(name, 0) + 1
            start = wait_start(call)
            known = oldest.get(name)
            if start is not None and (known is None or start < known):
                oldest[name] = start
            else:
                oldest.setdefault(name, known)
    for call in calls.groups[CallState.BRIDGED]:
        name = call.queue or NO_QUEUE
        talking[name] = talking.get(name, 0) + 1
    names = set(waiting) | set(talking)
    on_call: dict[str | None, int] | None = None
    if agents is not None:
        on_call = agents_on_call_by_queue(agents, calls.on_call())
    rows = [
        QueueSummary(
            name,
            waiting.get(name, 0),
            talking.get(name, 0),
            oldest.get(name),
            None if on_call is None else on_call.get(None if name == NO_QUEUE else name, 0),
        )
        for name in names
    ]
    return sorted(
        rows,
        key=lambda row: (
            row.longest_wait_since.timestamp() if row.longest_wait_since else float("inf"),
            -row.waiting,
            row.queue,
        ),
    )


#: the calls filter that keeps one queue's calls (``queue:sales``): the queues view's
#: Enter types it into the dashboard's filter, where Esc clears it as any other
QUEUE_FILTER = "queue:"


def queue_filter(name: str) -> str:
    return f"{QUEUE_FILTER}{name}"


def filtered_queue(text: str) -> str | None:
    """The queue a filter keeps (``""`` for calls in no queue), or None for a text filter."""
    if not text.lower().startswith(QUEUE_FILTER):
        return None
    name = text[len(QUEUE_FILTER) :].strip()
    return "" if name == NO_QUEUE else name


@dataclass(frozen=True, slots=True)
class QueueDay:
    """One row of the dashboard's queues view: the queue now, its day so far, and its
    last 15 minutes (``recent``: whether the service is better now than the day says)."""

    queue: str
    now: QueueSummary | None
    today: ServiceStats | None
    recent: ServiceStats | None = None

    @property
    def waiting(self) -> int:
        return self.now.waiting if self.now is not None else 0

    @property
    def talking(self) -> int:
        return self.now.talking if self.now is not None else 0


def queue_days(
    calls: CallsSnapshot | None,
    agents: Sequence[PbxUser] | None,
    report: ServiceReport | None,
    recent: ServiceReport | None = None,
) -> list[QueueDay]:
    """Every queue with a call now (in :func:`summarize_queues`' order: the longest
    wait first), then those with only outcomes today, by name; with ``recent`` (a
    window's report), each with its outcomes of that window too."""
    live = summarize_queues(calls, agents) if calls is not None else []
    today = {stats.name or NO_QUEUE: stats for stats in report.queues} if report else {}
    lately = {stats.name or NO_QUEUE: stats for stats in recent.queues} if recent else {}
    rows = [QueueDay(q.queue, q, today.pop(q.queue, None), lately.get(q.queue)) for q in live]
    rows += [QueueDay(name, None, stats, lately.get(name)) for name, stats in sorted(today.items())]
    return rows
