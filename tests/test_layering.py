"""The layering rules (api -> core -> ui, sim beside api) as import-linter contracts
in pyproject.toml, run here with ``lint-imports``; and one clean interpreter that
imports the client and the poller without loading Textual.

The contracts see every import, including ones inside functions and under
``TYPE_CHECKING`` that a run never executes; the clean interpreter sees what a run
actually loads, through any package in between.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CONTRACTS = (
    "api and core never import Textual or the ui",
    "api never imports core",
    "sim never imports the ui",
    "the ui never imports the command line",
    "the hub (publisher and subscriber) never imports Textual or the ui",
)


def lint_imports(cwd: Path, config: Path) -> subprocess.CompletedProcess[str]:
    program = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert program is not None, "import-linter is in the test extra"
    return subprocess.run(
        [program, "--config", str(config), "--no-cache"],
        cwd=cwd,
        env={"PYTHONPATH": str(cwd), "PATH": str(Path(sys.executable).parent)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_layering_contracts_are_kept() -> None:
    done = lint_imports(ROOT, ROOT / "pyproject.toml")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    for name in CONTRACTS:
        assert f"{name} KEPT" in done.stdout


@pytest.mark.parametrize(
    ("module", "source", "broken"),
    [
        ("core/x.py", "def f():\n    from textual import on\n", CONTRACTS[0]),
        (
            "api/x.py",
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from rtdash.core import y\n",
            CONTRACTS[1],
        ),
        ("sim/x.py", "from ..ui import widgets\n", CONTRACTS[2]),
        ("ui/x.py", "import rtdash.cli\n", CONTRACTS[3]),
        ("hub/x.py", "from rtdash.ui.widgets import z\n", CONTRACTS[4]),
    ],
)
def test_each_contract_can_fail(tmp_path: Path, module: str, source: str, broken: str) -> None:
    """The same contracts on a small package that breaks one of them, in each form of
    import the rule is about."""
    package = tmp_path / "rtdash"
    for name in ("api", "core", "ui", "sim", "cli", "hub"):
        (package / name).mkdir(parents=True)
        (package / name / "__init__.py").write_text("")
    (package / "__init__.py").write_text("")
    (package / "core" / "y.py").write_text("")
    (package / "ui" / "widgets.py").write_text("")
    (package / module).write_text(source)
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    lines = ["[tool.importlinter]", 'root_package = "rtdash"', "include_external_packages = true"]
    for contract in config["contracts"]:
        lines.append("[[tool.importlinter.contracts]]")
        lines += [f"{key} = {value!r}".replace("'", '"') for key, value in contract.items()]
    (tmp_path / "contracts.toml").write_text("\n".join(lines) + "\n")
    done = lint_imports(tmp_path, tmp_path / "contracts.toml")
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"{broken} BROKEN" in done.stdout
    assert done.stdout.count("BROKEN") == 1


def test_a_clean_interpreter_loads_the_client_and_poller_without_textual() -> None:
    program = (
        "import rtdash.api.client, rtdash.core.poller; import sys; "
        "assert 'textual' not in sys.modules, sorted(m for m in sys.modules if 'textual' in m)"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
