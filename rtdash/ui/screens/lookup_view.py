"""How one caller's attribution is laid out in the lookup: label and value, a section at
a time, sized for an 80-column dialog; and the words it says before an answer.

Kept apart from the modal (:mod:`rtdash.ui.screens.lookup`), which asks, re-asks and
ticks: this is only the drawing, and the hostile-text tests reach it directly.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from rich.cells import cell_len
from rich.console import Group
from rich.table import Table
from rich.text import Text

from rtdash.api.models import CallerDetails
from rtdash.core.call_row_fields import Fields
from rtdash.core.caller_sections import details_sections

#: the most columns the labels take: at 80 columns the values keep about 40 of the
#: dialog's (the built-in labels need 15)
MAX_LABEL_WIDTH = 24

#: what the result says while nothing has been asked yet
PROMPT = "Type a number or a call reference, then Enter."

PII_REFUSED = (
    "Caller lookup is off while personal data is excluded (--exclude-pii or wallboard "
    "mode): the lookup route returns caller details."
)

BASIC_MODE = (
    "This installation is in basic mode: it shares the installation, line and "
    "transaction reference only."
)


def details_view(
    details: CallerDetails,
    zone: ZoneInfo,
    answered_by: str | None = None,
    *,
    sections: list[tuple[str, Fields]] | None = None,
) -> Group:
    """The answer's sections as label/value grids, every value starting in one column:
    ``sections`` as the modal made them (see :func:`details_sections`), else the
    answer's own.

    The label width is capped, so a long custom key cannot squeeze the values at 80
    columns: it folds in its own column (cut, two keys alike but for their ends would
    read the same). A long value folds over as many lines as it needs: cut with "…",
    a URL could be read whole only by copying it, which a supervisor on SSH may have
    no clipboard for; the dialog scrolls to the fields it pushes down.
    """
    parts: list[object] = []
    if details.mode == "basic":
        parts.append(Text(BASIC_MODE, style="italic"))
    if sections is None:
        sections = details_sections(details, zone, answered_by)
    widest = max((cell_len(label) for _, rows in sections for label, _ in rows), default=0)
    label_width = min(widest, MAX_LABEL_WIDTH)
    for title, rows in sections:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", width=label_width, overflow="fold")
        table.add_column()  # gives way to the width (a no_wrap one cuts the labels)
        for label, value in rows:  # upstream text: never markup
            table.add_row(Text(label), Text(value, overflow="fold"))
        parts.append(Text(f"\n{title}", style="bold underline"))
        parts.append(table)
    return Group(*parts)  # type: ignore[arg-type]  # every part is a Rich renderable
