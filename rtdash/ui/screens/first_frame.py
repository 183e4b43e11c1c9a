"""What the dashboard and the wallboard screens share about the first frame.

The app holds its first frame until the first answers are in
(:mod:`rtdash.ui.first_frame`). Meanwhile a live screen is neither laid out (the data
may change every group's height) nor painted, and its first resume does not restyle
the tree; it is laid out once the answers are in and painted after the next refresh,
so the first paint has the data at its final size. A screen also starts with the
breakpoint classes the terminal's size calls for.
"""

from __future__ import annotations

from rtdash.ui.textual_internals import PaintHold


class FirstFrameScreen(PaintHold):
    """A live screen (dashboard, wallboard) whose first frame the app holds back."""

    def layout_held(self) -> bool:
        """While the app waits for the first answer, not even laid out: done once
        the answer is in (:meth:`release_layout`)."""
        return bool(getattr(self.app, "waiting_first_answer", False))

    def paint_held(self) -> bool:
        """While the app holds the first frame back, laid out but not painted: painted
        once, with the data (:meth:`release_paint`)."""
        return bool(getattr(self.app, "holding_first_frame", False))

    def start_at_breakpoints(self) -> None:
        """The breakpoint classes (``-wide``/``-narrow``, ``-short``/``-tall``) the
        terminal's size calls for, set before anything is mounted. Textual sets them on
        the screen's first resize, after the widgets are mounted and styled, and a
        class changed on the screen styles the whole tree again; set here, that first
        resize changes nothing."""
        app = self.app
        width, height = app.size
        for dimension, own, default in (
            (width, self.HORIZONTAL_BREAKPOINTS, app.HORIZONTAL_BREAKPOINTS),
            (height, self.VERTICAL_BREAKPOINTS, app.VERTICAL_BREAKPOINTS),
        ):
            for breakpoint, name in sorted(
                (own if own is not None else default) or [], reverse=True
            ):
                if dimension >= breakpoint:
                    self.add_class(name, update=False)  # styled as it mounts
                    break
