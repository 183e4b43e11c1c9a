"""The C heap at a big installation: big blocks straight from the system and back,
the socket's reads from the heap.

A big centre's body is tens of megabytes, read every second, with lists and tables of
every row beside it. glibc's ``malloc`` raises the size it maps on its own each time a
mapped block is freed, so after the first body the next ones, and the big lists and
tables, come from the heap, which cannot give the memory back while anything small
lives above it: the process keeps its largest poll's worth for good. A fixed threshold
(``mallopt(M_MMAP_THRESHOLD)``) keeps every block of that size a mapping of its own,
returned to the system when freed. Only on glibc; elsewhere nothing is done.

The threshold sits above a read of the socket (a connection that brings big bodies
reads 1 MiB at a time, see :mod:`rtdash.api.http11_stream`, and a body's read is
scanned and let go at once): mapped, every read of every poll was
a fresh mapping, its pages faulted in by the read and unmapped after it: kernel time
that grew with the body (bench/RESULTS.md, ``scale-exponent``). From the heap, one
read's block is the next one's.
"""

from __future__ import annotations

import sys
from typing import Any

from rtdash.api.http11_stream import Incoming

#: ``mallopt``'s parameter numbers (glibc's malloc.h): the heap's top is given back
#: to the system once this much of it is free; blocks this big are mapped
M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
#: blocks this big or bigger are mapped (and unmapped when freed): twice a big centre's
#: read of the socket, so a read's block is reused from one read to the next
THRESHOLD = 2 * Incoming.WIDE_READ
#: the free top of the heap kept (twice the mapping threshold, as glibc's own
#: adjustment keeps it): a read's block freed at the top is not given back at once
TRIM = 2 * THRESHOLD
#: a body this big makes the setting worth it (a small centre never asks), and its
#: connection reads wide (:meth:`~rtdash.api.http11_stream.Incoming.widen`)
BIG_BODY = 1024 * 1024

_done = False


def _libc() -> Any:
    if not sys.platform.startswith("linux"):
        return None
    import ctypes  # here: only a big centre's body needs it, and a start does not
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None
    return libc if hasattr(libc, "mallopt") and hasattr(libc, "gnu_get_libc_version") else None


def after_body(size: int) -> bool:
    """Called with each body's size: the first big one fixes the threshold, once.
    True when it was set now."""
    global _done
    if _done or size < BIG_BODY:
        return False
    _done = True
    libc = _libc()
    if libc is None:
        return False
    # a fixed mapping threshold fixes the trim threshold too, at glibc's 128 KiB
    # default: the block of a read freed at the top of the heap would be given back
    kept = libc.mallopt(M_TRIM_THRESHOLD, TRIM)
    return bool(libc.mallopt(M_MMAP_THRESHOLD, THRESHOLD)) and bool(kept)
