"""A plain (non-editable) install has everything the dashboard needs: every subpackage
and the TCSS. Built into a temporary folder by pip, as `pip install .` would build it."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
IGNORED = (".git", ".venv", "venv", "build", "*.egg-info", "__pycache__", ".*_cache", "screenshots")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    # build from a copy: an in-tree build writes build/ and *.egg-info next to the code
    source = tmp_path_factory.mktemp("source") / "rtdash"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*IGNORED))
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out)]
    result = subprocess.run([*command, str(source)], check=False, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    (built,) = out.glob("rtdash-*.whl")
    return zipfile.ZipFile(built)


def test_every_package_with_modules_is_in_the_wheel(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    for module in (ROOT / "rtdash").rglob("*.py"):
        assert module.relative_to(ROOT).as_posix() in names


def test_the_styles_ship_where_the_app_looks(wheel: zipfile.ZipFile) -> None:
    from rtdash.ui.app import STYLE_FILES

    names = set(wheel.namelist())
    for style in STYLE_FILES:
        assert f"rtdash/styles/{style}" in names
        assert (ROOT / "styles" / style).is_file()
