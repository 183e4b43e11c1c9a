"""Profile the P1 path with pyinstrument (optional: ``pip install pyinstrument``) and
name the hot spots: where the CPU goes, and through which of rtdash's own functions.

pyinstrument is not a dependency of rtdash or of the harness: without it the harness
runs every measure and says the profile was not taken.
"""

from __future__ import annotations

import asyncio
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.loads import RTDASH, Load
from bench.measures.inprocess import measure_ticks

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
#: frames of the product (and the harness) as opposed to libraries
OWN = (str(ROOT / "rtdash") + "/",)
IDLE_LEAVES = {"epoll.poll", "select.select", "poll.poll", "kqueue.control", "sleep"}


@dataclass(frozen=True)
class Frame:
    function: str
    path: str
    line: int
    cls: str | None

    @classmethod
    def parse(cls, info: str) -> Frame:
        identifier, _, attributes = info.partition("\x01")
        function, path, line = [*identifier.split("\x00"), "", "0"][:3]
        owner = None
        for attribute in attributes.split("\x01") if attributes else ():
            if attribute.startswith("c"):
                owner = attribute[1:]
        return cls(function, path, int(line or 0), owner)

    @property
    def name(self) -> str:
        qual = f"{self.cls}.{self.function}" if self.cls else self.function
        return f"{qual} ({self.short_path}:{self.line})"

    @property
    def short_path(self) -> str:
        path = self.path
        if path.startswith(str(ROOT) + "/"):
            return path[len(str(ROOT)) + 1 :]
        marker = "site-packages/"
        if marker in path:
            return path.split(marker, 1)[1]
        return path.rsplit("/", 1)[-1]

    @property
    def own(self) -> bool:
        return self.path.startswith(OWN)


@dataclass(frozen=True)
class HotSpot:
    frame: str
    seconds: float
    share: float
    #: the innermost rtdash function above it in the stack, with its share of this time
    via: str | None


@dataclass(frozen=True)
class Profile:
    busy: float
    #: by self time (the function that was running), with the rtdash caller responsible
    leaves: list[HotSpot]
    #: rtdash's own functions by inclusive time
    own: list[HotSpot]
    #: where the event loop handed over control (rendering, message handlers, timers)
    entries: list[HotSpot]
    text: str


def analyse(session: Any, top: int = 5) -> Profile:
    self_time: Counter[Frame] = Counter()
    via: dict[Frame, Counter[Frame]] = defaultdict(Counter)
    inclusive: Counter[Frame] = Counter()
    entries: Counter[Frame] = Counter()
    busy = 0.0
    for stack, seconds in session.frame_records:
        frames = [Frame.parse(info) for info in stack]
        leaf = frames[-1]
        if leaf.function in IDLE_LEAVES:
            continue
        busy += seconds
        self_time[leaf] += seconds
        own = [frame for frame in frames if frame.own]
        if own:
            via[leaf][own[-1]] += seconds
        for frame in set(own):
            inclusive[frame] += seconds
        entries[_entry(frames)] += seconds

    def spot(frame: Frame, seconds: float, callers: Counter[Frame] | None) -> HotSpot:
        caller = None
        if callers:
            best, share = callers.most_common(1)[0]
            caller = f"{best.name}, {share / seconds:.0%}"
        return HotSpot(frame.name, seconds, seconds / busy if busy else 0.0, caller)

    leaves = [spot(f, s, via.get(f)) for f, s in self_time.most_common(top)]
    # the top-level own frames (the measure's loop) say nothing: keep product code only
    product = [(f, s) for f, s in inclusive.most_common() if "/bench/" not in f.path]
    own = [spot(f, s, None) for f, s in product[: top * 2]]
    entry = [spot(f, s, None) for f, s in entries.most_common(top)]
    return Profile(busy, leaves, own, entry, "")


#: frames that only pass control on: the entry point is the first frame below them
PLUMBING = ("asyncio/", "textual/_callback.py", "textual/message_pump.py", "textual/timer.py")


def _entry(frames: list[Frame]) -> Frame:
    """The first frame that does work of its own below the event loop's plumbing."""
    for frame in frames:
        if not any(part in frame.path for part in PLUMBING) and frame.function != "<module>":
            if "bench/" in frame.path or frame.path.startswith(("<thread", "<frozen")):
                continue
            return frame
    return frames[-1]


async def profile_ticks(load: Load, ticks: int, warmup: int) -> Profile | None:
    try:
        from pyinstrument import Profiler
    except ImportError:
        return None
    profiler = Profiler(interval=0.0005, async_mode="disabled")
    # the same steady state as P1: past the start-up alert flash
    await measure_ticks(RTDASH, load, ticks, warmup=warmup, profiler=profiler)
    session = profiler.last_session
    profile = analyse(session)
    text = profiler.output_text(unicode=True, color=False, show_all=False)
    return Profile(profile.busy, profile.leaves, profile.own, profile.entries, text)


def run_profile(load: Load, ticks: int, warmup: int) -> Profile | None:
    return asyncio.run(profile_ticks(load, ticks, warmup))
