"""The log file, and the filter that keeps secrets out of every log line.

One rotating file, ``platformdirs.user_log_path("rtdash") / "rtdash.log"`` (about 1 MB,
three old copies kept), created owner-only (0600) in an owner-only directory, each line
stamped with the time. It is opened on the first record, so a quiet run (a cron'd
``rtdash calls`` at the default level) never touches the disk.

Where log lines go:

* the dashboard: the file only — a line on stderr would be drawn over the screen;
* the scriptable commands: the file, and stderr too when ``--log-level debug`` or
  ``info`` is asked for; at ``warning`` and ``error`` stderr carries only rtdash's own
  one-line messages, so a script can rely on it.

The redaction filter is defence in depth: credentials are held as ``Secret`` and
errors are built without them, but should any code path still format a password, an API
key or the ``Authorization: Basic`` value into a record, the handler writes ``***``.
"""

from __future__ import annotations

import base64
import io
import logging
import logging.handlers
import os
import re
import sys
from contextvars import ContextVar
from pathlib import Path
from typing import Any, cast
from urllib.parse import quote

from rtdash.api.sanitise import clean_lines

APP = "rtdash"
LOG_FILE = "rtdash.log"
MAX_BYTES = 1024 * 1024
BACKUPS = 3
LEVELS = ("debug", "info", "warning", "error")
#: loggers that are chatty below WARNING (httpx logs every request at INFO)
NOISY = ("httpx", "httpcore")
MASK = "***"

#: each line says which process wrote it (several dashboards, a ``serve`` with a process
#: per browser tab, share one file) and for which installation (``igrp=1234``; ``-`` for
#: lines about no single one)
FILE_FORMAT = "%(asctime)s %(levelname)-7s pid=%(process)d %(installation)s %(name)s: %(message)s"
STDERR_FORMAT = f"{APP}: %(levelname)s %(name)s: %(message)s"


def log_path() -> Path:
    """Where the log file is (it may not exist yet: it is created on the first record)."""
    from platformdirs import user_log_path

    return user_log_path(APP) / LOG_FILE


# --- which installation ---------------------------------------------------------------

#: the installation the running code works for: set by the task that polls it, and
#: inherited by the tasks it starts (asyncio copies the context into each new task)
_installation: ContextVar[str] = ContextVar("rtdash_installation", default="-")


def bind_installation(igrp: int | None) -> None:
    """Log lines from here on in this task (and the tasks it starts) name ``igrp``."""
    _installation.set("-" if igrp is None else f"igrp={igrp}")


class InstallationFilter(logging.Filter):
    """Stamps each record with the installation its task works for."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.installation = _installation.get()
        return True


# --- redaction ------------------------------------------------------------------------

_secrets: set[str] = set()


def register_secret(value: str | None) -> None:
    """Mask ``value`` in every record a handler set up here writes (empty: ignored)."""
    if value:
        _secrets.add(value)
        encoded = quote(value, safe="")
        if encoded != value:
            _secrets.add(encoded)


def register_credentials(
    username: str | None, password: str | None, api_key: str | None = None
) -> None:
    """The password, the API key and the ``Basic`` base64 of ``username:password``."""
    register_secret(password)
    register_secret(api_key)
    if password:
        pair = f"{username or ''}:{password}".encode()
        register_secret(base64.b64encode(pair).decode("ascii"))


def register_settings_secrets(settings: Any) -> None:
    """Register the secrets a :class:`~rtdash.config.Settings` holds, in every form."""
    _register_hub_password(settings)
    connection = settings.connection
    register_credentials(
        connection.username,
        _reveal(connection.password),
        _reveal(connection.api_key),
    )
    for profile in getattr(settings, "profiles", {}).values():
        # [profiles.NAME] secrets, in the file or in the variables it names
        register_credentials(
            profile.username or os.environ.get(profile.username_env or "") or None,
            _reveal(profile.password) or os.environ.get(profile.password_env or "") or None,
            _reveal(profile.api_key) or os.environ.get(profile.api_key_env or "") or None,
        )


def _register_hub_password(settings: Any) -> None:
    """The password in the hub's URL (``redis://user:password@host``), as written and
    decoded."""
    hub_url = _reveal(getattr(getattr(settings, "hub", None), "url", None))
    if not hub_url:
        return
    from urllib.parse import unquote, urlsplit

    try:
        password = urlsplit(hub_url).password
    except ValueError:  # not a URL: the settings say so, with no secret in the message
        return
    if password:
        register_secret(password)
        register_secret(unquote(password))


def clear_secrets() -> None:
    _secrets.clear()


#: a secret shorter than this is masked where it stands alone, not inside a word: a
#: one-letter password masked everywhere would make every line of the log unreadable
#: ("***" for each "a"), and one that short is no secret inside a word anyway
WHOLE_WORD_BELOW = 4


def redact(text: str) -> str:
    # longest first, so a secret that contains another is masked whole
    for secret in sorted(_secrets, key=len, reverse=True):
        if secret not in text:
            continue
        if len(secret) >= WHOLE_WORD_BELOW:
            text = text.replace(secret, MASK)
        else:
            alone = rf"(?<![^\W_]){re.escape(secret)}(?![^\W_])"
            text = re.sub(alone, MASK, text)
    return text


def _reveal(value: Any) -> str | None:
    if value is None:
        return None
    return value.get_secret_value() if hasattr(value, "get_secret_value") else str(value)


class RedactingFilter(logging.Filter):
    """Rewrites a record's message (and any traceback) with every secret masked.

    Attached to the handlers rather than to a logger, so records that propagate from
    any library logger (httpx, asyncio, textual) pass through it too.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: let the handler report it as usual
            return True
        # upstream text in a log line must not act on the terminal a log is read in
        record.msg, record.args = clean_lines(redact(message)), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = clean_lines(redact(record.exc_text))
        if record.stack_info:
            record.stack_info = clean_lines(redact(record.stack_info))
        return True


