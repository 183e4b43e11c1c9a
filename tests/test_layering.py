"""``rtdash.api`` and ``rtdash.core`` never import Textual (design rule 1).

Two checks, because each misses what the other sees: the source walk catches an import
hidden in a function or under ``TYPE_CHECKING`` that a run never executes; the
subprocess catches a module that pulls Textual in indirectly through another package.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import rtdash

PACKAGE_ROOT = Path(rtdash.__file__).resolve().parent
LAYERS = ("api", "core")
#: top-level modules the lower layers must not import, directly or via rtdash.ui
FORBIDDEN = ("textual", "rtdash.ui")


def imported_modules(source: str, module: str) -> set[str]:
    """Every module an ``import`` statement anywhere in ``source`` names (resolved)."""
    found: set[str] = set()
    package = module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                anchor = ".".join(parts[: len(parts) - node.level + 1])
                base = f"{anchor}.{base}" if base else anchor
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def violations(names: set[str]) -> list[str]:
    return sorted(
        name for name in names for bad in FORBIDDEN if name == bad or name.startswith(bad + ".")
    )


def layer_files() -> list[tuple[str, Path]]:
    files = []
    for layer in LAYERS:
        for path in sorted((PACKAGE_ROOT / layer).rglob("*.py")):
            relative = path.relative_to(PACKAGE_ROOT.parent).with_suffix("")
            files.append((".".join(relative.parts), path))
    return files


def test_there_are_modules_to_check() -> None:
    names = [name for name, _ in layer_files()]
    assert "rtdash.api.client" in names
    assert "rtdash.core.phone" in names


@pytest.mark.parametrize(("module", "path"), layer_files(), ids=lambda v: str(v))
def test_no_textual_import_in_source(module: str, path: Path) -> None:
    names = imported_modules(path.read_text(encoding="utf-8"), module)
    assert violations(names) == [], f"{module} imports {violations(names)}"


@pytest.mark.parametrize(
    "source",
    [
        "import textual",
        "import textual.app as app",
        "from textual.widgets import DataTable",
        "def f():\n    from textual import on\n",
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from textual.app import App\n",
        "from rtdash.ui.app import run_dashboard",
        "from ..ui import widgets",
    ],
)
def test_the_walk_sees_every_form_of_import(source: str) -> None:
    """The check itself must be able to fail."""
    assert violations(imported_modules(source, "rtdash.core.example"))


def test_the_walk_allows_lookalikes() -> None:
    source = "import textwrap\nfrom rtdash.api import textual_names\nimport rtdash.uix\n"
    assert violations(imported_modules(source, "rtdash.core.example")) == []


def test_importing_every_api_and_core_module_leaves_textual_unloaded() -> None:
    program = """
import importlib, pkgutil, sys
import rtdash.api, rtdash.core
names = []
for package in (rtdash.api, rtdash.core):
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        importlib.import_module(info.name)
        names.append(info.name)
loaded = sorted(m for m in sys.modules if m == "textual" or m.startswith(("textual.", "rtdash.ui")))
print(len(names), loaded)
"""
    result = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, timeout=60, check=True
    )
    count, loaded = result.stdout.strip().split(" ", 1)
    assert int(count) >= len(layer_files()) - len(LAYERS)  # every module, not __init__
    assert loaded == "[]"


def test_the_ui_never_imports_the_command_line() -> None:
    """The command line sits on top of the ui (it starts it), never under it: what both
    need at start-up (rtdash.warmup) lives beside them."""
    found = []
    for path in sorted((PACKAGE_ROOT / "ui").rglob("*.py")):
        module = ".".join(path.relative_to(PACKAGE_ROOT.parent).with_suffix("").parts)
        names = imported_modules(path.read_text(encoding="utf-8"), module)
        found += [
            f"{module}: {n}" for n in names if n == "rtdash.cli" or n.startswith("rtdash.cli.")
        ]
    assert found == []
