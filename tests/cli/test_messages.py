"""Messages that name what is wrong: the installation that was not found, the half of a
credential pair that is missing."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tests.cli.conftest import RunCli


def test_an_unknown_installation_is_named(rtdash: RunCli) -> None:
    run = rtdash("calls", "--demo", "--igrp", "9999")
    assert (run.code, run.err_lines) == (1, ["rtdash: installation 9999 not found (HTTP 404)"])


@pytest.mark.parametrize(
    ("variable", "missing"),
    [("RTDASH_USERNAME", "RTDASH_PASSWORD"), ("RTDASH_PASSWORD", "RTDASH_USERNAME")],
)
def test_the_missing_half_of_a_login_is_named(
    rtdash: RunCli, monkeypatch: pytest.MonkeyPatch, variable: str, missing: str
) -> None:
    monkeypatch.setenv(variable, "someone")
    run = rtdash("users", "--igrp", "1234")
    assert run.code == 2
    assert run.err_lines[0].startswith(f"rtdash: {missing} is not set ({variable} is)")
