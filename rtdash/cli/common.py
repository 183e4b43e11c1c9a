"""What every part of the command line shares: the program name, exit codes, the two
ways a command ends early, and the one-line message."""

from __future__ import annotations

import sys

from rtdash.api.errors import ApiError
from rtdash.api.sanitise import clean_lines
from rtdash.constants import EXIT_FAILURE as EXIT_FAILURE
from rtdash.constants import EXIT_OK as EXIT_OK
from rtdash.constants import EXIT_USAGE as EXIT_USAGE

PROG = "rtdash"


class UsageError(Exception):
    """How rtdash was called or configured is wrong: exit 2 with this one line."""


class Failure(Exception):
    """The service failed or had no answer: exit 1 with this one line."""

    def __init__(self, line: str, error: ApiError | None = None) -> None:
        super().__init__(line)
        #: the upstream failure behind the line, for commands that add a hint
        self.error = error


class Hangup(Failure):
    """No terminal to read keys from: exit as a hang-up would (``code``)."""

    def __init__(self, line: str, code: int) -> None:
        super().__init__(line)
        self.code = code


def say(line: str) -> None:
    """One line on stderr, with nothing in it a terminal would act on."""
    print(clean_lines(line), file=sys.stderr)
