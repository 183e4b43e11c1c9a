"""rtdash's parts in C (``rtdash/api/_lines.c``, ``rtdash/api/_heads.c``,
``rtdash/api/_line_read.c``, ``rtdash/api/_untrack.c``, ``rtdash/core/_drop.c``), built
by ``pip install`` where a C compiler is found: each is optional, and where it was not
built the Python that does the same is used, or the work is done without it (see the
modules that ask for them)."""

from __future__ import annotations

import importlib
from types import ModuleType


def built(name: str, package: str = "rtdash.api") -> ModuleType | None:
    """The C part ``<package>.<name>``, or None where it was not built."""
    try:
        return importlib.import_module(f"{package}.{name}")
    except ImportError:
        return None
