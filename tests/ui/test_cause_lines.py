"""Causes folded onto the status bar's own lines: each route's from a line's start, so
the second route's fix is not pushed past the edge by the first's long one, and a cut
says where the whole text is."""

from __future__ import annotations

from rich.cells import cell_len

from rtdash.ui.cause_lines import IN_FULL, cause_lines

CALLS = (
    'calls: [mapping] call_state names "callMood", which no row carries (the rows carry: '
    "igrp, callRef, callState, callStartDatetime, stateStartDatetime, srcPhoneNumber, "
    "dialledPhoneNumber, dgrp, dgrpName, queueRef, operatorRef, displayName and 4 more): "
    "nothing readable in the response (16 unreadable rows)"
)
USERS = (
    'users: [mapping] user_state names "userMood", which no row carries (the rows carry: '
    "userId, operatorRef, displayName, extension, status, statusStartDatetime, dashboard)"
)


def test_each_route_s_fix_is_whole_at_80_columns() -> None:
    lines = cause_lines([CALLS, USERS], 78)
    assert len(lines) == 3 and all(cell_len(line) <= 78 for line in lines), lines
    assert lines[0].startswith('calls: [mapping] call_state names "callMood", which no row')
    assert lines[0].endswith("…"), lines
    assert lines[1].startswith('users: [mapping] user_state names "userMood", which no row')
    assert lines[2].endswith(IN_FULL), lines


def test_a_cause_that_fits_is_all_there_with_no_note() -> None:
    tls = (
        "TLS to 127.0.0.1:18702 failed: the certificate is not trusted "
        "(self-signed certificate in certificate chain)"
    )
    lines = cause_lines([tls], 78)
    assert " ".join(lines) == tls, lines
    assert len(lines) == 2


def test_a_word_longer_than_the_line_is_broken_not_lost() -> None:
    url = "redirected to https://login.example/" + "x" * 100
    lines = cause_lines([url], 40)
    assert all(cell_len(line) <= 40 for line in lines), lines
    assert lines[0] == "redirected to"
    assert len(lines) == 3 and lines[-1].endswith(IN_FULL), lines
