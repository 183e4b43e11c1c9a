"""Objects that hold only atoms, out of the cyclic garbage collector's sight.

A big centre's rows, the day's tracked calls and the agents' clocks are most of the
objects the collector follows, and none of them can be in a reference cycle: each full
collection walked every one of them for nothing, and each young collection every row a
poll made. :func:`untrack` takes such an object out of its lists (``rtdash/api/_untrack.c``,
where built; elsewhere it hands the object back as it is, followed as before). Reference
counting still frees it. A class whose instances are untracked says why nothing they
hold can refer back to them: a cycle through one would never be freed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from rtdash.api import c_parts

T = TypeVar("T")

built = c_parts.built("_untrack")  # None: not built here


def _followed(obj: T) -> T:
    """Where the C part was not built: the object as it is, still followed."""
    return obj


#: ``obj``, no longer followed by the cyclic collector (an instance of a slotted class)
untrack: Callable[[T], T] = built.untrack if built is not None else _followed
