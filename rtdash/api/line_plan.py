"""New lines of a learnt shape read straight into rows in C (``rtdash/api/_line_read.c``)
where it was built: at a big centre a poll's hundreds of new lines were each decoded,
encoded again to be checked, read field by field and built slot by slot in Python.

Only plain lines are read there (compact JSON, the shape's keys in its order, texts
printable, times and states the reader has seen); for any other line the C part
answers None and the reader reads it as every line was read before. A plan is made
per learnt shape from what the reader already knows of it (:class:`RowShape`), so the
C part fills the same fields from the same keys.
"""

from __future__ import annotations

from types import ModuleType
from typing import TYPE_CHECKING, Any

import msgspec

from rtdash.api import c_parts
from rtdash.api.row_base import field_names
from rtdash.api.row_shape import RowShape

if TYPE_CHECKING:
    from rtdash.api.row_reader import RowReader

#: None where the C part was not built: every new line is read in Python
built: ModuleType | None = c_parts.built("_line_read")


def plan_for(reader: RowReader, shape: RowShape, keys: tuple[str, ...]) -> Any | None:
    """The C part's plan for lines with ``keys`` (read by ``reader`` as ``shape``), or
    None when there is no C part or the shape has what only the reader reads: keys it
    does not map (their values are cleaned into the row's extras) or no state."""
    if built is None or shape.extra_keys or shape.state is None:
        return None
    kinds: dict[str, tuple[int, int]] = {}
    for kind, pairs in (
        (built.TEXT, shape.texts),
        (built.SHARED, shape.shared),
        (built.TIME, shape.times),
        (built.INT, shape.ints),
        (built.INT, shape.ticking),
    ):
        for place, key in pairs:
            kinds[key] = (kind, place)
    kinds[shape.state] = (built.STATE, reader.state_at)
    if shape.dashboard is not None:
        if reader.dashboard_at < 0:
            return None
        kinds[shape.dashboard] = (built.FLAG, reader.dashboard_at)
    plan = [kinds.get(key, (built.SKIP, 0)) for key in keys]
    model = reader.model
    return built.Plan(
        model,
        field_names(model.table),
        tuple(model.defaults),
        tuple(msgspec.json.encode(key) + b":" for key in keys),
        tuple(kind for kind, _ in plan),
        tuple(place for _, place in plan),
        reader.id_at,
        tuple(reader.fallbacks),
        reader.MAX_CACHED,
        reader.zone,
    )
