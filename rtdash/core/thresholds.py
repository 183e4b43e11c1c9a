"""Threshold levels: the one rule for when a number turns amber or red."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class Level(IntEnum):
    OK = 0
    WARN = 1
    ALERT = 2

    @property
    def css_class(self) -> str:
        return f"level-{self.name.lower()}"


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Plain numbers (seconds and counts), built from config by the caller."""

    wait_warn: float = 60
    wait_alert: float = 120
    waiting_warn: int = 5
    waiting_alert: int = 10
    agents_available_min: int = 2

    @classmethod
    def from_settings(cls, settings: object) -> Thresholds:
        names = cls.__dataclass_fields__
        return cls(**{name: getattr(settings, name) for name in names})

    def wait(self, seconds: float | None) -> Level:
        return _rising(seconds, self.wait_warn, self.wait_alert)

    def waiting(self, count: int | None) -> Level:
        return _rising(count, self.waiting_warn, self.waiting_alert)

    def agents_available(self, count: int | None) -> Level:
        """None (no user data yet) is not "no agents": it never alerts."""
        if count is None:
            return Level.OK
        return Level.ALERT if count < self.agents_available_min else Level.OK


def _rising(value: float | None, warn: float, alert: float) -> Level:
    if value is None:
        return Level.OK
    if value >= alert:
        return Level.ALERT
    if value >= warn:
        return Level.WARN
    return Level.OK
