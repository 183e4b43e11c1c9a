"""One word per field: the dashboard, the command line and the CSV export name a field
the same way (:mod:`rtdash.core.labels`), and no field of a row goes without a word."""

from __future__ import annotations

import pytest

from rtdash.api.models import ActiveCall, CallerDetails, PbxUser, Row
from rtdash.cli.render import _LOOKUP_GROUPS
from rtdash.core.caller_sections import details_sections
from rtdash.core.export import CALL_COLUMNS, USER_COLUMNS
from rtdash.core.labels import CALL_LABELS, DETAIL_LABELS, USER_LABELS
from rtdash.ui.widgets import calls_grid, user_panel


@pytest.mark.parametrize(
    ("model", "labels"),
    [(ActiveCall, CALL_LABELS), (PbxUser, USER_LABELS), (CallerDetails, DETAIL_LABELS)],
)
def test_every_field_has_a_word(model: type[Row], labels: dict[str, str]) -> None:
    skip = {"extra", "mode", "custom"} if model is CallerDetails else set()
    missing = set(model.model_fields) - set(labels) - skip
    assert not missing


def test_the_csv_header_uses_the_screens_column_titles() -> None:
    untimed = [c.label for c in calls_grid.COLUMNS if not c.ticking]
    assert untimed == ["Caller", "Line", "Queue", "Agent"]
    assert set(untimed) <= set(CALL_COLUMNS)
    assert {"Name", "Ext", "State"} <= set(USER_COLUMNS)
    assert [c.label for c in user_panel.COLUMNS][1:] == ["State", "Name", "Ext"]
    assert "dgrpName" not in CALL_COLUMNS and "displayName" not in USER_COLUMNS


def test_the_cli_listing_and_the_lookup_screen_share_their_words() -> None:
    from zoneinfo import ZoneInfo

    details = CallerDetails.model_validate(
        {"mode": "advanced", "dgrpName": "Sales line", "pageTitle": "Pricing", "igrp": 1}
    )
    on_screen = {
        label for _, rows in details_sections(details, ZoneInfo("UTC")) for label, _ in rows
    }
    in_cli = {DETAIL_LABELS[name] for _, names in _LOOKUP_GROUPS for name in names}
    assert {"Line", "Conversion page", "Installation"} <= on_screen & in_cli
    assert "Number group name" not in in_cli and "Last page" not in in_cli


def test_an_answer_without_a_dialled_number_says_nothing_rather_than_withheld() -> None:
    """The number dialled is one of the centre's own lines: missing, it is unknown
    ("–"), never "(withheld)", which is what a caller's missing number means."""
    from zoneinfo import ZoneInfo

    from rtdash.core.format import WITHHELD

    fields = {"mode": "advanced", "igrp": 1, "dialledPhoneNumber": None, "srcPhoneNumber": None}
    details = CallerDetails.model_validate(fields)
    values = dict(row for _, rows in details_sections(details, ZoneInfo("UTC")) for row in rows)
    assert values[DETAIL_LABELS["dialled_number"]] == "–"
    assert values[DETAIL_LABELS["src_number"]] == WITHHELD
    dialled = CallerDetails.model_validate({**fields, "dialledPhoneNumber": "+442035556780"})
    values = dict(row for _, rows in details_sections(dialled, ZoneInfo("UTC")) for row in rows)
    assert values[DETAIL_LABELS["dialled_number"]] == "+44 20 3555 6780"
