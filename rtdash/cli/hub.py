"""``rtdash hub``: poll each configured installation once and publish to Redis.

Run one on each of two machines for failover: a lease per installation makes exactly
one of them poll (:mod:`rtdash.hub.publisher`). Each change of role is one line on
stderr, so a systemd journal shows who polls. SIGTERM and Ctrl-C hand the leases over
at once instead of making a standby wait them out.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
from typing import TYPE_CHECKING

from rtdash.cli.common import EXIT_OK, PROG, UsageError, say
from rtdash.cli.flags import load_run_settings, refuse_igrp_outside_demo

if TYPE_CHECKING:
    from rtdash.config import Installation, Settings
    from rtdash.core.poller import Poller
    from rtdash.core.service import ServiceLevel
    from rtdash.core.source import SnapshotSink
    from rtdash.hub.publisher import InstallationPublisher


def hub_command(args: argparse.Namespace) -> int:
    from rtdash.cli import data
    from rtdash.hub.connect import HubNotConfigured, hub_url

    settings = load_run_settings(args)
    try:
        url = hub_url(settings)
    except HubNotConfigured as exc:
        raise UsageError(f"{PROG} hub: {exc}") from None
    demo = getattr(args, "demo", False)
    asked = "igrp" in vars(args)  # --igrp picks among the demo's installations
    refuse_igrp_outside_demo(args, settings, f"{PROG} hub")
    with data.connected(settings, demo=demo, keep_igrp=asked):
        names: dict[int, str] = {}
        if demo:
            names = _every_demo_installation(settings, asked=asked)
        installations = _installations(settings)
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(_run(settings, installations, url, names, demo=demo))
    return EXIT_OK


def _every_demo_installation(settings: Settings, *, asked: bool) -> dict[int, str]:
    """The demo's simulator runs several installations, and its dashboard opens them
    all as tabs: the hub publishes them all too (else a viewer of the second waits for
    a poller that never comes), unless ``--igrp`` named one. The config file's own
    installations are the real account's, not the demo's. Returns the simulator's
    names for them, which the hub publishes as the demo's dashboard shows them."""
    from rtdash.sim.simulator import DEFAULT_INSTALLATIONS

    settings.profiles = {}
    if not asked:
        first = settings.connection.igrp
        settings.connection.more_igrps = [
            one.igrp for one in DEFAULT_INSTALLATIONS if one.igrp != first
        ]
    return {one.igrp: one.name for one in DEFAULT_INSTALLATIONS}


def _installations(settings: Settings) -> list[Installation]:
    from rtdash.config import ConfigError

    try:
        found = settings.installations()
    except ConfigError as exc:
        raise UsageError(f"{PROG} hub: {exc}") from None
    for installation in found:
        connection = installation.connection
        if connection.igrp is None:
            raise UsageError(f"{PROG} hub: no installation id (igrp under [connection])")
        if not connection.credentials().usable:
            raise UsageError(
                f"{PROG} hub: no credentials for {installation.label}: set RTDASH_USERNAME "
                "and RTDASH_PASSWORD, or RTDASH_API_KEY"
            )
    return found


async def _run(
    settings: Settings,
    installations: list[Installation],
    url: str,
    names: dict[int, str] | None = None,
    *,
    demo: bool = False,
) -> None:
    """Publish every installation until stopped; ``names``: what to call those the
    config does not name (the demo's simulator's names); ``demo``: each starts its day
    afresh, as the demo's simulator does."""
    from rtdash.hub.connect import connector, safe_url
    from rtdash.hub.keys import HubKeys
    from rtdash.hub.lease import new_holder
    from rtdash.hub.polling import make_client, make_poller
    from rtdash.hub.publisher import InstallationPublisher

    redis = connector(url)()
    holder = new_holder()
    interval = settings.polling.interval
    retention = settings.hub.history_hours * 3600
    say(f"{PROG} hub: {holder} publishing to {safe_url(url)} under {settings.hub.prefix!r}")
    publishers: list[InstallationPublisher] = []
    for installation in installations:
        igrp = installation.connection.igrp
        assert igrp is not None
        # everyone who can subscribe sees what is published: redact unless asked not to
        exclude_pii = installation.connection.exclude_pii or not settings.hub.pii

        def factory(
            sink: SnapshotSink,
            installation: Installation = installation,
            exclude_pii: bool = exclude_pii,
        ) -> Poller:
            return make_poller(
                make_client(installation),
                sink,
                interval=interval,
                max_backoff=settings.polling.max_backoff,
                exclude_pii=exclude_pii,
            )

        def service(installation: Installation = installation) -> ServiceLevel:
            from zoneinfo import ZoneInfo

            from rtdash.core.service import ServiceLevel

            return ServiceLevel(
                ZoneInfo(installation.connection.timezone),
                sl_seconds=settings.service.sl_seconds,
                short_abandon=settings.service.short_abandon,
            )

        def on_role(role: str, why: str, igrp: int = igrp) -> None:
            say(f"{PROG} hub: {igrp}: {'polling' if role == 'leader' else role} ({why})")

        publishers.append(
            InstallationPublisher(
                redis,
                HubKeys(settings.hub.prefix, igrp),
                factory,
                interval=interval,
                holder=holder,
                retention=retention,
                on_role=on_role,
                service=service,
                # viewers have no credentials to look the name up: the hub tells them
                name=installation.connection.name or (names or {}).get(igrp),
                fresh_day=demo,
            )
        )
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signum, _stop_all, publishers)
    try:
        await asyncio.gather(*(publisher.run() for publisher in publishers))
    finally:
        with contextlib.suppress(Exception):
            await redis.aclose()


def _stop_all(publishers: list[InstallationPublisher]) -> None:
    for publisher in publishers:
        publisher.stop()


def check_viewer(
    settings: Settings, *, demo: bool, prog: str = PROG, reader: str | None = None
) -> None:
    """``--hub`` (or ``[hub] view``) needs a hub to read and an installation to read
    from it, and is refused with ``--demo`` (which runs its own simulator): one line,
    before the terminal is taken over (or, for ``rtdash stats``, before Redis is asked).

    The installation is asked for here because the app, given none, would open its
    welcome screen, which asks for credentials a viewer does not need (the hub polls).
    ``reader`` names what reads the hub in that line: the viewer unless told, while
    ``rtdash stats --hub`` opens no viewer and must not be called one."""
    if not settings.hub.view:
        return
    from rtdash.hub.connect import HubNotConfigured, hub_url

    if demo:
        raise UsageError(
            f"{prog}: --hub shows what `rtdash hub` publishes and --demo runs its own "
            "simulator: use one of them"
        )
    try:
        hub_url(settings)
    except HubNotConfigured as exc:
        raise UsageError(f"{prog}: --hub: {exc}") from None
    if not settings.profiles and settings.connection.igrp is None:
        who = reader or f"{prog}: --hub: a hub viewer"
        raise UsageError(
            f"{who} needs an installation: give --igrp ID, or igrp under [connection] "
            "in the config file"
        )
