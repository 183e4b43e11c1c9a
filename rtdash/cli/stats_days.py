"""Where ``rtdash stats`` finds each installation's day state: the file the dashboard
saves, or what the hub keeps in Redis (:mod:`rtdash.hub.latest`), read as its screens
read it. Each comes with the time now, ours for a saved file (whose offset to the
upstream is in it), the upstream's for the hub's (whose state carries none), so that
whether it is today's is judged on the clock the day was counted on.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from rtdash.cli.common import PROG, Failure, say

if TYPE_CHECKING:
    from rtdash.config import Settings

#: an installation asked for: its label, its id and the key of its saved state
Target = tuple[str, int, str]
#: an installation's day state, the upstream's clock now as that state tells it, and a
#: warning to say if that day is printed
Day = tuple[str, dict[str, Any], float, str]


def saved_days(targets: list[Target]) -> list[Day]:
    from rtdash.core.daystate import read_state, state_path

    now = time.time()
    days = []
    for label, _, key in targets:
        state = read_state(state_path(key))
        if state is not None:
            days.append((label, state, now, ""))
    return days


def hub_days(settings: Settings, targets: list[Target], window: str = "today") -> list[Day]:
    """The day state the hub publishes for each installation, as its screens read it
    (for a recent window, the whole state the hub keeps for the next leader, which has
    carried the last hour's minutes whatever the hub's version).

    That state is on the upstream's clock and carries no offset to ours (the screens
    need none), so whether it is today's is judged by its own clock moved on by the
    time since it was published: a hub that stopped yesterday leaves yesterday's day in
    Redis, and that is not today's whatever the two clocks say."""
    from rtdash.hub.codec import FrameError
    from rtdash.hub.connect import hub_url
    from rtdash.hub.latest import HubMisconfigured, HubUnreachable, read_installations
    from rtdash.hub.subscriber import STALE_INTERVALS

    prefix = settings.hub.prefix
    try:
        read = read_installations(hub_url(settings), prefix, [t[1] for t in targets])
    except HubMisconfigured as exc:
        raise Failure(f"{PROG} stats: {exc}") from None
    except HubUnreachable as exc:
        raise Failure(f"{PROG} stats: hub unreachable: {exc}") from None
    unpublished = [igrp for _, igrp, _ in targets if read[igrp].quiet is None]
    if len(unpublished) == len(targets):
        ids = ", ".join(map(str, unpublished))
        which = f"installation {ids}" if len(unpublished) == 1 else f"installations {ids}"
        raise Failure(
            f"{PROG} stats: no hub publishes {which} under prefix {prefix!r} "
            f"(is `{PROG} hub` running with it in its config?)"
        )
    for label, igrp, _ in targets:
        if igrp in unpublished:
            say(f"{PROG} stats: warning: no hub publishes {printable(label)}")
    now = time.time()
    days = []
    for label, igrp, _ in targets:
        latest = read[igrp]
        try:
            frame = latest.service() if window == "today" else latest.day()
            interval = latest.interval() or settings.polling.interval
        except FrameError as exc:
            say(f"{PROG} stats: warning: {printable(label)}: the hub's state is unreadable ({exc})")
            continue
        if frame is None or frame.service is None:
            continue
        quiet = latest.quiet or 0.0
        stale = (
            f"{PROG} stats: warning: {printable(label)}: no hub has published for "
            f"{how_long(quiet)}: these are the totals it published last"
            if quiet > STALE_INTERVALS * interval
            else ""
        )
        try:
            upstream = float(frame.service.get("saved_at") or 0.0) + max(0.0, now - frame.at)
        except (TypeError, ValueError):
            continue
        # the whole state's calls in flight (and the hub's offset to the upstream, which
        # ``upstream`` is on already) are the next leader's: a report needs neither
        days.append((label, {**frame.service, "tracker": {}}, upstream, stale))
    return days


def how_long(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    return f"{seconds / 60:.0f} min" if seconds < 7200 else f"{seconds / 3600:.0f} h"


def printable(text: str) -> str:
    """No control or bidi characters reach the terminal, whatever the state file holds."""
    return "".join(ch if ch.isprintable() else "?" for ch in text)
