"""``rtdash doctor``: check the set-up end to end, and what the service really sends.

The checks (:mod:`.checks`), in order: the config file; the credentials; that the base
URL's host accepts a TCP connection; each Real Time route; then, for the rows each route
returned, a comparison with the field mapping (:mod:`rtdash.api.mapping_match`, shown by
:mod:`.suggest`): keys nothing maps, mapped fields that never appeared, state values the
value tables do not know, and for each missing field the key that looks like it. The
confident proposals make a ``[mapping]`` snippet; the rest are questions.

``--fix`` writes that snippet into the config file (:mod:`.fix`) and runs the route
checks again, to say what is now readable; ``--dry-run`` prints the change as a diff
and writes nothing. The report and exit codes are :mod:`.report`'s.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from rtdash.api.mapping_match import FieldComparison, compare_fields
from rtdash.cli.doctor import fix as fixing
from rtdash.cli.doctor.checks import (
    ROUTE_CHECKS,
    config_check,
    connect_check,
    credentials_check,
    upstream_checks,
)
from rtdash.cli.doctor.report import (
    EXIT_OK,
    FAILED,
    SKIPPED,
    Check,
    Report,
    plural,
)
from rtdash.cli.doctor.suggest import mapping_snippet

if TYPE_CHECKING:
    from rtdash.config import Settings

__all__ = [
    "FieldComparison",
    "compare_fields",
    "config_unusable",
    "mapping_snippet",
    "run",
]


def config_unusable(path: Path, problem: str, *, as_json: bool, out: TextIO | None = None) -> int:
    """The config file could not be read or validated: that one line, exit 2."""
    out = out or sys.stdout
    report = Report(None if as_json else out)
    report.usage = True
    report.add(Check("config file", FAILED, problem))
    return report.finish(as_json, out)


def run(
    settings: Settings,
    *,
    path: Path,
    as_json: bool,
    demo: bool = False,
    out: TextIO | None = None,
    env: Mapping[str, str] | None = None,
    fix: bool = False,
    dry_run: bool = False,
    reload: Callable[[], Settings] | None = None,
) -> int:
    """Run every check against ``settings`` (already pointed at the simulator when
    ``demo``); print the report; return the exit code. With ``fix`` (or ``dry_run``),
    then write (or show) the suggested mapping; ``reload`` reads the settings again
    after the write, flags and environment applied as the first time."""
    out = out or sys.stdout
    report = check(settings, path=path, as_json=as_json, demo=demo, out=out, env=env)
    if report.usage or not (fix or dry_run):
        return report.finish(as_json, out)
    if not as_json and not dry_run:
        print(f"\n{report.summary()}", file=out)
    return _fix(report, path, as_json=as_json, dry_run=dry_run, out=out, reload=reload)


def check(
    settings: Settings,
    *,
    path: Path,
    as_json: bool,
    demo: bool = False,
    out: TextIO,
    env: Mapping[str, str] | None = None,
) -> Report:
    """Every check, printed as made unless ``as_json``; the report, not yet finished."""
    env = os.environ if env is None else env
    report = Report(None if as_json else out)
    report.add(config_check(settings, path, demo=demo))
    report.add(credentials_check(settings, demo=demo, env=env))
    connection = settings.connection
    if connection.igrp is None:
        report.add(
            Check(
                "installation",
                FAILED,
                "no installation id: pass --igrp ID or set igrp under [connection] "
                "in the config file (or try --demo)",
            )
        )
    if report.exit_code != EXIT_OK:
        report.usage = True
        return report

    reachable = report.add(connect_check(connection.base_url, connection.igrp, connection.timeout))
    if reachable.status == FAILED:
        for name in ROUTE_CHECKS:
            report.add(Check(name, SKIPPED, "the base URL is unreachable"))
    else:
        asyncio.run(upstream_checks(settings, report, path))
    return report


def _fix(
    report: Report,
    path: Path,
    *,
    as_json: bool,
    dry_run: bool,
    out: TextIO,
    reload: Callable[[], Settings] | None,
) -> int:
    """Write (or show) the confident suggestion, then check the routes again."""

    def say(text: str) -> None:
        if not as_json:  # the JSON report's "fix" entry says it instead
            print(text, file=out)

    if not report.suggested:
        why = "no confident suggestion"
        if report.questions:
            why += f"; {plural(len(report.questions), 'question')} above to answer by hand"
        say(f"nothing to write to {path}: {why}")
        report.fix = {"path": str(path), "written": {}}
        return report.finish(as_json, out)
    try:
        change = fixing.plan(path, report.suggested)
    except (fixing.FixError, OSError) as exc:
        say(f"cannot edit the config file: {exc}")
        report.usage = True
        report.fix = {"path": str(path), "error": str(exc)}
        return report.finish(as_json, out)
    if dry_run:
        diff = change.diff()
        say(
            f"--dry-run: {path} would change as follows (nothing written):" if diff else "no change"
        )
        if not as_json:
            print(diff, end="", file=out)
        report.fix = {"path": str(path), "dry_run": True, "diff": diff}
        return report.finish(as_json, out)
    try:
        backup = fixing.apply(change)
    except OSError as exc:
        say(f"cannot write {path}: {exc.strerror or exc}")
        report.usage = True
        report.fix = {"path": str(path), "error": str(exc.strerror or exc)}
        return report.finish(as_json, out)
    kept = f" (the old file is kept as {backup})" if backup else " (a new file)"
    say(f"wrote {plural(len(report.suggested), 'setting')} to [mapping] in {path}{kept}")
    if reload is None:
        report.fix = {"path": str(path), "written": report.suggested, "backup": str(backup)}
        return report.finish(as_json, out)
    return _check_again(report, path, backup, reload, as_json=as_json, out=out)


def _check_again(
    before: Report,
    path: Path,
    backup: Path | None,
    reload: Callable[[], Settings],
    *,
    as_json: bool,
    out: TextIO,
) -> int:
    """The checks once more with the file as written; says what is now readable."""
    from rtdash.config import ConfigError

    if not as_json:
        print("\nchecking again with the new mapping:", file=out)
    try:
        settings = reload()
    except ConfigError as exc:
        return config_unusable(path, str(exc), as_json=as_json, out=out)
    after = check(settings, path=path, as_json=as_json, out=out)
    after.fix = {
        "path": str(path),
        "written": before.suggested,
        "backup": str(backup) if backup else None,
        "before": {kind: list(counts) for kind, counts in before.readable.items()},
        "after": {kind: list(counts) for kind, counts in after.readable.items()},
    }
    if not as_json:
        print(f"now readable: {_readable(before, after)}", file=out)
    return after.finish(as_json, out)


def _readable(before: Report, after: Report) -> str:
    parts = []
    for kind, noun in (("call", "call"), ("user", "user")):
        if kind not in after.readable:
            continue
        read, sent, on_dashboard = after.readable[kind]
        part = f"{read} of {plural(sent, noun)}"
        if kind == "user":
            part += f" ({on_dashboard} on the dashboard)"
        if kind in before.readable:
            was, _, was_on = before.readable[kind]
            part += f", was {was}" + (f" ({was_on} on the dashboard)" if kind == "user" else "")
        parts.append(part)
    return "; ".join(parts) or "no route answered"