# --- handlers -------------------------------------------------------------------------


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating file whose every generation is created 0600 (and tightened if an old
    one is looser), since a log can hold caller numbers and account names."""

    def _open(self) -> io.TextIOWrapper:
        path = self.baseFilename
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            if os.fstat(fd).st_mode & 0o077:
                os.fchmod(fd, 0o600)
        except OSError:
            pass
        # a text mode, so open() returns a TextIOWrapper (typeshed cannot tell from a str)
        return cast(
            io.TextIOWrapper, open(fd, self.mode, encoding=self.encoding, errors=self.errors)
        )

    def handleError(self, record: logging.LogRecord) -> None:
        # the default prints "--- Logging error ---" and a traceback to stderr, which
        # would be drawn over the dashboard: a log that cannot be written is dropped
        global file_error
        file_error = f"cannot write the log file {self.baseFilename}"


class StderrHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is now, so captured or redirected stderr works."""

    def __init__(self) -> None:
        super().__init__()
        self.setFormatter(logging.Formatter(STDERR_FORMAT))

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, value: Any) -> None:
        pass


# --- set-up and tear-down -------------------------------------------------------------

#: what setup_logging changed, so teardown_logging can put it back
_installed: list[logging.Handler] = []
_saved_levels: dict[str, int] = {}
#: why the log file could not be opened on the last set-up (None: it could)
file_error: str | None = None


def setup_logging(level: str, *, to_stderr: bool) -> Path:
    """Log at ``level`` to the rotating file (and stderr when ``to_stderr``).

    Returns the log file's path. Calling it again replaces the previous set-up. A log
    file that cannot be made (a read-only home) costs the file, never the run: the
    reason is kept in :data:`file_error`.
    """
    global file_error
    teardown_logging()
    numeric = getattr(logging, level.upper())
    root = logging.getLogger()
    _saved_levels[""] = root.level
    root.setLevel(numeric)
    for name in NOISY:
        logger = logging.getLogger(name)
        _saved_levels[name] = logger.level
        logger.setLevel(numeric if numeric <= logging.DEBUG else max(numeric, logging.WARNING))

    path = log_path()
    redacting = RedactingFilter()
    file_error = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        handler: logging.Handler = PrivateRotatingFileHandler(
            path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8", delay=True
        )
    except OSError as exc:
        file_error = f"cannot write the log file {path} ({exc.strerror or exc})"
    else:
        handler.setFormatter(logging.Formatter(FILE_FORMAT))
        _install(handler, redacting)
    if to_stderr:
        _install(StderrHandler(), redacting)
    elif file_error is not None:
        # with no handler at all, logging's "last resort" writes warnings to stderr,
        # which is exactly what the dashboard must never get
        _install(logging.NullHandler(), redacting)
    return path


def _install(handler: logging.Handler, redacting: logging.Filter) -> None:
    handler.addFilter(InstallationFilter())
    handler.addFilter(redacting)
    logging.getLogger().addHandler(handler)
    _installed.append(handler)


def teardown_logging() -> None:
    """Remove and close what :func:`setup_logging` added; restore the levels it set."""
    root = logging.getLogger()
    while _installed:
        handler = _installed.pop()
        root.removeHandler(handler)
        handler.close()
    for name, level in _saved_levels.items():
        logging.getLogger(name or None).setLevel(level)
    _saved_levels.clear()
