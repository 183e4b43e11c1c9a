"""The dashboard's start imports only what its first frame needs: the scriptable
commands' module, phone numbers and the simulator stay deferred (each costs start-up
time a supervisor waits through). Checked in a clean interpreter."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

DEFERRED = (
    "phonenumbers",
    "rtdash.cli.data",
    "rtdash.cli.render",
    "rtdash.cli.doctor",
    "rtdash.cli.serve",
    "rtdash.sim",
    "rtdash.hub",
    "redis",
    "textual_serve",
    "rtdash.ui.screens.welcome",
    # the settings and the row types are msgspec Structs: no pydantic, and no search
    # for its plugins (importlib.metadata scans every installed package)
    "pydantic",
    "pydantic_core",
    "importlib.metadata",
    # the C heap's setting is made with a big body (rtdash.api.heap)
    "ctypes",
    # a replay's error message only (rtdash.cli)
    "glob",
)

SCRIPT = """
import json, os, sys
import rtdash.cli
import rtdash.ui.app
import rtdash.ui.screens.dashboard, rtdash.ui.widgets.live_view, rtdash.ui.widgets.calls_grid

ran = []
rtdash.ui.app.run_dashboard = lambda settings, **kw: ran.append(kw) or 0
rtdash.cli._refuse_without_keyboard = lambda: None
code = rtdash.cli.main(sys.argv[1:])
if os.environ.get("PROBE_DRAW_A_NUMBER"):  # as the first row with a caller's number does
    from rtdash.core.phone import format_international
    assert format_international("+447700900123") == "+44 7700 900123"
print(json.dumps({"code": code, "ran": len(ran), "modules": sorted(sys.modules)}))
"""


def start(tmp_path: Path, *words: str, draw_a_number: bool = False) -> dict[str, object]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("RTDASH_") and key != "PYTHONSTARTUP"
    }
    env.update(HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "config"))
    if draw_a_number:
        env["PROBE_DRAW_A_NUMBER"] = "1"
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, *words],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=True,
    )
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def loaded(modules: object, name: str) -> bool:
    assert isinstance(modules, list)
    return any(module == name or module.startswith(name + ".") for module in modules)


def test_the_dashboard_path_defers_what_the_first_frame_does_not_need(tmp_path: Path) -> None:
    result = start(tmp_path)
    assert (result["code"], result["ran"]) == (0, 1)
    assert [name for name in DEFERRED if loaded(result["modules"], name)] == []


def test_the_probe_sees_phone_numbers_once_a_number_is_drawn(tmp_path: Path) -> None:
    """The check above can fail: the same probe sees the module once it is needed."""
    result = start(tmp_path, draw_a_number=True)
    assert loaded(result["modules"], "phonenumbers")
    assert not loaded(result["modules"], "rtdash.cli.data")
