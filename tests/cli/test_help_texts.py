"""``--version``, help texts that read right, and usage errors that point to the help
of the command that was run."""

from __future__ import annotations

from importlib.metadata import version
from typing import TYPE_CHECKING

import pytest

import rtdash
from rtdash.sim import DEMO_AGENTS, DEMO_LOAD

if TYPE_CHECKING:
    from tests.cli.conftest import RunCli


def test_version(rtdash: RunCli) -> None:
    run = rtdash("--version")
    assert (run.code, run.out, run.err) == (0, f"rtdash {rtdash_version()}\n", "")


def rtdash_version() -> str:
    assert rtdash.__version__ == version("rtdash")
    return rtdash.__version__


def test_replay_help_prints_a_plain_percent(rtdash: RunCli) -> None:
    out = rtdash("replay", "--help").out
    assert "0-90 %," in " ".join(out.split())
    assert "%%" not in out


def test_sim_help_names_the_real_defaults(rtdash: RunCli) -> None:
    out = " ".join(rtdash("sim", "--help").out.split())
    assert f"PBX users (default {DEMO_AGENTS}, as in the demo)" in out
    assert f"live calls to aim for (default {DEMO_LOAD}, as in the demo)" in out
    assert "the demo's" not in out


@pytest.mark.parametrize(
    ("argv", "hint"),
    [
        (["calls", "--bogus"], "rtdash calls --help"),
        (["users", "--json", "extra"], "rtdash users --help"),
        (["replay"], "rtdash replay --help"),
        (["replay", "x.rtrec", "--nope"], "rtdash replay --help"),
        (["config", "path", "--x"], "rtdash config path --help"),
        (["sim", "--agents", "many"], "rtdash sim --help"),
        (["users", "--igrp", "0"], "rtdash users --help"),
        (["calls", "--igrp", "1", "--igrp", "2"], "rtdash calls --help"),
        (["calls", "--interval", "5"], "rtdash calls --help"),
        (["--interval", "0"], "rtdash --help"),
        (["--bogus"], "rtdash --help"),
        (["sim", "--port", "70000"], "rtdash sim --help"),
        (["replay", "x.rtrec", "--speed", "100"], "rtdash replay --help"),
    ],
)
def test_usage_errors_name_the_subcommands_help(rtdash: RunCli, argv: list[str], hint: str) -> None:
    run = rtdash(*argv)
    assert run.code == 2
    assert len(run.err_lines) == 1
    assert run.err_lines[0].endswith(f"(see `{hint}`)")
