"""The harness's results: a row per measure and load, rtdash beside the baseline, and the
floor's rows, which have one app and no verdict."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bench.stats import Summary


@dataclass
class Target:
    text: str
    check: Callable[[Summary, Summary], bool]


@dataclass
class Row:
    measure: str
    title: str
    load: str
    setting: str
    unit: str
    #: how a sample is shown: value in ``unit`` from the raw sample
    scale: float
    samples: dict[str, list[float]] = field(default_factory=dict)
    target: Target | None = None
    notes: list[str] = field(default_factory=list)
    #: the statistic the target is judged on, shown in the headline and used for the ratio
    statistic: str = "median"

    def summary(self, app: str) -> Summary:
        return Summary.of(self.samples[app])

    def headline_value(self, app: str) -> float:
        return float(getattr(self.summary(app), self.statistic))

    @property
    def ratio(self) -> float | None:
        rtdash, baseline = self.headline_value("rtdash"), self.headline_value("baseline")
        return rtdash / baseline if baseline else None

    @property
    def verdict(self) -> str | None:
        if self.target is None:
            return None
        ok = self.target.check(self.summary("rtdash"), self.summary("baseline"))
        return "PASS" if ok else "FAIL"

    def as_dict(self) -> dict[str, Any]:
        return {
            "measure": self.measure,
            "title": self.title,
            "load": self.load,
            "setting": self.setting,
            "unit": self.unit,
            "scale": self.scale,
            "samples": self.samples,
            "summary": {app: self.summary(app).as_dict() for app in self.samples},
            "ratio": self.ratio,
            "target": self.target.text if self.target else None,
            "verdict": self.verdict,
            "notes": self.notes,
        }


@dataclass
class FloorRow:
    """One number about the framework floor: a bare Textual app, neither rtdash nor the
    baseline, so no ratio and no target.

    Not a :class:`Row` on purpose: it has one app, not two, and no verdict, so it cannot
    change a PASS or FAIL, nor the rows of the Targets and All results tables.
    """

    what: str
    setting: str
    unit: str
    #: how a sample is shown: value in ``unit`` from the raw sample
    scale: float
    #: the target row this floor is to be read against
    against: str
    samples: list[float] = field(default_factory=list)

    def summary(self) -> Summary:
        return Summary.of(self.samples)

    def as_dict(self) -> dict[str, Any]:
        return {
            "measure": "FLOOR",
            "what": self.what,
            "setting": self.setting,
            "unit": self.unit,
            "scale": self.scale,
            "against": self.against,
            "samples": self.samples,
            "summary": self.summary().as_dict(),
        }
