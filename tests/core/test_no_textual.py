"""The design rule: ``rtdash.core`` (and the ``rtdash.api`` it uses) never imports Textual."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import rtdash.core


def test_core_modules_import_without_textual() -> None:
    modules = sorted(f"rtdash.core.{m.name}" for m in pkgutil.iter_modules(rtdash.core.__path__))
    assert "rtdash.core.poller" in modules
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "from rtdash.core.format import caller_label\n"
        "caller_label('+447700900123')  # the lazy phone import too\n"
        "leaked = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(leaked))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "", f"textual imported by core: {done.stdout.strip()}"
