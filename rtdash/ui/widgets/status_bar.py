"""Connection state in words, the age of the data, the installation and time zone (the
bands that say so across a room are :mod:`.banners`)."""

from __future__ import annotations

import asyncio
import re
from zoneinfo import ZoneInfo

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import Static

from rtdash.core.clock import Clock
from rtdash.core.credentials import HUB_REJECTED_HINTS, rejected_hints_for
from rtdash.core.naming import id_mark, label_parts
from rtdash.core.poller_status import Phase, PollerStatus
from rtdash.core.status import StatusText, describe
from rtdash.ui.cause_lines import cause_lines
from rtdash.ui.label_fit import shortened
from rtdash.ui.widgets.palette import LEVEL_STYLE

#: seconds a note stays (a key's answer, e.g. "polling every 3 s"): it answers the key
#: pressed, and left there it would hold the installation's name off an 80-column line
NOTE_SECONDS = 10.0
#: the bar's classes for its heights above one line (the style sheets' heights)
HEIGHT_CLASSES = {2: "-two-lines", 3: "-three-lines", 4: "-four-lines"}

#: the installation's form on the line and whether the time zone is there
Tail = tuple[str | None, bool]

#: a run of digits: what changes on a line that only ticks
_DIGITS = re.compile(r"[0-9]+")


