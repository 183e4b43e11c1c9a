"""``rtdash doctor`` from the command line: the parsed words to a run of the checks.

Apart from :mod:`rtdash.cli` because the doctor reads its config file its own way:
a file that cannot be used is a line of its report, not the one-line error every other
command exits with, and ``--fix`` reads the file again once it has written it.
"""

from __future__ import annotations

import argparse

from rtdash.cli.common import PROG, UsageError
from rtdash.cli.doctor import config_unusable, run
from rtdash.cli.flags import apply_flags, register_secrets
from rtdash.config import ConfigError, Settings, config_path, load_settings


def doctor_command(args: argparse.Namespace) -> int:
    """``rtdash doctor``: an unusable config file is a report line (exit 2), not a
    one-line error, since explaining the set-up is the command's job; a bad flag is
    still a usage error like anywhere else."""
    explicit = getattr(args, "config", None)
    path = config_path(explicit)
    fix, dry_run = args.fix, args.dry_run
    if getattr(args, "demo", False) and (fix or dry_run):
        raise UsageError(
            f"{PROG} doctor: --fix and --dry-run edit your config file; "
            "the demo's mapping needs no fix"
        )
    try:
        settings = load_settings(explicit)
    except ConfigError as exc:
        return config_unusable(path, str(exc), as_json=args.json)
    apply_flags(settings, vars(args))
    register_secrets(settings)

    def reload() -> Settings:
        """The file as ``--fix`` wrote it, with the same flags and environment."""
        again = load_settings(explicit)
        apply_flags(again, vars(args))
        register_secrets(again)
        return again

    if not getattr(args, "demo", False):
        return run(settings, path=path, as_json=args.json, fix=fix, dry_run=dry_run, reload=reload)
    # the scriptable commands' module (tables, phone numbers): only for the demo's simulator
    from rtdash.cli import data

    with data.demo_simulator(settings, keep_igrp="igrp" in vars(args)):
        return run(settings, path=path, as_json=args.json, demo=True)
