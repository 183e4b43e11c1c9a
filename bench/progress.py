"""Progress lines for the harness's measures: on stderr, flushed, so a long run shows
where it is while stdout stays free for what a script prints as its result."""

from __future__ import annotations

import sys


def say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)
