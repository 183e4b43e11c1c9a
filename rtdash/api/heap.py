"""The C heap at a big installation: big blocks straight from the system and back.

A big centre's body is tens of megabytes, read every second, with lists and tables of
every row beside it. glibc's ``malloc`` raises the size it maps on its own each time a
mapped block is freed, so after the first body the next ones, and the big lists and
tables, come from the heap, which cannot give the memory back while anything small
lives above it: the process keeps its largest poll's worth for good. A fixed threshold
(``mallopt(M_MMAP_THRESHOLD)``) keeps every block of that size a mapping of its own,
returned to the system when freed. Only on glibc; elsewhere nothing is done.
"""

from __future__ import annotations

import sys
from typing import Any

#: ``mallopt``'s parameter number for the mapping threshold (glibc's malloc.h)
M_MMAP_THRESHOLD = -3
#: blocks this big or bigger are mapped (and unmapped when freed)
THRESHOLD = 256 * 1024
#: a body this big makes the setting worth it (a small centre never asks)
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
    return bool(libc.mallopt(M_MMAP_THRESHOLD, THRESHOLD))
