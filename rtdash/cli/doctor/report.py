"""The doctor's report: checks in order, each one line with notes, and the exit code.

One line per check, ``<mark> name: detail``, with indented notes under it where there
is more to say:

* ``✔`` passed; ``⚠`` works, with a limit worth knowing (no PII permission, fields the
  mapping does not read); ``✖`` failed; ``–`` skipped because an earlier check failed
  or there was nothing to check.

Exit codes: 0 no check failed (warnings allowed); 1 an upstream check failed, including
a mapping that leaves rows unreadable (the dashboard would show nothing); 2 the config
file, the installation id or the credentials are unusable.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from rtdash.api.mapping_match import FieldComparison

OK, WARNING, FAILED, SKIPPED = "ok", "warning", "failed", "skipped"
MARKS = {OK: "✔", WARNING: "⚠", FAILED: "✖", SKIPPED: "–"}

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2


@dataclass
class Check:
    name: str
    status: str
    detail: str
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [f"{MARKS[self.status]} {self.name}: {self.detail}"] + [
            f"    {note}" for note in self.notes
        ]

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "status": self.status,
            "detail": self.detail,
            **({"notes": self.notes} if self.notes else {}),
        }


class Report:
    """Checks in order; printed as they are made (``stream``), or as JSON at the end."""

    def __init__(self, stream: TextIO | None) -> None:
        self.checks: list[Check] = []
        self.fields: dict[str, FieldComparison] = {}
        #: the confident ``[mapping]`` proposals of every row kind (what ``--fix`` writes)
        self.suggested: dict[str, Any] = {}
        #: what the doctor could not settle alone
        self.questions: list[str] = []
        #: what ``--fix`` did, for the JSON report
        self.fix: dict[str, Any] | None = None
        #: row kind -> (rows read, rows sent, users on the dashboard), per route answered
        self.readable: dict[str, tuple[int, int, int]] = {}
        self.usage = False
        self._stream = stream

    def add(self, check: Check) -> Check:
        self.checks.append(check)
        if self._stream is not None:
            print("\n".join(check.lines()), file=self._stream, flush=True)
        return check

    @property
    def exit_code(self) -> int:
        if self.usage:
            return EXIT_USAGE
        return EXIT_FAILURE if any(c.status == FAILED for c in self.checks) else EXIT_OK

    def summary(self) -> str:
        failed = sum(c.status == FAILED for c in self.checks)
        warned = sum(c.status == WARNING for c in self.checks)
        if not failed and not warned:
            return f"all {len(self.checks)} checks passed"
        parts = []
        if failed:
            parts.append(plural(failed, "check") + " failed")
        if warned:
            parts.append(plural(warned, "warning"))
        return ", ".join(parts)

    def to_json(self) -> dict[str, Any]:
        return {
            "exit_code": self.exit_code,
            "summary": self.summary(),
            "checks": [check.to_json() for check in self.checks],
            "fields": {kind: comp.to_json() for kind, comp in self.fields.items()},
            "suggested_mapping": self.suggested,
            "questions": self.questions,
            **({"fix": self.fix} if self.fix is not None else {}),
        }

    def finish(self, as_json: bool, out: TextIO) -> int:
        from rtdash.logs import log_path

        if as_json:
            report = {**self.to_json(), "log_file": str(log_path())}
            print(json.dumps(report, indent=2, ensure_ascii=False), file=out)
        else:
            print(f"\n{self.summary()}; log file: {log_path()}", file=out)
        return self.exit_code


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"
