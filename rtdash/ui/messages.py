"""Typed messages from an installation's live feed to its view.

A newer snapshot replaces an older one still queued (``can_replace``), so a slow screen
never works through a backlog of stale data.
"""

from __future__ import annotations

from textual.message import Message

from rtdash.core.poller_status import PollerStatus
from rtdash.core.snapshot import CallsSnapshot, UsersSnapshot


class CallsUpdated(Message):
    def __init__(self, snapshot: CallsSnapshot) -> None:
        super().__init__()
        self.snapshot = snapshot

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, CallsUpdated)


class UsersUpdated(Message):
    def __init__(self, snapshot: UsersSnapshot) -> None:
        super().__init__()
        self.snapshot = snapshot

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, UsersUpdated)


class StatusUpdated(Message):
    def __init__(self, status: PollerStatus) -> None:
        super().__init__()
        self.status = status

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, StatusUpdated)


class StalenessChanged(Message):
    """The data went stale, or fresh again, between two ticks (a status said so)."""

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, StalenessChanged)
