"""What to tell someone whose credentials are missing or refused, naming the variable or
file to fix: "no credentials" when only the password is missing sends people looking
in the wrong place.

A refused login is fixed by editing where the credentials live and starting rtdash
again: a running process cannot see a variable changed in another shell, and re-reading
only the config file would work for some set-ups and silently not for others. So the
hint says "restart" in every case. The poller tries the same credentials again by
itself, slowly, and ``r`` at once: that ends a refusal that was not the credentials'
fault (a proxy, the service, a lock lifted), never a wrong password.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from rtdash.core.paths import home_relative

#: the environment variables the credentials come from (or the config file; never a
#: flag, which any user on the machine could read in the process list)
ENV_PREFIX = "RTDASH_"
ENV_USERNAME, ENV_PASSWORD, ENV_API_KEY = (
    ENV_PREFIX + name for name in ("USERNAME", "PASSWORD", "API_KEY")
)


def missing_credentials(*, username: bool, password: bool, api_key: bool) -> str | None:
    """None when the credentials are usable; else what is missing, by name."""
    if api_key or (username and password):
        return None
    if username:
        return f"{ENV_PASSWORD} is not set ({ENV_USERNAME} is): set it too, or {ENV_API_KEY}"
    if password:
        return f"{ENV_USERNAME} is not set ({ENV_PASSWORD} is): set it too, or {ENV_API_KEY}"
    return f"no credentials: set {ENV_USERNAME} and {ENV_PASSWORD}, or {ENV_API_KEY}"


def rejected_hint(
    env: Mapping[str, str], config_file: Path | None, *, profiles: bool = False
) -> str:
    """After "credentials rejected": what to fix, then restart."""
    return rejected_hints(env, config_file, profiles=profiles)[0]


def rejected_hints(
    env: Mapping[str, str], config_file: Path | None, *, profiles: bool = False
) -> tuple[str, ...]:
    """:func:`rejected_hint`, then shorter forms of it, shortest last, for a line too
    narrow for the whole: the words around what to fix give way, never the variable or
    the file's path, which is the one thing the reader has to act on."""
    if profiles:
        where = short = "the profile's credentials"
    elif env.get(ENV_API_KEY):
        where = short = ENV_API_KEY
    elif env.get(ENV_USERNAME) or env.get(ENV_PASSWORD):
        where = short = f"{ENV_USERNAME}/{ENV_PASSWORD}"
    elif config_file is not None:
        short = home_relative(config_file)
        where = f"the credentials in {short}"
    else:
        where = short = "the credentials"
    forms = (
        f"fix {where} and restart rtdash",
        f"fix {short}, restart rtdash",
        f"fix {short}, restart",
        f"fix {short}",
    )
    return tuple(dict.fromkeys(forms))  # (a form that reads as the one before it, once)


#: after the hub's credentials are refused: a screen fed by the hub cannot fix them (nor
#: retry them: the hub polls), so the hint says whose they are
HUB_REJECTED_HINTS = ("fix the hub's credentials and restart the hub", "fix the hub's credentials")


def rejected_hint_for(settings: object, env: Mapping[str, str] | None = None) -> str:
    """:func:`rejected_hint` for a :class:`~rtdash.config.Settings` (or None)."""
    return rejected_hints_for(settings, env)[0]


def rejected_hints_for(settings: object, env: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """:func:`rejected_hints` for a :class:`~rtdash.config.Settings` (or None)."""
    import os

    return rejected_hints(
        os.environ if env is None else env,
        getattr(settings, "source", None),
        profiles=bool(getattr(settings, "profiles", None)),
    )
