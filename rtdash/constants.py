"""Facts several layers share, each said once: the poll interval's limits, replay
speeds, exit codes and how a recording of several installations is named.

Imports nothing, so the config, the command line, core and the UI can all use it
without pulling each other in.
"""

from __future__ import annotations

from pathlib import Path

#: the interval floor: the vendor publishes no rate limit, so stay polite
MIN_INTERVAL = 1.0
MAX_INTERVAL = 3600.0
#: the longest a failing route waits between its retries, unless the service asks for
#: longer (``Retry-After``): a watched screen is current again that soon after the
#: service answers (a wallboard's whole job), and a request per route that often is
#: nothing to the service; doubling on past it only kept boards stale after an outage
MAX_BACKOFF = 15.0
#: after the service refuses the credentials, the first wait before trying them again,
#: doubling up to the second: slow enough that wrong credentials left on a wallboard do
#: not lock the account (lockout policies count refused logins), soon enough that a
#: refusal that was the service's or a proxy's passing fault ends by itself
REJECTED_BACKOFF = 30.0
REJECTED_MAX_BACKOFF = 300.0
#: the intervals ``+`` and ``-`` move the dashboard's polling through: the first is the
#: fastest the keys go, the last the slowest (a longer one can still be configured)
INTERVAL_STEPS: tuple[float, ...] = (1.0, 2.0, 3.0, 5.0, 10.0, 15.0, 30.0, 60.0)

#: replay speeds: the slowest, the fastest, and the steps ``+`` and ``-`` move through
MIN_SPEED = 0.25
MAX_SPEED = 64.0
SPEEDS: tuple[float, ...] = (0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0)

#: a call reference in the shape the service gives them (``c-``, the installation, the
#: call's number), shown as the example in the help and the lookup's messages
EXAMPLE_CALL_REF = "c-1234-000070"

EXIT_OK = 0
#: the service failed or had no answer
EXIT_FAILURE = 1
#: how rtdash was called or configured is wrong
EXIT_USAGE = 2
#: the shell's codes for a process ended by a signal (128 + the signal's number), kept
#: so a supervisor or a restart loop sees why it ended
EXIT_HANGUP = 128 + 1
EXIT_INTERRUPTED = 128 + 2
EXIT_TERMINATED = 128 + 15


def recording_name_parts(path: Path) -> tuple[str, str]:
    """``day.rtrec.gz`` -> (``day``, ``.rtrec.gz``): where an installation's id goes."""
    suffixes = "".join(path.suffixes)
    return path.name.removesuffix(suffixes), suffixes


def per_installation_path(path: Path, igrp: int) -> Path:
    """``--record FILE`` with several installations writes one file each:
    ``day.rtrec.gz`` -> ``day-1234.rtrec.gz``."""
    base, suffixes = recording_name_parts(path)
    return path.with_name(f"{base}-{igrp}{suffixes}")


#: the service level's windows and their length in seconds (None: since midnight), as
#: `rtdash stats --window` offers them: here, so the parser names them without loading
#: the service level
SERVICE_WINDOWS: dict[str, int | None] = {"today": None, "60m": 60 * 60, "15m": 15 * 60}
