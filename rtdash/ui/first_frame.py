"""The live app's first frame: drawn once, with the first answers in it.

The app holds its first frame until every installation's first answer (data on both
routes, or a failure) has reached its view, at most :data:`FIRST_FRAME_WAIT` after
mount: a service that answers in time is drawn once, with its data, instead of an
empty dashboard whose layout and paint are thrown away a moment later. While it waits
the live screen is not laid out either (:mod:`rtdash.ui.screens.first_frame`); once the
answers are in it is laid out, and painted after the next refresh, so the tables are
drawn at their final size.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from textual.dom import DOMNode

from rtdash.config import Settings
from rtdash.core.clock import Clock
from rtdash.core.feed import FeedConsumer, LiveFeed
from rtdash.core.poller_status import Phase, PollerStatus
from rtdash.ui.commands import Mode
from rtdash.ui.shell import ShellApp
from rtdash.ui.textual_internals import PaintHold
from rtdash.ui.widgets.keyed_table import KeyedTable
from rtdash.ui.widgets.live_view import LiveView

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

    def __init__(self, app: FirstFrameApp, view: LiveView) -> None:
        self.app = app
        self.view = view
        self.done = False

    def feed_status(self, feed: LiveFeed, status: PollerStatus) -> None:
        if self.done or status.phase is Phase.CONNECTING:
            return
        self.done = True
        # queued behind the view's own messages for this answer: drawn before the frame
        self.view.call_later(self.app._answered, self.view)


class FirstFrameApp(ShellApp):
    """The hold on the first frame, for the live app (:class:`~rtdash.ui.app.RtdashApp`)."""

    def __init__(self, settings: Settings, *, mode: Mode, clock: Clock | None = None) -> None:
        super().__init__(settings, mode=mode, clock=clock)
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
        #: nodes whose classes changed while the first answers were awaited, styled
        #: together just before the first layout (:meth:`update_styles`)
        self._restyle: dict[DOMNode, None] = {}

    def update_styles(self, node: DOMNode, animate: bool = True) -> None:
        """While the first answers are awaited, a node whose classes change is styled
        with the first layout, not at once: the first data sets the tiles' levels and
        alerts one class change at a time, each a restyle of the tile and its children,
        and a tile can change twice. Nothing is laid out or painted meanwhile, so what
        the first frame shows is the same; styled together, each node once, they share
        the stylesheet's cache of matching rules."""
        # getattr: ShellApp.__init__ already restyles (its classes), before this __init__
        if getattr(self, "_waiting", False) and node is not self:
            self._restyle[node] = None
            return
        super().update_styles(node, animate=animate)

    def _restyle_held(self) -> None:
        """Style what :meth:`update_styles` held back: each node and its descendants,
        once."""
        held, self._restyle = self._restyle, {}
        roots = [
            node
            for node in held
            if node.is_attached and not any(parent in held for parent in node.ancestors)
        ]
        if roots:
            self.stylesheet.update_nodes(
                [node for root in roots for node in root.walk_children(with_self=True)],
                animate=False,
            )

    def first_answers_taken(self) -> None:
        """Hook: every first answer has been drawn (the head start's are dropped)."""

    def _hold_first_frame(self) -> None:
        """No layout or paint until the first answers are in (or the wait is over)."""
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

    @property
    def waiting_first_answer(self) -> bool:
        """No answer yet (nor the end of the wait): screens are not even laid out."""
        return self._waiting

    def _show_first_frame(self) -> None:
        """Behind what the app's queue holds already (Textual's own start, the
        terminal's first size), so the first paint has the final layout."""
        if self._holding and not self._release_queued:
            self._release_queued = True
            self.call_later(self._end_hold)

    def _end_hold(self) -> None:
        """The answers are in: laid out now, painted after the screen's next refresh,
        so that a layout the data asked for (the groups' heights) comes before the
        first paint, not just after it."""
        self._waiting = False
        self._restyle_held()
        self._first_batch.__exit__(None, None, None)
        screen = self.screen
        if isinstance(screen, PaintHold):
            screen.release_layout()
        screen.call_after_refresh(self._paint_first_frame)

    def _paint_first_frame(self) -> None:
        self.first_answers_taken()
        self._holding = False
        self._unanswered.clear()
        for unsubscribe in self._first_answers:
            unsubscribe()
        self._first_answers.clear()
        for held in self.screen_stack:  # a dialog may have opened over the dashboard
            for table in held.query(KeyedTable).results():
                table.draw_held_lines()  # at the size it settled at, once
        screen = self.screen
        if isinstance(screen, PaintHold):
            screen.release_paint()  # painted once, with what came
