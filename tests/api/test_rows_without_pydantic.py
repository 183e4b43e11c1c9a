"""The row side never loads pydantic's model machinery: the row types, their checks and
JSON, the recording and the exports run on msgspec. What still loads pydantic on the
dashboard's path is the settings' (their modules are listed here, so this test tightens
by itself once they leave pydantic too)."""

from __future__ import annotations

import ast
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import rtdash
import rtdash.core.recording

ROOT = Path(rtdash.__file__).parent

#: the row side: none of these imports pydantic, at the top or inside a function
ROW_MODULES = (
    "rtdash.api.row_base",
    "rtdash.api.row_types",
    "rtdash.api.models",
    "rtdash.core.limits",
    "rtdash.core.export",
    "rtdash.hub.rows",
    *(
        f"rtdash.core.recording.{info.name}"
        for info in pkgutil.iter_modules(rtdash.core.recording.__path__)
    ),
)
#: the settings' modules, which may still import pydantic
SETTINGS_MODULES = {
    "rtdash.config",
    "rtdash.config_sections",
    "rtdash.config_example",
    "rtdash.api.mapping",
    "rtdash.api.credentials",
    "rtdash.core.credentials",
    "rtdash.warmup",
    "rtdash.logs",
    "rtdash.ui.app",  # its settings line (a SecretStr)
}
#: the dashboard's start and poll path, as the brief for this work names it
DASHBOARD_PATH = (
    "rtdash.api.row_types",
    "rtdash.api.models",
    "rtdash.core.limits",
    "rtdash.api.client",
    "rtdash.ui.app",
)

#: run in a fresh interpreter: import the modules named in argv, then print which rtdash
#: module asked first for each pydantic module, and what of pydantic was loaded
_WATCH = """
import importlib, json, sys

asked = {}

class Watch:
    @staticmethod
    def find_spec(name, path=None, target=None):
        if name == "pydantic" or name.startswith(("pydantic.", "pydantic_core")):
            frame = sys._getframe(1)
            while frame is not None:
                module = frame.f_globals.get("__name__", "")
                if module.startswith("rtdash"):
                    asked.setdefault(name, module)
                    break
                frame = frame.f_back
        return None

sys.meta_path.insert(0, Watch)
for name in sys.argv[1:]:
    importlib.import_module(name)
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("pydantic", "pydantic_core"))
print(json.dumps({"asked": asked, "loaded": loaded}))
"""


def _watch(*modules: str) -> tuple[dict[str, str], list[str]]:
    done = subprocess.run(
        [sys.executable, "-c", _WATCH, *modules],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    seen = json.loads(done.stdout)
    return seen["asked"], seen["loaded"]


def _imports_pydantic(module: str) -> bool:
    path = ROOT.parent / (module.replace(".", "/") + ".py")
    if not path.exists():
        path = path.with_suffix("") / "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        else:
            continue
        if any(name.split(".")[0] in ("pydantic", "pydantic_core") for name in names):
            return True
    return False


def test_no_module_of_the_row_side_imports_pydantic() -> None:
    assert "rtdash.core.recording.reader" in ROW_MODULES
    assert [module for module in ROW_MODULES if _imports_pydantic(module)] == []


def test_the_row_types_and_the_recording_limits_load_no_pydantic() -> None:
    asked, loaded = _watch("rtdash.api.row_types", "rtdash.api.row_base", "rtdash.core.limits")
    assert asked == {} and loaded == []
    # and they did work: a row checked and written as JSON, in the same kind of process
    script = (
        "import sys\n"
        "from rtdash.api.row_types import ActiveCall\n"
        "row = ActiveCall.model_validate({'callRef': 'c', 'state': 'ringing', 'igrp': '7'})\n"
        "print(row.to_json()['igrp'], 'pydantic.main' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.split() == ["7", "False"]


def test_on_the_dashboard_path_only_the_settings_load_pydantic() -> None:
    asked, loaded = _watch(*DASHBOARD_PATH)
    askers = set(asked.values())
    assert askers <= SETTINGS_MODULES, f"pydantic asked for by {sorted(askers - SETTINGS_MODULES)}"
    if not any(_imports_pydantic(module) for module in SETTINGS_MODULES):
        assert "pydantic.main" not in loaded  # the settings are off pydantic too: none at all
