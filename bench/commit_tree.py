"""Another commit's rtdash, exported to a folder and ready to run beside this tree's.

The before/after scripts (``bench.idle_cpu``, ``bench.startup``, ``bench.poll_cost``
and the others with ``--baseline``) run an earlier commit as one more side of the same
run. ``git archive`` gives its sources only: without its C parts built, that side would
read bodies with the Python fallbacks and be a slower rtdash than the commit shipped,
which flatters this tree's side at a big centre. So the export's C parts are built for
this interpreter as ``pip install`` builds them, and put beside their sources. Where
they cannot be (no compiler, no package index for the build's requirements, a commit
from before them) the side runs without them, and the run says so.
"""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from bench.progress import say

ROOT = Path(__file__).resolve().parent.parent
#: where rtdash keeps its C parts' sources (each ``_name.c`` is one part)
C_FOLDERS = ("rtdash/api", "rtdash/core")
#: the file name ending of a compiled module for this interpreter
EXT_SUFFIX = sysconfig.get_config_var("EXT_SUFFIX") or ".so"


@dataclass(frozen=True)
class CParts:
    """What the export's C parts came to: how many it has sources for, how many were
    built, and why not all of them when that is known."""

    sources: int
    built: int
    why_not: str = ""

    @property
    def complete(self) -> bool:
        return self.built == self.sources


def export_commit(commit: str, folder: Path, *, compile_bytecode: bool = False) -> Path:
    """``commit``'s tree in ``folder/baseline``, its C parts built in place (and, with
    ``compile_bytecode``, its bytecode compiled once, so a start-up measure does not
    time the first compile)."""
    tree = folder / "baseline"
    tree.mkdir()
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", commit], check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    parts = build_c_parts(tree)
    if not parts.complete:
        reason = f" ({parts.why_not})" if parts.why_not else ""
        say(
            f"rtdash at {commit}: {parts.built} of its {parts.sources} C parts built{reason}; "
            "the rest run as their Python fallbacks"
        )
    if compile_bytecode:
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(tree / "rtdash")], check=True)
    return tree


def build_c_parts(tree: Path) -> CParts:
    """Build ``tree``'s C parts as ``pip install`` builds them (a wheel, in an isolated
    build environment with the commit's own build requirements) and put each beside its
    source: the export is run from its folder, not installed."""
    sources = [source for folder in C_FOLDERS for source in (tree / folder).glob("_*.c")]
    if not sources:
        return CParts(0, 0)
    with tempfile.TemporaryDirectory(prefix="rtdash-wheel-") as wheels:
        done = subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--wheel-dir", wheels, "."],
            cwd=tree,
            capture_output=True,
            text=True,
        )
        for wheel in Path(wheels).glob("*.whl"):
            _unpack_c_parts(wheel, tree)
    built = sum(1 for source in sources if _built_beside(source).exists())
    why_not = ""
    if built < len(sources):
        said = (done.stderr or done.stdout).strip().splitlines()
        why_not = said[-1].strip() if said else f"pip exited with {done.returncode}"
    return CParts(len(sources), built, why_not)


def _built_beside(source: Path) -> Path:
    return source.with_name(source.stem + EXT_SUFFIX)


def _unpack_c_parts(wheel: Path, tree: Path) -> None:
    """The wheel's compiled modules, each where its source lies in ``tree``."""
    with zipfile.ZipFile(wheel) as archive:
        for name in archive.namelist():
            place = PurePosixPath(name)
            if place.name.endswith(EXT_SUFFIX) and str(place.parent) in C_FOLDERS:
                (tree / place).write_bytes(archive.read(name))
