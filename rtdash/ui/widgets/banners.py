"""The bands across the top of a view that say its numbers are not live: the status
line says so too, but it is one small line at the bottom, and a wall screen is read
from across a room.

Stale data gets the alarm's band (the link failed); a paused wallboard a calm one (a
key was pressed: nothing is wrong, but nothing moves either). Their height is the
style sheets': one line over SSH at 80 columns and on a screen too short to spare
more (:mod:`.short_screen`), taller on a TV (``wallboard.tcss``).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from rich.text import Text
from textual.widgets import Static

from rtdash.core.status import disconnected, paused_banner

#: a band's lines where the screen has them to spare: its words with a line above and
#: below, so it reads as a band and not as one more line of the view
TALL_BAND_LINES = 3


class ViewBanner(Static):
    """A band over the view, hidden until it has something to say."""

    DEFAULT_CSS = f"""
    ViewBanner {{
        display: none;
        height: {TALL_BAND_LINES};
        width: 100%;
        content-align: center middle;
        text-style: bold;
        color: #ffffff;
    }}
    ViewBanner.-shown {{
        display: block;
    }}
    """

    def __init__(self, **kwargs: object) -> None:
        # kwargs are the widget's name/id/classes
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.text: str | None = None

    def say(self, text: str | None) -> None:
        """Show ``text`` (None hides the band); the same words are not drawn again, so
        the once-a-second call costs nothing until the age's words change."""
        if text == self.text:
            return
        self.text = text
        self.set_class(text is not None, "-shown")
        if text is not None:
            self.update(Text(text, no_wrap=True, overflow="ellipsis"))


class DisconnectedBanner(ViewBanner):
    """``DISCONNECTED — data from 10:14:03 (2 min ago)`` while the view's data is stale."""

    DEFAULT_CSS = """
    DisconnectedBanner {
        background: $error;
    }
    """

    def show_age(self, data_time: datetime | None, now: datetime, zone: ZoneInfo) -> None:
        """Shown with the data's time and age; ``data_time`` None hides it."""
        self.say(None if data_time is None else disconnected(data_time, now, zone))


class PausedBanner(ViewBanner):
    """``PAUSED — data from 21:29:41 (3 min ago) · p resumes`` while a wallboard is
    paused: one stray key on the TV's keyboard froze the board, which from across the
    room still looked live. Calm colours: amber and red are for thresholds and the
    link, and a pause is neither."""

    DEFAULT_CSS = """
    PausedBanner {
        background: $primary;
    }
    """

    def show_held(
        self, data_time: datetime | None, now: datetime, zone: ZoneInfo, resume_key: str
    ) -> None:
        self.say(paused_banner(data_time, now, zone, resume_key))
