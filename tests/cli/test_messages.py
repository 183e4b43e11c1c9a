"""Messages that name what is wrong: the installation that was not found, the half of a
credential pair that is missing."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tests.cli.conftest import RunCli


def test_an_unknown_installation_is_named(rtdash: RunCli, sim_env: list[str]) -> None:
    run = rtdash("calls", *sim_env[:2], "--igrp", "9999")
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


@pytest.mark.parametrize(
    "argv",
    [
        ("lookup", "12"),
        ("lookup", "abc"),
        ("lookup",),
        ("lookup", "--call-ref", "c 1"),
        ("lookup", "c-1234-000070", "--exclude-pii"),
    ],
)
def test_a_lookups_messages_name_it_as_the_other_commands_do(
    rtdash: RunCli, argv: tuple[str, ...]
) -> None:
    """``rtdash lookup: …``, as argparse's own line for the command and ``stats``,
    ``sim``, ``serve``, ``hub``, ``replay`` and ``doctor`` say theirs; not ``rtdash:
    lookup: …`` for some of them."""
    argparse_line = rtdash("lookup", "--no-such-flag").err
    assert argparse_line.startswith("rtdash lookup: ")
    run = rtdash(*argv)
    assert (run.code, len(run.err_lines)) == (2, 1), run
    assert run.err.startswith("rtdash lookup: ")


def test_no_match_says_call_once(rtdash: RunCli, sim_env: list[str]) -> None:
    run = rtdash("lookup", *sim_env, "--call-ref", "c-1234-999999")
    assert run.code == 1
    assert run.err_lines == [
        "rtdash lookup: no call matches reference 'c-1234-999999' in the last 24 hours"
    ]


def test_the_example_call_reference_is_shaped_as_the_services_are(
    rtdash: RunCli, sim_env: list[str]
) -> None:
    """The example the help and the messages give looks like the references ``rtdash
    calls`` prints (``c-1234-000070``), so it can be copied as a pattern."""

    def shape(ref: str) -> str:
        return re.sub(r"\d", "9", ref)

    refs = {row["callRef"] for row in rtdash("calls", *sim_env, "--json").json()}
    assert refs and {shape(ref) for ref in refs} == {"c-9999-999999"}
    shown = [
        " ".join(rtdash("lookup", "--help").out.split()),  # argparse wraps the help
        rtdash("lookup", "abc").err,
        rtdash("lookup", "--call-ref", "c 1").err,
    ]
    for text in shown:
        examples = re.findall(r"e\.g\. (c-[\w-]+)", text)
        assert examples and {shape(example) for example in examples} == {"c-9999-999999"}, text
