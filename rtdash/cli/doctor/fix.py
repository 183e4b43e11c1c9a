"""``rtdash doctor --fix``: the confident suggestion written into the config's ``[mapping]``.

The file is edited with tomlkit, not rewritten: tomllib only reads, and a dump from
plain dicts would drop the user's comments, key order and layout. tomlkit keeps the
document as parsed (comments, blank lines, quoting) and changes only the keys set here.
A ``call_state_values`` / ``user_state_values`` table already in the file is extended,
never replaced, so values someone mapped by hand stay.

The old file is copied to ``<name>.bak`` (``.bak.1``, ``.bak.2``… when that exists)
before the new one replaces it in one rename, so a crash leaves either file whole.
Both are created 0600: a config file may hold a password.
"""

from __future__ import annotations

import difflib
import os
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.items import InlineTable, Table

VALUE_TABLES = ("call_state_values", "user_state_values")


class FixError(Exception):
    """The config file cannot be edited (not TOML, or ``mapping`` is not a table)."""


@dataclass(frozen=True)
class Plan:
    """The config file's text before (None: no file yet) and after the edit."""

    path: Path
    before: str | None
    after: str

    @property
    def changed(self) -> bool:
        return self.before != self.after

    def diff(self) -> str:
        """A unified diff, as ``diff -u`` would print it."""
        old = (self.before or "").splitlines(keepends=True)
        new = self.after.splitlines(keepends=True)
        label = str(self.path)
        lines = difflib.unified_diff(
            old,
            new,
            fromfile=label if self.before is not None else "/dev/null",
            tofile=label,
        )
        return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def plan(path: Path, suggestion: Mapping[str, Any]) -> Plan:
    """What the file would say with ``suggestion`` in its ``[mapping]``."""
    before = path.read_text(encoding="utf-8") if path.exists() else None
    try:
        document = tomlkit.parse(before or "")
    except tomlkit.exceptions.ParseError as exc:
        raise FixError(f"{path}: not valid TOML ({exc})") from None
    if before is None:
        document.add(
            tomlkit.comment("written by `rtdash doctor --fix`; see `rtdash config example`")
        )
    section = document.get("mapping")
    if section is None:
        section = tomlkit.table()
        document.add("mapping", section)
    elif not isinstance(section, Table | InlineTable):
        raise FixError(f"{path}: mapping is not a table")
    for key, value in suggestion.items():
        if key in VALUE_TABLES and isinstance(value, Mapping):
            existing = section.get(key)
            table = tomlkit.inline_table()
            if isinstance(existing, Mapping):
                table.update({str(k): v for k, v in existing.items()})
            table.update({str(k): str(v) for k, v in value.items()})
            section[key] = table
        else:
            section[key] = value
    return Plan(path, before, tomlkit.dumps(document))


def apply(change: Plan) -> Path | None:
    """Write the new file (0600); returns the backup of the old one, if there was one."""
    path = change.path
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    backup = None
    if change.before is not None:
        backup = _free_name(path.with_name(path.name + ".bak"))
        shutil.copyfile(path, backup)
        backup.chmod(0o600)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(change.after)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return backup


def _free_name(path: Path) -> Path:
    if not path.exists():
        return path
    n = 1
    while path.with_name(f"{path.name}.{n}").exists():
        n += 1
    return path.with_name(f"{path.name}.{n}")
