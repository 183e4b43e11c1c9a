"""Text in fewer terminal cells, and an installation's label cut with its id kept.

Everything here counts cells, not characters: a Chinese or Korean name or an emoji
takes two cells a character, and a cut counted in characters overran its column.

The id is what tells one installation's tab or status line from another's; a label cut
from its end loses it first ("installat…" says nothing, "installation 1…" names an
installation that is not there). Used by the status line and by the tabs, which must
all stay on their line (a tab pushed off it hid its alert mark)."""

from __future__ import annotations

from rich.cells import cell_len, get_character_cell_size

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
        return fit_cells(label, room).rstrip() if room >= MIN_NAME_CELLS else None
    if name is not None:
        name_room = room - cell_len(f" ({igrp})")
        if name_room >= MIN_NAME_CELLS:
            return f"{fit_cells(name, name_room).rstrip()} ({igrp})"
    mark = id_mark(igrp)
    return mark if cell_len(mark) <= room else None


def fit_cells(text: str, width: int) -> str:
    """``text`` in exactly ``width`` terminal cells: cut with ``…`` when too long,
    padded with spaces when short (a wallboard's tile keeps its column). A wide
    character the cut would halve goes whole, so ``…`` still ends the name, and a
    space before it goes too ("Centre…", not "Centre …")."""
    if width <= 0:
        return ""
    size = cell_len(text)
    if size <= width:
        return text + " " * (width - size)
    # the characters that leave a cell for the "…" (the text is wider, so some do not)
    kept = end = 0
    while kept + get_character_cell_size(text[end]) < width:
        kept += get_character_cell_size(text[end])
        end += 1
    head = text[:end].rstrip()
    return head + "…" + " " * (width - 1 - cell_len(head))