class StatusBar(Static):
    def __init__(
        self,
        *,
        clock: Clock,
        zone: ZoneInfo,
        installation: str,
        badge: str | None = None,
        **kwargs: object,
    ) -> None:
        # why the type: ignore below: kwargs are the widget's name/id/classes
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.clock = clock
        self.zone = zone
        self.installation = installation
        self.badge = badge
        self.status: PollerStatus | None = None
        self.text: StatusText | None = None
        self.note: str | None = None
        #: for a note that lasts until the next poll ends: what the polls had come to
        #: when it was set (the age of the data, and each route's error)
        self._note_until: tuple[object, ...] | None = None
        #: the clock's monotonic time a note given for a while is gone at
        self._note_gone_at: float | None = None
        self._line: Text | None = None
        #: the line's words without their numbers, the width and the installation the
        #: form was chosen for, and that form: kept while only numbers tick, so the
        #: name does not change form as a countdown loses a digit
        self._held: tuple[tuple[str, int, str], Tail] | None = None
        #: the state's word instead of the connection's (a replay: "playing ×4")
        self.headline: str | None = None

    def update_status(self, status: PollerStatus, *, draw: bool = True) -> None:
        """Take a new status; ``draw=False`` leaves drawing it to the next ``tick``."""
        self.status = status
        if self._note_until is not None and _polls_came_to(status) != self._note_until:
            self.note = self._note_until = None
            draw = True
        if draw:
            self.tick()

    def set_note(self, note: str | None, *, until_polled: bool = False) -> None:
        """A passing word from the app (e.g. "interval 3 s"), shown for
        :data:`NOTE_SECONDS` or until replaced; with ``until_polled`` (e.g.
        "refreshing…") until a poll succeeds or fails instead."""
        self.note = note
        self._note_until = None
        self._note_gone_at = None
        if until_polled and self.status is not None:
            self._note_until = _polls_came_to(self.status)
        elif note is not None:
            self._note_gone_at = self.clock.monotonic() + NOTE_SECONDS
        self.tick()

    def headline_for(self, status: PollerStatus) -> str:
        """The connection's words this bar shows for ``status`` now, for a note that
        leaves out what they already say (the pace in "live (every 30 s)"). From
        ``status`` itself, not the bar's last one: the source has just published a new
        interval, which reaches the bar a message later."""
        if self.headline is not None:
            return self.headline
        loop_now = asyncio.get_running_loop().time()
        return describe(status, self.clock.now(), loop_now, self.zone).headline

    def tick(self) -> None:
        if self.status is None:
            return
        if self._note_gone_at is not None and self.clock.monotonic() >= self._note_gone_at:
            self.note = self._note_gone_at = None
        loop_now = asyncio.get_running_loop().time()
        self.text = describe(self.status, self.clock.now(), loop_now, self.zone)
        connection_style = LEVEL_STYLE[self.text.connection_level] or "bold"
        if self.headline is not None:
            connection_style = "bold"
        head = self._head(self.headline or self.text.headline, self.text.detail, connection_style)
        note = Text()
        if self.note:
            note.append(" · ", style="dim")
            note.append(self.note, style="italic")
        hints: tuple[str, ...] = ()
        wide_head: Text | None = None
        retry = self._retry_words()
        if self.status.phase is Phase.AUTH_FAILED:
            hints = self._rejected_hints()
            if retry:
                headline = f"{self.headline or self.text.headline} · {retry}"
                wide_head = self._head(headline, self.text.detail, connection_style)
        width = self.laid_out_width()
        line, hint = with_hint(head, note, hints, width, wide_head=wide_head, retry=retry)
        if hint is None and self.text.causes and 0 < width < line.cell_len + self._id_cells():
            # the causes would be cut at the edge, or push the installation's id off
            # the line, and a failure's cause is what a supervisor reads the line for:
            # on lines of their own, the retry's wait on the first
            head = self._head(self.headline or self.text.brief, "", connection_style)
            line = head + note
            causes = cause_lines(self.text.each_cause, width)
            hint = Text("\n".join(causes), style=connection_style, no_wrap=True)
        text = tail_line(line, self._tail(line, width), self.zone.key)
        if hint is not None:
            text.append("\n")
            text.append_text(hint)
        if text != self._line:  # a line that reads the same is not drawn again
            self._line = text
            lines = len(text.plain.split("\n"))
            for count, name in HEIGHT_CLASSES.items():
                if self.has_class(name) != (lines == count):
                    self.set_class(lines == count, name)  # its height: a layout
            self.update(text, layout=False)

    def _id_cells(self) -> int:
        """The cells the installation's id takes at the line's end at its shortest
        (`` · #1234``): the id is what tells the tabs' lines apart, and causes that fit
        only without it took its place."""
        igrp = label_parts(self.installation).igrp
        return 0 if igrp is None else cell_len(f" · {id_mark(igrp)}")

    def _rejected_hints(self) -> tuple[str, ...]:
        """What to fix: where this process read the credentials, or the hub's."""
        assert self.status is not None
        if self.status.via:
            return HUB_REJECTED_HINTS
        return rejected_hints_for(getattr(self.app, "settings", None))

    def _retry_words(self) -> str:
        """When refused credentials are tried again, and the key that tries them now
        (a screen fed by the hub has none: the hub polls on its own)."""
        assert self.text is not None and self.status is not None
        retry = self.text.retry
        if not retry or retry == "retrying now" or self.status.via:
            return retry
        keys = getattr(self.app, "current_keys", None)
        key = keys().get("refresh", "r") if keys is not None else "r"
        return f"{retry} ({key}: now)"

    def _tail(self, line: Text, width: int) -> Tail:
        """The installation's form for ``line``: the one it had, while only the line's
        numbers have changed since (and it still fits), else the longest that fits."""
        shape = (_DIGITS.sub("0", line.plain), width, self.installation)
        kept = self._held[1] if self._held and self._held[0] == shape else None
        tail = fitted_tail(line, self.installation, self.zone.key, width, kept)
        self._held = (shape, tail)
        return tail

    def _head(self, headline: str, detail: str, style: str) -> Text:
        """The badge, the connection's word, the data's age, then ``detail`` (the
        causes): the age before any cause, so that a line cut at the edge loses the
        causes, never the age."""
        assert self.text is not None  # set by tick before it builds the line
        head = Text()
        if self.badge:
            head.append(f" {self.badge} ", style="bold reverse")
            head.append(" ")
        head.append(headline, style=style)
        head.append(" · ", style="dim")
        head.append(self.text.age, style=LEVEL_STYLE[self.text.age_level])
        if detail:
            head.append(" · ", style="dim")
            head.append(detail, style=style)
        return head

    def on_resize(self) -> None:
        self.tick()  # what fits changed: a wider line gets the installation back
        self.keep_toasts_above()

    def keep_toasts_above(self) -> None:
        """Stand the screen's toasts on the bar's top line, wherever that is now. The
        style sheets lift them over the lines below the bar (the Footer, a replay's
        bar) and one line of the bar; a bar of two lines (the credentials' hint) was
        half covered, and for as long as a toast stayed the reader lost what to fix.
        A bar not shown (another installation's tab) leaves them where they are."""
        region = self.region
        if not region or not self.is_attached:
            return
        screen = self.screen
        below = screen.size.height - region.y
        for rack in screen.query_children("ToastRack"):
            if rack.styles.margin.bottom != below:
                rack.styles.margin = (0, 0, below, 0)

    def laid_out_width(self) -> int:
        """The width the line is drawn in: the bar's own once laid out, else the
        terminal's less the bar's padding. A bar not laid out yet (the first frame's
        wait, an installation's tab not shown yet) that drew for no width at all put
        the hint on its one line, and the first frame showed that line cut at the
        edge, the hint only coming on its own line after the bar's first resize. The
        bar spans the screen, so the terminal's width is the one it will have."""
        width = self.content_size.width
        if width > 0 or not self.is_attached:
            return width
        return max(0, self.app.size.width - self.styles.gutter.width)


