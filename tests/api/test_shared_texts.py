"""Texts a big centre's rows repeat are held once: a user's extension that is its id is
the id's own string, and the rows read the same as before."""

from __future__ import annotations

import pytest

from rtdash.api.mapping import FieldMapping
from rtdash.api.models import RowReader
from tests.api.test_line_rows import UTC_ZONE, compact, parse
from tests.api.test_rows import USER, with_

# every way of cutting lines (rtdash.api.line_cut)
pytestmark = pytest.mark.usefixtures("each_cut")


def _users(count: int, extension: bool = True) -> bytes:
    return compact(
        *(
            with_(
                USER, sipUserId=f"{10000 + n}", extensionNumber=f"{10000 + n}" if extension else "7"
            )
            for n in range(count)
        )
    )


def test_an_extension_that_is_the_user_id_is_the_same_string() -> None:
    for body in (_users(40), _users(40).decode()):  # by its lines, and read whole
        rows = parse(RowReader("user", FieldMapping(), UTC_ZONE), body).rows
        assert [row.user_id for row in rows] == [f"{10000 + n}" for n in range(40)]
        assert [row.extension for row in rows] == [row.user_id for row in rows]
        assert all(row.extension is row.user_id for row in rows)


def test_an_extension_that_differs_is_its_own_value() -> None:
    rows = parse(RowReader("user", FieldMapping(), UTC_ZONE), _users(5, extension=False)).rows
    assert [row.extension for row in rows] == ["7"] * 5
    assert [row.user_id for row in rows] == [f"{10000 + n}" for n in range(5)]


def test_a_user_without_an_id_still_takes_its_operator_ref() -> None:
    row = with_(USER, extensionNumber="201")
    del row["sipUserId"]
    (user,) = parse(RowReader("user", FieldMapping(), UTC_ZONE), compact(row)).rows
    assert user.user_id == "a.user"
    assert user.extension == "201"
