"""An installation's label in fewer cells: the name's start cut, its id kept.

The id is what tells one installation's tab or status line from another's; a label cut
from its end loses it first ("installat…" says nothing, "installation 1…" names an
installation that is not there). Used by the status line and by the tabs, which must
all stay on their line (a tab pushed off it hid its alert mark)."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text

from rtdash.core.naming import id_mark, label_parts

#: the fewest cells an installation's name is cut to beside its id before the id
#: stands alone: fewer than "Northw…" says nothing the id does not
MIN_NAME_CELLS = 7


def shortened(label: str, room: int) -> str | None:
    """The installation's label in ``room`` cells, or None if it cannot say which
    installation in so few. A label cut from its end lost its id first: "installat…"
    said nothing, and "installation 1…" named an installation that is not there. So the
    name's start is cut and the id kept ("Northw… (1234)"); with less room, or no name
    ("installation 1234"), the id alone (``#1234``). A label with no id (a recording's
    own words) is cut from its end, as long as enough of it is left to read."""
    if cell_len(label) <= room:
        return label
    name, igrp = label_parts(label)
    if igrp is None:
        return cut_to(label, room) if room >= MIN_NAME_CELLS else None
    if name is not None:
        name_room = room - cell_len(f" ({igrp})")
        if name_room >= MIN_NAME_CELLS:
            return f"{cut_to(name, name_room)} ({igrp})"
    mark = id_mark(igrp)
    return mark if cell_len(mark) <= room else None


def cut_to(text: str, cells: int) -> str:
    """``text`` in ``cells`` cells with "…" at its end; by cells, not characters: a
    wide character counts two (a CJK name's cut would otherwise overrun the line)."""
    cut = Text(text)
    cut.truncate(cells - 1)
    cut.rstrip()  # "Centre…", not "Centre …" (nor a wide character's half's space)
    return f"{cut.plain}…"