def with_hint(
    head: Text,
    note: Text,
    hints: tuple[str, ...],
    width: int,
    *,
    wide_head: Text | None = None,
    retry: str = "",
) -> tuple[Text, Text | None]:
    """The status line's head with the credentials' hint (``hints``: longest first) and
    the note, and a second line for the hint when the one line is too narrow for it
    whole: cut at the screen's edge, the hint lost what to fix, the file's path, which
    is the one part a reader must act on. On its own line the hint takes the longest
    form that fits; a path longer than the line keeps its end (the file's name).
    ``retry`` (when the credentials are tried again) is in ``wide_head`` on one line,
    and starts the hint's own line: beside the data's age it left no room at 80
    columns for the installation."""
    line = (wide_head or head).copy()
    if not hints:
        line.append_text(note)
        return line, None
    line.append(f" — {hints[0]}")
    line.append_text(note)
    if width <= 0 or line.cell_len <= width:
        return line, None
    line = head.copy()
    line.append_text(note)
    lead = f"{retry} · " if retry else ""
    for form in hints:
        if cell_len(lead + form) <= width:
            return line, Text(lead + form, no_wrap=True)
    tail = hints[-1]
    while tail and cell_len(tail) > width - 1:  # by cells: a wide character counts two
        tail = tail[1:]
    return line, Text(f"…{tail}", no_wrap=True)


def fitted(head: Text, installation: str, zone: str, width: int) -> Text:
    """:func:`fitted_tail`'s line."""
    return tail_line(head, fitted_tail(head, installation, zone, width), zone)


def tail_line(head: Text, tail: Tail, zone: str) -> Text:
    """``head``, then the installation's form and the zone, as ``tail`` says."""
    name, with_zone = tail
    out = Text(no_wrap=True, overflow="ellipsis")
    out.append_text(head)
    parts = [part for part in (name, zone if with_zone else None) if part is not None]
    if parts:
        out.append(" · ", style="dim")
        out.append(" · ".join(parts), style="dim")
    return out


def fitted_tail(
    head: Text, installation: str, zone: str, width: int, held: Tail | None = None
) -> Tail:
    """The installation's form and the zone for a status line of ``head`` in ``width``
    cells. What gives way first is what a supervisor least needs: the installation's
    name is cut with "…", its id kept (:func:`~rtdash.ui.label_fit.shortened`: the id is
    what tells the tabs' lines apart), then the id alone is left, then nothing; then the
    zone goes; only then is the line's end cut, which is the note, then the causes: the
    connection and the age come first, and go last. ``held`` (the form the line had)
    stays while it fits: a line whose numbers only tick keeps one form.
    ``width`` 0 (not laid out yet): the whole line."""

    def fits(tail: Tail) -> bool:
        return width <= 0 or tail_line(head, tail, zone).cell_len <= width

    if held is not None and fits(held):
        return held
    if fits((installation, True)):
        return installation, True
    room = width - tail_line(head, (None, True), zone).cell_len - len(" · ")
    short = shortened(installation, room)
    if short is not None:
        return short, True
    if fits((None, True)):
        return None, True
    return None, False


def _polls_came_to(status: PollerStatus) -> tuple[object, ...]:
    """Changes when a poll ends: a success moves the age on, a failure brings a new
    error (compared by identity)."""
    return (status.last_success, *(health.error for health in status.routes.values()))
