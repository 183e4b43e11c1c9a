"""The two ways a recording goes wrong, kept apart from the code that raises them so
the reader, the writer and the UI can catch them without importing each other."""

from __future__ import annotations


class RecordingError(Exception):
    """A recording cannot be written or read; the message is one line for the user."""


class RecordingFormatError(ValueError):
    """A record that does not decode, or does not apply to the state before it (damaged
    or out of order). The reader skips it; the user never sees it."""
