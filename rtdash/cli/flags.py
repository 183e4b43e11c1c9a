"""Settings for one run: the config file and environment, then the flags on top, all
checked by the same settings sections, so a flag and a config key fail the same way."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from rtdash.cli.common import PROG, UsageError, say

if TYPE_CHECKING:
    from rtdash.config import Settings

#: flag dest -> (settings section, key, flag as typed), checked by the settings
_FLAG_TARGETS: dict[str, tuple[str, str, str]] = {
    "base_url": ("connection", "base_url", "--base-url"),
    "igrp": ("connection", "igrp", "--igrp"),
    "more_igrps": ("connection", "more_igrps", "--igrp"),
    "tz": ("connection", "timezone", "--tz"),
    "exclude_pii": ("connection", "exclude_pii", "--exclude-pii"),
    "interval": ("polling", "interval", "--interval"),
}


def load_run_settings(args: argparse.Namespace) -> Settings:
    """Config file + environment, then flags on top, all checked by the same sections."""
    from rtdash.config import ConfigError, load_settings

    try:
        settings = load_settings(getattr(args, "config", None))
    except ConfigError as exc:
        raise UsageError(f"{PROG}: {exc}") from None
    apply_flags(settings, vars(args))
    register_secrets(settings)
    for warning in settings.warnings:
        say(f"{PROG}: warning: {warning}")
    if not getattr(args, "demo", False):
        refuse_insecure_http(settings)
    return settings


def refuse_insecure_http(settings: Settings) -> None:
    """Credentials over plain http to another machine: one line and exit 2, before any
    request (``allow_insecure_http = true`` opts in). Only a plain-http URL is looked
    at closely, so the usual https start does not import httpx for this."""
    from rtdash.config import ConfigError

    try:
        installations = settings.installations()
    except ConfigError:
        return  # said where the installations are opened
    for installation in installations:
        connection = installation.connection
        if connection.allow_insecure_http or not connection.base_url.startswith("http://"):
            continue
        from rtdash.api.http_errors import insecure_reason

        reason = insecure_reason(connection.base_url, connection.credentials())
        if reason:
            raise UsageError(f"{PROG}: {reason}")


def refuse_igrp_outside_demo(args: argparse.Namespace, settings: Settings, prog: str) -> None:
    """With ``--demo``, ``--igrp`` picks among the simulator's installations; any other id
    is one line and exit 2. Else the dashboard drops it and opens every demo installation
    as if it had not been given, and ``stats`` says "no totals yet" of one that never has
    any. An igrp from the config file is the real account's, which the demo ignores."""
    if not getattr(args, "demo", False) or "igrp" not in vars(args):
        return
    from rtdash.sim.simulator import DEFAULT_INSTALLATIONS  # the demo loads it anyway

    served = [one.igrp for one in DEFAULT_INSTALLATIONS]
    connection = settings.connection
    # more_igrps is the flag's only when --igrp was given more than once
    asked = [connection.igrp, *(connection.more_igrps if len(args.igrp) > 1 else [])]
    unknown = next((igrp for igrp in asked if igrp not in served), None)
    if unknown is None:
        return
    ids = [str(igrp) for igrp in served]
    listed = " and ".join([", ".join(ids[:-1]), ids[-1]] if len(ids) > 1 else ids)
    raise UsageError(f"{prog}: --igrp {unknown}: the demo runs installations {listed}")


def register_secrets(settings: Settings) -> None:
    """From here on, no log line shows the password or key (or the Basic header)."""
    from rtdash import logs

    logs.register_settings_secrets(settings)


def help_hint(command: str | None) -> str:
    """`` (see `rtdash calls --help`)``: the help of the command that was run."""
    return f" (see `{PROG}{' ' + command if command else ''} --help`)"


def apply_flags(settings: Settings, flags: dict[str, Any]) -> None:
    """Set given flags on the settings, whose sections check a key when it is set
    exactly as the same key in the config file is; a bad value becomes a one-line usage
    error."""
    flags = dict(flags)
    igrps = flags.pop("igrp", None) or []
    if igrps:
        flags["igrp"] = igrps[0]
    if len(igrps) > 1:
        if flags.get("command") not in (None, "serve"):
            hint = help_hint(flags.get("command"))
            raise UsageError(f"{PROG}: --igrp: give one installation to this command{hint}")
        flags["more_igrps"] = igrps[1:]
    if flags.get("wallboard"):
        settings.display.wallboard = True
    if flags.get("no_flash"):
        settings.display.flash = False
    if flags.get("hub"):
        settings.hub.view = True
    for dest, (section, key, flag) in _FLAG_TARGETS.items():
        if dest not in flags:
            continue
        try:
            setattr(getattr(settings, section), key, flags[dest])
        except ValueError as exc:  # "key: problem", in the words the file's errors use
            # every flag is text: "got text" would say nothing
            problem = str(exc).removeprefix(f"{key}: ").removesuffix(", got text")
            given = repr(flags[dest])
            # a URL with user:pass@ in it is never echoed
            shown = flag if given in problem or "credentials" in problem else f"{flag} {given}"
            hint = help_hint(flags.get("command"))
            raise UsageError(f"{PROG}: {shown}: {problem}{hint}") from None


#: the dashboard's own flags (given before a command, they parse, but mean nothing to
#: it): a `--record` that records nothing, or a `--hub` that polls the service, would
#: do what the user did not ask for without a word; `stats --hub` reads the hub's totals
_DASHBOARD_ONLY = {
    "interval": "--interval",
    "wallboard": "--wallboard",
    "no_flash": "--no-flash",
    "hub": "--hub",
    "record": "--record",
}
_COMMANDS_OWN = {"stats": {"hub"}}


def refuse_dashboard_options(args: argparse.Namespace, command: str) -> None:
    """A dashboard flag given with ``command``: one usage line, exit 2."""
    own = _COMMANDS_OWN.get(command, set())
    for dest, flag in _DASHBOARD_ONLY.items():
        if hasattr(args, dest) and dest not in own:
            raise UsageError(
                f"{PROG}: {flag} is a dashboard option; `rtdash {command}` takes none"
                + help_hint(command)
            )
