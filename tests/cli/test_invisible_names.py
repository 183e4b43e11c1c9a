"""``users --csv`` and ``users --json`` give a name as it reads: a zero-width character
sent inside it is not carried into the file a supervisor greps or a script matches."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from typing import TYPE_CHECKING

from rtdash.core.labels import USER_LABELS

if TYPE_CHECKING:
    from rtdash.sim import Simulator
    from tests.cli.conftest import RunCli

#: as the upstream sends it: a zero-width space, a joiner and a word joiner inside
SENT = "Ze\u200bro\u200dWidth\u2060"
READ = "ZeroWidth"


def hidden_in(text: str) -> set[str]:
    """The invisible format characters in ``text``, by code point."""
    return {f"U+{ord(char):04X}" for char in text if unicodedata.category(char) == "Cf"}


def test_users_exports_carry_the_name_as_read(
    rtdash: RunCli, sim: Simulator, sim_env: list[str]
) -> None:
    user = next(user for user in sim.model.centres[sim.igrp].users if user.dashboard)
    user.display_name = SENT
    as_csv = rtdash("users", *sim_env, "--csv")
    as_json = rtdash("users", *sim_env, "--json")
    assert (as_csv.code, as_json.code) == (0, 0)
    assert hidden_in(as_csv.out) == set()
    # decoded, so that a character written as a \u escape is seen too
    assert hidden_in(json.dumps(as_json.json(), ensure_ascii=False)) == set()
    names = {row[USER_LABELS["display_name"]] for row in csv.DictReader(io.StringIO(as_csv.out))}
    assert READ in names, names
    assert READ in {row["displayName"] for row in as_json.json()}
