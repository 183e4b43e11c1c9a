"""The Textual application: connects settings, clients and screens.

Start-up stays light: the simulator is imported only in demo mode, the first frame is
drawn once, with the first answer in it, when that answer comes within a short wait
(:data:`FIRST_FRAME_WAIT`), and the garbage collector the command paused
(:mod:`rtdash.warmup`) resumes once the first data is drawn. Each installation gets
its own client, live feed and source (its poller, or with ``--hub`` a subscriber to what
``rtdash hub`` publishes; the client then serves lookups only); the dashboard or the
wallboard shows them as switchable views.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import httpx

from rtdash.api.client import InfinityClient
from rtdash.api.sanitise import clean
from rtdash.config import Installation, Settings, config_path
from rtdash.connect import client_for
from rtdash.constants import per_installation_path
from rtdash.core.clock import Clock
from rtdash.core.credentials import missing_credentials
from rtdash.core.feed import FeedConsumer, LiveFeed, RecordingConsumer
from rtdash.core.naming import InstallationNames, label_for
from rtdash.core.poller import Phase, Poller, PollerStatus
from rtdash.core.service_feed import ServiceKeeper, ServiceOptions, attach_service
from rtdash.core.source import Source
from rtdash.core.thresholds import Thresholds
from rtdash.ui.commands import LIVE, WALL
from rtdash.ui.screens.dashboard import DashboardScreen
from rtdash.ui.shell import (
    EXTRA_BINDING_IDS,
    HANGUP_EXIT,
    STYLE_FILES,
    TERMINATED_EXIT,
    ShellApp,
    check_ui_settings,
    style_paths,
)
from rtdash.ui.stdin_watch import stop_watching
from rtdash.ui.textual_internals import PaintHold
from rtdash.ui.widgets.dashboard import Dashboard
from rtdash.ui.widgets.live_view import LiveView, ViewOptions
from rtdash.warmup import (
    collection_paused,
    freeze_imports,
    resume_collection,
    tls_context,
    warm_phone_numbers,
)

if TYPE_CHECKING:
    from textual.app import App

    from rtdash.core.replay import Player
    from rtdash.head_start import HeadStart
    from rtdash.sim import Simulator

log = logging.getLogger(__name__)
V = TypeVar("V", bound=LiveView)

__all__ = [
    "EXTRA_BINDING_IDS",
    "HANGUP_EXIT",
    "STYLE_FILES",
    "TERMINATED_EXIT",
    "RtdashApp",
    "check_ui_settings",
    "exit_code",
    "run_dashboard",
    "run_replay",
    "style_paths",
]

#: seconds after mount when the garbage collector resumes even if no data was drawn
#: (the welcome screen, a slow or failing service): the start is over by then
COLLECTION_PAUSE_LIMIT = 5.0

#: seconds the first frame waits for every installation's first answer (data or an
#: error). A service that answers within it is drawn once, with its data, instead of an
#: empty dashboard whose layout and paint are thrown away a moment later; one that is
#: slow or down shows the dashboard and its "connecting" state no more than this late.
#: The first requests leave before Textual is imported (:mod:`rtdash.head_start`), so a
#: service's latency has mostly passed by the time the screen is ready; a quarter of a
#: second more keeps a hung service's dashboard well inside the second within which a
#: start still feels immediate.
FIRST_FRAME_WAIT = 0.25


class _FirstAnswer(FeedConsumer):
    """Tells the app when an installation's first answer (data on both routes, or a
    failure) has been handed to its view, so the held first frame can be drawn."""

    def __init__(self, app: RtdashApp, view: LiveView) -> None:
        self.app = app
        self.view = view
        self.done = False

    def feed_status(self, feed: LiveFeed, status: PollerStatus) -> None:
        if self.done or status.phase is Phase.CONNECTING:
            return
        self.done = True
        # queued behind the view's own messages for this answer: drawn before the frame
        self.view.call_later(self.app._answered, self.view)


class RtdashApp(ShellApp):
    """The live modes: the dashboard, or the wallboard (``display.wallboard``)."""

    TITLE = "rtdash"

    def __init__(
        self,
        settings: Settings,
        *,
        demo: bool = False,
        clock: Clock | None = None,
        http: httpx.AsyncClient | None = None,
        simulator: Simulator | None = None,
        record: Path | None = None,
        head_start: HeadStart | None = None,
    ) -> None:
        super().__init__(settings, mode=WALL if settings.display.wallboard else LIVE, clock=clock)
        self.demo = demo
        self._http = http
        #: the first answers, asked for before the app started (not in demo mode)
        self.head_start = None if demo else head_start
        self.simulator = simulator
        self._owns_simulator = False
        self.clients: list[InfinityClient] = []
        self.record = record
        #: one per installation with ``--record``
        self.recorders: list[RecordingConsumer] = []
        #: today's service level of each installation (saved on the way out)
        self.keepers: list[ServiceKeeper] = []
        #: the installations' names: config, else the service's (learnt by a lookup)
        self.names = InstallationNames()
        self.names.subscribe(self._renamed)
        #: ``--hub``: makes each installation's hub subscriber (one Redis URL for all)
        self._hub_sources: Callable[[LiveFeed, int], Source] | None = None
        #: the first frame is held back (not painted) until these views have their
        #: first answer, or :data:`FIRST_FRAME_WAIT` has passed
        self._holding = False
        self._release_queued = False
        #: still waiting for the answers (no layout yet either)
        self._waiting = False
        self._first_batch = self.batch_update()
        self._unanswered: set[LiveView] = set()
        #: the _FirstAnswer subscriptions, ended with the hold
        self._first_answers: list[Callable[[], None]] = []

    def get_theme_variable_defaults(self) -> dict[str, str]:
        """The level and state colours, for the TCSS (``$level-alert``…)."""
        from rtdash.ui.widgets.palette import THEME_VARIABLES

        return {**super().get_theme_variable_defaults(), **THEME_VARIABLES}

    # --- start ----------------------------------------------------------------------

    def on_mount(self) -> None:
        self.exit_on_signals()
        if collection_paused():  # a live view resumes it sooner, once data is drawn
            self.set_timer(COLLECTION_PAUSE_LIMIT, resume_collection, name="collection")
        for warning in self.settings.warnings:
            self.notify(clean(warning), severity="warning", timeout=15, markup=False)
        if self.demo:
            self._hold_first_frame()
            self.action_start_demo()
        elif self._can_connect():
            if not self.wallboard:  # the wallboard shows no caller's number
                warm_phone_numbers()
            self._hold_first_frame()
            self._open(badge=None)
        else:
            from rtdash.ui.screens.welcome import WelcomeScreen  # Markdown is slow to import

            self.push_screen(WelcomeScreen(str(config_path()), self._missing()))

    def before_hang_up(self) -> None:
        """Recordings are closed: they are the only thing this process holds that matters."""
        for recorder in self.recorders:
            recorder.close()
        self._close_keepers()

    def _close_keepers(self) -> None:
        for keeper in self.keepers:
            try:
                keeper.close()
            except OSError as exc:  # a full disk must not stop the way out
                log.warning("cannot save today's totals: %s", exc)
        self.keepers.clear()

    def _can_connect(self) -> bool:
        if self.settings.profiles:
            return True
        connection = self.settings.connection
        if self.settings.hub.view:  # credentials are needed for lookups only
            return connection.igrp is not None
        return connection.igrp is not None and connection.credentials().usable

    def _missing(self) -> str | None:
        connection = self.settings.connection
        if connection.igrp is None and not connection.credentials().usable:
            return None
        if connection.igrp is None:
            return "Credentials found, but no installation id (igrp)."
        missing = missing_credentials(
            username=bool(connection.username),
            password=bool(connection.password),
            api_key=bool(connection.api_key),
        )
        return f"Installation set, but {missing}."

    def action_start_demo(self) -> None:
        """Run on the built-in simulator (started here, so the demo needs no account).

        Every simulated installation opens, as tabs, unless ``--igrp`` named one.
        """
        if self.simulator is None:
            from rtdash.sim import demo_simulator

            self.simulator = demo_simulator().start(port=0)
            self._owns_simulator = True
        sim = self.simulator
        served = [installation.igrp for installation in sim.installations]
        connection = self.settings.connection
        connection.base_url = sim.url
        if connection.igrp not in served:
            connection.igrp = served[0]
            connection.more_igrps = served[1:]
        connection.more_igrps = [igrp for igrp in connection.more_igrps if igrp in served]
        connection.username = sim.username
        # why the type: ignore below: pydantic turns the str into a SecretStr
        connection.password = sim.password  # type: ignore[assignment]
        connection.api_key = None
        self.settings.profiles = {}
        self.demo = True
        if type(self.screen).__name__ == "WelcomeScreen":
            self.pop_screen()
        self._open(badge="DEMO")

    def _open(self, *, badge: str | None) -> None:
        installations = self.settings.installations()
        options = self.view_options(badge)
        if self.wallboard:
            from rtdash.ui.screens.wallboard import WallboardScreen
            from rtdash.ui.widgets.wallboard import Wallboard

            boards = [self._view(Wallboard, item, options) for item in installations]
            self._await_first_answers(boards)
            self.push_screen(
                WallboardScreen(boards, rotate_seconds=self.settings.display.rotate_seconds)
            )
            return
        dashboards = [self._view(Dashboard, item, options) for item in installations]
        self._await_first_answers(dashboards)
        self.push_screen(
            DashboardScreen(
                dashboards,
                default_region=self.settings.connection.default_region,
                export_dir=self.settings.display.export_dir,
            )
        )

    # --- the first frame ----------------------------------------------------------------

    def _hold_first_frame(self) -> None:
        """No paint until the first answers are in (or the wait is over); the layout
        goes on, so the widgets know their sizes when the data is drawn."""
        self._holding = self._waiting = True
        self._first_batch.__enter__()  # App.batch_update(): no layout or paint at all
        self.set_timer(FIRST_FRAME_WAIT, self._show_first_frame, name="first-frame")

    def _await_first_answers(self, views: Sequence[LiveView]) -> None:
        if not self._holding:
            return
        self._unanswered = set(views)
        for view in views:
            self._first_answers.append(view.feed.subscribe(_FirstAnswer(self, view)))

    def _answered(self, view: LiveView) -> None:
        self._unanswered.discard(view)
        if not self._unanswered:
            self._show_first_frame()

    @property
    def holding_first_frame(self) -> bool:
        """The first frame waits for the first answers: screens paint nothing yet."""
        return self._holding

    def _show_first_frame(self) -> None:
        """Behind what the app's queue holds already (Textual's own start, the
        terminal's first size), so the first paint has the final layout."""
        if self._holding and not self._release_queued:
            self._release_queued = True
            self.call_later(self._end_hold)

    @property
    def waiting_first_answer(self) -> bool:
        """No answer yet (nor the end of the wait): screens are not even laid out."""
        return self._waiting

    def _end_hold(self) -> None:
        """The answers are in: laid out now, painted after the screen's next refresh,
        so that a layout the data asked for (the groups' heights) comes before the
        first paint, not just after it."""
        self._waiting = False
        self._first_batch.__exit__(None, None, None)
        screen = self.screen
        if isinstance(screen, PaintHold):
            screen.release_layout()
        screen.call_after_refresh(self._paint_first_frame)

    def _paint_first_frame(self) -> None:
        if self.head_start is not None:
            self.head_start.forget()  # every first poll has taken its answer by now
        self._holding = False
        self._unanswered.clear()
        for unsubscribe in self._first_answers:
            unsubscribe()
        self._first_answers.clear()
        screen = self.screen
        if isinstance(screen, PaintHold):
            screen.release_paint()  # painted once, with what came

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
                notice=self._service_notice,
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
        return view

    def _hub_source(self, feed: LiveFeed, igrp: int) -> Source:
        """``--hub``: the view reads what ``rtdash hub`` publishes instead of polling;
        the hub's trend fills the feed's history, so a late joiner sees the last hour."""
        if self._hub_sources is None:
            from rtdash.hub.viewer import source_factory  # redis: only in hub mode

            self._hub_sources = source_factory(self.settings)
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

    def _service_notice(self, line: str) -> None:
        self.notify(clean(line), title="Service level", severity="warning", markup=False)

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

    # --- focus: poll slower while nobody is looking ------------------------------------

    def watch_app_focus(self, focused: bool) -> None:
        """The terminal reports focus changes; while nobody looks, poll more slowly."""
        if self.wallboard or self.is_web:
            # a wallboard is never "focused" and must stay live; in a browser tab the
            # terminal only learns of focus once clicked, so blur there means nothing
            return
        slow = None if focused else self.settings.polling.unfocused_interval
        for screen in self.screen_stack:
            for view in screen.query(LiveView):
                view.poller.set_slow(slow)

    async def on_unmount(self) -> None:
        for recorder in self.recorders:
            recorder.close()
        self._close_keepers()
        for client in self.clients:
            await client.aclose()
        if self._owns_simulator and self.simulator is not None:
            self.simulator.stop()


def run_dashboard(settings: Settings, *, demo: bool = False, record: Path | None = None) -> int:
    """Raises ConfigError for a bad theme or keymap before the terminal is taken over."""
    if collection_paused():  # the command's start-up: see rtdash.warmup
        freeze_imports()
    from rtdash.head_start import claim

    app = RtdashApp(settings, demo=demo, record=record, head_start=claim(settings))
    return exit_code(app, app.run())


def run_replay(player: Player, *, settings: Settings) -> int:
    """Play a recording back in the same dashboard (no network, no lookups)."""
    from rtdash.ui.screens.replay import ReplayApp

    app = ReplayApp(player, settings=settings)  # ConfigError for a bad theme or keymap
    return exit_code(app, app.run())


def exit_code(app: App[int], result: int | None) -> int:
    """The command's exit code: an error the app could not handle ends it with
    Textual's traceback on the terminal and must not exit 0, or a wallboard's restart
    loop or a supervisor's script would take the crash for a quit."""
    stop_watching()  # the app has ended: no hang-up to watch for any more
    return app.return_code or result or 0
