"""Leave when no key can ever arrive: stdin at end of file is a hang-up.

Textual's input thread waits on stdin with ``select``; at end of file (``rtdash
</dev/null``, a pipe whose writer left, a file) stdin is always "readable", each read
returns nothing, and the thread spins at a full core for ever. Nothing rtdash can do
inside that thread, so the app checks stdin itself, without reading from it (which
would steal keys): ``/dev/null`` or a regular file can never give a key, and a pipe or
terminal whose other end has gone polls as hung up.
"""

from __future__ import annotations

import logging
import os
import select
import stat
import sys
import threading
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

#: the shell's code for "ended by SIGHUP" (128 + 1)
HANGUP_EXIT = 129
#: how often stdin is checked while the app runs
CHECK_SECONDS = 1.0
#: how long an orderly exit may take before the process leaves regardless
EXIT_GRACE = 3.0


def stdin_gone(fd: int) -> str | None:
    """Why no key can ever come from ``fd``, or None while one still may."""
    try:
        info = os.fstat(fd)
    except OSError:
        return "stdin is closed"
    if stat.S_ISREG(info.st_mode):
        return "stdin is a file, not a terminal"
    if stat.S_ISCHR(info.st_mode) and info.st_rdev == _null_device():
        return "stdin is /dev/null"
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    try:
        ready = poller.poll(0)
    except OSError:
        return "stdin cannot be polled"
    for _, events in ready:
        if events & (select.POLLHUP | select.POLLERR | select.POLLNVAL):
            return "stdin hung up"
    return None


def _draws_on_a_terminal() -> bool:
    for stream in (sys.__stdout__, sys.__stderr__):
        try:
            if stream is not None and os.isatty(stream.fileno()):
                return True
        except (OSError, ValueError):
            continue
    return False


def _null_device() -> int | None:
    try:
        return os.stat(os.devnull).st_rdev
    except OSError:
        return None


def watch_stdin(app: Any, exit_code: int, hang_up: Callable[[], None]) -> None:
    """Check stdin now and every :data:`CHECK_SECONDS`; once it is gone, exit as for a
    hang-up: an orderly exit first (the screen may still be there to restore), then
    ``hang_up`` (from a thread) if the process is still there after
    :data:`EXIT_GRACE`. Only for an app drawing on a terminal: Textual's input thread
    reads stdin only then (a headless app in tests, or one rendered in-process by the
    benchmarks, has a stdin that is not its input)."""
    if app.is_headless or sys.__stdin__ is None or not _draws_on_a_terminal():
        return
    try:
        fd = sys.__stdin__.fileno()
    except (OSError, ValueError):
        return

    import asyncio

    loop = asyncio.get_running_loop()

    def watch() -> None:
        # a thread, not an app timer: once nobody reads the terminal, the app can block
        # writing to it, and then its timers never run again
        while True:
            why = stdin_gone(fd)
            if why is not None:
                break
            if _stop.wait(CHECK_SECONDS):
                return
        log.warning("%s: no key can arrive, exiting as on a hang-up", why)
        try:
            loop.call_soon_threadsafe(lambda: app.exit(return_code=exit_code))
        except RuntimeError:  # the loop is closed: the app is ending anyway
            return
        # the orderly exit may itself block on the terminal: leave regardless after a
        # grace, and if saving on the way out blocks too, after another
        if not _stop.wait(EXIT_GRACE):
            threading.Thread(target=hang_up, name="rtdash hang-up", daemon=True).start()
            if not _stop.wait(EXIT_GRACE):
                os._exit(exit_code)

    _stop.clear()
    threading.Thread(target=watch, name="rtdash stdin watch", daemon=True).start()


#: set when the watched app has ended, so a waiting watcher does not outlive it
_stop = threading.Event()


def stop_watching() -> None:
    """The app ended normally: the watcher leaves (it is a daemon thread either way)."""
    _stop.set()
