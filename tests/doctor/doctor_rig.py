"""``rtdash doctor``'s report as the tests read it: the checks it names, in order, and
each ``<mark> name: detail`` line with the indented notes under it."""

from __future__ import annotations

import re

from tests.support import Run

MARK = re.compile(r"^([✔⚠✖–]) ([a-zA-Z ]+): (.*)$")
ROUTES = ["pbxActiveCalls", "pbxUserStatus", "activeCall"]
ALL_CHECKS = [
    "config file",
    "credentials",
    "base URL",
    *ROUTES,
    "call fields",
    "user fields",
    "caller fields",
]


class Doctor(Run):
    """One in-process ``rtdash doctor`` run, its report read line by line."""

    __slots__ = ()

    @property
    def checks(self) -> dict[str, tuple[str, str]]:
        """check name -> (mark, detail), from the ``<mark> name: detail`` lines."""
        found = {}
        for line in self.out.splitlines():
            match = MARK.match(line)
            if match:
                found[match[2]] = (match[1], match[3])
        return found

    def notes(self, name: str) -> list[str]:
        """The indented lines under one check."""
        lines = self.out.splitlines()
        start = next(i for i, line in enumerate(lines) if MARK.match(line) and f" {name}:" in line)
        notes = []
        for line in lines[start + 1 :]:
            if not line.startswith("    "):
                break
            notes.append(line[4:])
        return notes
