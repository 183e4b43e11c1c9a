"""rtdash's parts in C (``rtdash/api/_lines.c``, ``rtdash/api/_heads.c``), built by
``pip install`` where a C compiler is found: each is optional, and where it was not
built the Python that does the same is used (see the modules that ask for them)."""

from __future__ import annotations

import importlib
from types import ModuleType


def built(name: str) -> ModuleType | None:
    """The C part ``rtdash.api.<name>``, or None where it was not built."""
    try:
        return importlib.import_module(f"rtdash.api.{name}")
    except ImportError:
        return None
