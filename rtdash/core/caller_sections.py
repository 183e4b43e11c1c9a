"""The caller's details as the lookup shows them: titled sections of (label, value),
one source for the modal, the text ``y`` copies, and the checks of both. Empty values
read "–" everywhere, so a blank never passes for a value."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from rtdash.api.models import CallerDetails, answered
from rtdash.core.answered_by import answered_on
from rtdash.core.call_row_fields import Fields, new_to
from rtdash.core.format import caller_label, duration
from rtdash.core.labels import DETAIL_LABELS as L


def details_sections(
    details: CallerDetails,
    zone: ZoneInfo,
    answered_by: str | None = None,
    *,
    installation_name: str | None = None,
    row: tuple[str, Fields] | None = None,
) -> list[tuple[str, Fields]]:
    """The details as titled (label, value) lists: one source for the screen and ``y``.
    ``answered_by``: the name of who answered, where the dashboard knows it (see
    :mod:`rtdash.core.answered_by`); the answer itself names only a number.
    ``installation_name``: the dashboard's name for the installation, for an answer
    that names none (basic mode never does). ``row``: the title and fields of the
    dashboard's row of the call (:mod:`rtdash.core.call_row_fields`), last, less what
    the answer already says."""
    installation = " ".join(
        part for part in (_text(details.igrp), details.igrp_name or installation_name) if part
    )
    sections: list[tuple[str, Fields]]
    if details.mode == "basic":
        sections = [
            (
                "Basic mode",
                [
                    (L["igrp"], installation),
                    (L["dgrp"], _text(details.dgrp)),
                    (L["txr"], _text(details.txr)),
                ],
            )
        ]
    else:
        sections = _advanced_sections(details, zone, answered_by, installation)
    if row is not None:
        title, fields = row
        shown = (field for _, rows in sections for field in rows)
        sections.append((title, new_to(fields, shown)))
    return sections


def _advanced_sections(
    details: CallerDetails, zone: ZoneInfo, answered_by: str | None, installation: str
) -> list[tuple[str, Fields]]:
    channel = " · ".join(part for part in (details.ch_name or details.ch, details.ch_type) if part)
    attribution = [
        (L["ch_name"], channel),
        (L["pub"], _text(details.pub)),
        (L["campaign"], _text(details.campaign)),
        (L["ad_group"], _text(details.ad_group)),
        (L["keyword"], _text(details.keyword)),
        (L["landing_page_title"], _text(details.landing_page_title)),
        (L["landing_url"], _text(details.landing_url)),
        (L["page_title"], _text(details.page_title)),
        (L["conversion_url"], _text(details.conversion_url)),
        (L["referrer"], _text(details.referrer)),
    ]
    call = [
        (L["src_number"], caller_label(details.src_number)),
        (L["dialled_number"], _dialled(details.dialled_number)),
        (L["dest_number"], answered_on(details, answered_by)),
        (L["dgrp_name"], _text(details.dgrp_name or details.dgrp)),
        (L["trigger_time"], _when(details.trigger_time, zone)),
        (L["call_state"], _text(details.call_state)),
        (L["call_duration"], duration(details.call_duration)),
        # not answered (yet): no talk time, where 0:00 would read as a call answered
        # and ended at once
        (L["bridge_duration"], duration(details.bridge_duration) if answered(details) else "–"),
        (L["igrp"], installation),
    ]
    sections: list[tuple[str, Fields]] = [("Attribution", attribution), ("Call", call)]
    if details.custom:
        custom = sorted((key, _text(value)) for key, value in details.custom.items())
        sections.append(("Custom data", custom))  # an empty value says so, as above
    return sections


def details_text(sections: list[tuple[str, Fields]]) -> str:
    """:func:`details_sections` as plain lines, for ``y``: what the modal shows."""
    lines: list[str] = []
    for title, rows in sections:
        lines.append(f"{title}")
        lines.extend(f"  {label}: {value}" for label, value in rows)
    return "\n".join(lines)


def _dialled(number: str | None) -> str:
    """The number the caller dialled: one of the centre's own lines, never withheld, so
    an answer without it has nothing to say ("–"), where a caller's missing number is
    one they withheld."""
    return _text(number) if not number else caller_label(number)


def _text(value: object) -> str:
    return "–" if value is None or value == "" else str(value)


def _when(value: datetime | None, zone: ZoneInfo) -> str:
    if value is None:
        return "–"
    return value.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S %Z")
