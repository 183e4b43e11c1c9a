"""One writer for an installation's day file on one machine.

Several rtdash processes may watch one installation from one account: a dashboard and
a wallboard side by side, or two ``--demo`` runs (each with a simulator of its own).
Each keeps today's totals, and each saving them to the one file made the file, and
``rtdash stats``, flip between them every few seconds. So the file has a lock beside
it: the first process to save holds it for as long as it runs, and the others keep
their totals in memory and try again at each save, so when the holder exits the next
takes over. ``flock`` is released by the kernel with the process, so a crash leaves no
stale lock. Where ``fcntl`` does not exist (Windows) every process writes, as before.
"""

from __future__ import annotations

import contextlib
import os
import weakref
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - not on the platforms CI runs
    # why the type: ignore below: the module's name stands for "no locks here"
    fcntl = None  # type: ignore[assignment]


class DayLock:
    """The lock file beside a day file, held once taken."""

    def __init__(self, day_file: Path) -> None:
        self.path = day_file.with_name(f"{day_file.name}.lock")
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def take(self) -> bool:
        """True if this process holds the lock (now or already); False while another
        process does. Never waits."""
        if self._fd is not None or fcntl is None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        self._fd = fd
        # a store dropped without release() lets go of the lock with it
        self._closer = weakref.finalize(self, _close, fd)
        return True

    def release(self) -> None:
        if self._fd is not None:
            self._fd = None
            self._closer()


def _close(fd: int) -> None:
    with contextlib.suppress(OSError):
        os.close(fd)  # closing the descriptor releases the lock
