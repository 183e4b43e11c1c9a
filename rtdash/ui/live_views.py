"""Each installation's client, live feed, source and view, for the live app.

An installation gets its own client (the head start's first answers in it), live
feed, source (its poller, or with ``--hub`` a subscriber to what ``rtdash hub``
publishes; the client then serves lookups only), today's service level, a recorder
with ``--record``, and a view (a dashboard or a wallboard) built from them.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from rtdash.api.sanitise import clean
from rtdash.config import Installation
from rtdash.connect import client_for
from rtdash.constants import per_installation_path
from rtdash.core.feed import LiveFeed
from rtdash.core.naming import InstallationNames, label_for
from rtdash.core.poller import Poller
from rtdash.core.recording_consumer import RecordingConsumer
from rtdash.core.service_feed import ServiceKeeper, ServiceOptions, attach_service
from rtdash.core.source import Source
from rtdash.core.thresholds import Thresholds
from rtdash.ui.first_frame import FirstFrameApp
from rtdash.ui.screens.views import ViewsScreen
from rtdash.ui.widgets.live_view import LiveView
from rtdash.ui.widgets.view_options import ViewOptions
from rtdash.warmup import tls_context

if TYPE_CHECKING:
    import httpx

    from rtdash.api.client import InfinityClient
    from rtdash.head_start import HeadStart
    from rtdash.sim import Simulator

V = TypeVar("V", bound=LiveView)


class LiveViewsApp(FirstFrameApp):
    """Makes the views of :class:`~rtdash.ui.app.RtdashApp` (which sets what is
    declared here)."""

    demo: bool
    _http: httpx.AsyncClient | None
    #: the first answers, asked for before the app started (not in demo mode)
    head_start: HeadStart | None
    simulator: Simulator | None
    clients: list[InfinityClient]
    record: Path | None
    #: one per installation with ``--record``
    recorders: list[RecordingConsumer]
    #: today's service level of each installation (saved on the way out)
    keepers: list[ServiceKeeper]
    #: the installations' names: config, else the service's (learnt by a lookup)
    names: InstallationNames
    #: ``--hub``: makes each installation's hub subscriber (one Redis URL for all)
    _hub_sources: Callable[[LiveFeed, int], Source] | None

    def view_options(self, badge: str | None) -> ViewOptions:
        settings = self.settings
        return ViewOptions(
            clock=self.clock,
            thresholds=Thresholds.from_settings(settings.thresholds),
            interval=settings.polling.interval,
            max_backoff=settings.polling.max_backoff,
            # the wallboard never asks for personal data: it is on a screen anyone can read
            exclude_pii=settings.connection.exclude_pii or self.wallboard,
            badge=badge,
            show_all_users=settings.display.show_all_users,
            flash=settings.display.flash,
            flash_seconds=settings.display.flash_seconds,
            bell=settings.thresholds.bell,
            trend_minutes=settings.display.trend_minutes,
        )

    def _view(self, kind: type[V], installation: Installation, options: ViewOptions) -> V:
        """An installation's client, live feed, source (a poller, or the hub with
        ``--hub``) and view."""
        client = self.make_client(installation)
        self.clients.append(client)
        label = self.installation_label(installation)
        # a profile may exclude personal data for its installation alone (as the head
        # start asked: rtdash.head_start.excluded_pii)
        excluded = options.exclude_pii or installation.connection.exclude_pii
        feed = LiveFeed(options.feed_options())
        source: Source
        if self.settings.hub.view:
            source = self._hub_source(feed, client.igrp)
        else:
            source = Poller(
                client,
                feed,
                interval=options.interval,
                max_backoff=options.max_backoff,
                exclude_pii=excluded,
                clock=options.clock,
            )
        feed.attach(source)
        self.keepers.append(
            attach_service(
                feed,
                ServiceOptions.from_settings(self.settings.service),
                zone=client.zone,
                base_url=installation.connection.base_url,
                igrp=client.igrp,
                demo=self.demo,
                lookup=lambda ref: client.caller_details(call_ref=ref),
            )
        )
        if self.record is not None:
            recorder = self._recorder(client, label, excluded, self.keepers[-1])
            if recorder is not None:
                feed.subscribe(recorder)
                self.recorders.append(recorder)
        view = kind(
            feed,
            label=label,
            zone=client.zone,
            options=options,
            client=client,
            id=f"view-{installation.key}",
        )
        view.exclude_pii = excluded
        confirmer = self.keepers[-1].confirmer
        if confirmer is not None:  # its notices are about this installation alone
            confirmer.notice = partial(self._service_notice, view)
        return view

    def _hub_source(self, feed: LiveFeed, igrp: int) -> Source:
        """``--hub``: the view reads what ``rtdash hub`` publishes instead of polling;
        the hub's trend fills the feed's history, so a late joiner sees the last hour."""
        if self._hub_sources is None:
            from rtdash.hub.viewer import source_factory  # redis: only in hub mode

            # the hub names the installation: a viewer has no credentials to look it up
            self._hub_sources = source_factory(self.settings, self.names)
        return self._hub_sources(feed, igrp)

    def _recorder(
        self, client: InfinityClient, label: str, excluded: bool, keeper: ServiceKeeper
    ) -> RecordingConsumer | None:
        """One file per installation: ``FILE`` alone, ``FILE-<igrp>`` for several."""
        from rtdash.core.recording import Recorder, RecordingError

        assert self.record is not None
        path = self.record
        if len(self.settings.installations()) > 1:
            path = per_installation_path(path, client.igrp)
        try:
            recorder = Recorder(
                path,
                installation=label,
                igrp=client.igrp,
                tz=client.tz,
                exclude_pii=excluded,
                started=self.clock.now(),
            )
        except RecordingError as exc:
            self.notify(
                clean(str(exc)), title="Not recording", severity="error", timeout=30, markup=False
            )
            return None
        return RecordingConsumer(
            recorder, on_error=self._recording_stopped, service=keeper.recorded_totals
        )

    def _service_notice(self, view: LiveView, line: str) -> None:
        """A notice about one installation's service level (its outcome confirmation
        turned off): named, since another installation's may be fine, and shown with
        that installation, as the screen's other toasts about one installation are."""
        title = f"Service level · {view.label}"
        for screen in self.screen_stack:
            if isinstance(screen, ViewsScreen) and view in screen.views:
                screen.notify_installation(clean(line), title=title, severity="warning", view=view)
                return
        self.notify(clean(line), title=title, severity="warning", markup=False)

    def _recording_stopped(self, message: str) -> None:
        # said once per recording; the dashboard itself carries on
        self.notify(
            clean(message), title="Recording stopped", severity="error", timeout=30, markup=False
        )

    def make_client(self, installation: Installation) -> InfinityClient:
        return client_for(
            installation.connection,
            installation.mapping,
            head_start=self.head_start,
            http=self._http,
            tls=None if self._http else tls_context(),
            now=self.clock.now,
        )

    def installation_label(self, installation: Installation) -> str:
        igrp = installation.connection.igrp
        name = installation.connection.name
        if name is None and self.simulator is not None:
            name = next((i.name for i in self.simulator.installations if i.igrp == igrp), None)
        if igrp is None:
            return label_for(igrp, name)
        self.names.configure(igrp, name)
        return self.names.label(igrp)

    def _renamed(self, igrp: int, label: str) -> None:
        """A lookup answer named the installation: its tab and status line follow."""
        for screen in self.screen_stack:
            views = [v for v in getattr(screen, "views", []) if v.client.igrp == igrp]
            for view in views:
                view.label = view.status_bar.installation = label
                view.status_bar.tick()
            if views and hasattr(screen, "show_installations"):
                screen.show_installations()
