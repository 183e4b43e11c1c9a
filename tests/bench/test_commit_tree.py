"""An earlier commit exported for a before/after run has its C parts built, so that
side is the rtdash the commit shipped, not its Python fallbacks; where they cannot be
built, the run says why."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.commit_tree import C_FOLDERS, EXT_SUFFIX, ROOT, build_c_parts, export_commit
from rtdash.api import c_parts


@pytest.mark.skipif(
    c_parts.built("_lines") is None, reason="no C compiler here: rtdash's C parts are not built"
)
def test_an_exported_commit_runs_with_its_c_parts(tmp_path: Path) -> None:
    head = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "HEAD"], check=True, capture_output=True, text=True
    ).stdout.strip()
    tree = export_commit(head, tmp_path)
    sources = sorted(path for folder in C_FOLDERS for path in (tree / folder).glob("_*.c"))
    assert len(sources) >= 5
    for source in sources:
        assert source.with_name(source.stem + EXT_SUFFIX).is_file(), source.name
    # the export's own modules are the ones imported from it, the compiled ones among them
    asked = "import rtdash.api._heads as heads, rtdash.core._drop as drop\n"
    asked += "print(heads.__file__); print(drop.__file__)"
    found = subprocess.run(
        [sys.executable, "-P", "-c", asked],
        env={**os.environ, "PYTHONPATH": str(tree)},
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    assert [Path(path).parent for path in found] == [tree / "rtdash/api", tree / "rtdash/core"]
    assert all(path.endswith(EXT_SUFFIX) for path in found)


def test_a_tree_whose_parts_cannot_be_built_says_why(tmp_path: Path) -> None:
    (tmp_path / "rtdash/api").mkdir(parents=True)
    (tmp_path / "rtdash/api/_part.c").write_text("int part;\n")
    (tmp_path / "pyproject.toml").write_text(
        '[build-system]\nrequires = []\nbuild-backend = "no_such_backend"\n'
    )
    parts = build_c_parts(tmp_path)
    assert (parts.sources, parts.built, parts.complete) == (1, 0, False)
    assert "no_such_backend" in parts.why_not
    assert not list(tmp_path.rglob(f"*{EXT_SUFFIX}"))


def test_a_tree_from_before_the_c_parts_needs_no_build(tmp_path: Path) -> None:
    (tmp_path / "rtdash/api").mkdir(parents=True)
    parts = build_c_parts(tmp_path)
    assert (parts.sources, parts.built, parts.complete) == (0, 0, True)
