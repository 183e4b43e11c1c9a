"""Toasts about one installation, shown only while that installation is shown."""

from __future__ import annotations

from dataclasses import replace
from time import time
from typing import Any

from textual.app import App
from textual.notifications import Notification, Notify, SeverityLevel

from rtdash.ui.textual_internals import withdraw_notification


class InstallationNotices:
    """The toasts a screen of several installations puts up about one of them (an
    export's files, a filter that left nothing to open, a service level that cannot
    be confirmed), by installation.

    On another installation's tab such a toast says nothing about what is shown and
    only covers its tables (at 80×24, most of the calls) until its timeout, so
    switching takes it down. One that comes while another installation is shown (an
    export that ends after the switch, a notice from a hidden installation's service
    level) is held and put up when its installation is shown again, for its whole
    timeout: it answers something done there or says what changed there, and a
    supervisor who went to another tab meanwhile would otherwise never learn where
    the files went, or that they failed. A toast about no installation in particular
    (a recording that stopped) goes through the app's own ``notify`` and stays."""

    def __init__(self) -> None:
        #: the installation shown now
        self.shown = 0
        self._up: dict[int, list[Notification]] = {}
        self._held: dict[int, list[Notification]] = {}

    def notify(
        self,
        app: App[Any],
        installation: int,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
    ) -> Notification:
        """As ``App.notify``, never as markup (the words may be upstream text); held
        while another installation is shown. The toast, for its sender to take down
        once it no longer holds."""
        notification = Notification(
            message,
            title,
            severity,
            app.NOTIFICATION_TIMEOUT if timeout is None else timeout,
            markup=False,
        )
        if installation != self.shown:
            self._held.setdefault(installation, []).append(notification)
            return notification
        self._put_up(app, installation, notification)
        return notification

    def show(self, app: App[Any], installation: int) -> None:
        """``installation`` is shown now: the toasts about the one shown before are
        taken down (gone, not held: they were seen), those held for this one go up."""
        if installation == self.shown:
            return
        self._take_down(app, self.shown)
        self.shown = installation
        for held in self._held.pop(installation, ()):
            # its timeout runs from now: held, it was never on screen
            self._put_up(app, installation, replace(held, raised_at=time()))

    def _put_up(self, app: App[Any], installation: int, notification: Notification) -> None:
        app.post_message(Notify(notification))
        # the ones gone by themselves are forgotten here, so a day of notes holds none
        up = [shown for shown in self._up.get(installation, ()) if not shown.has_expired]
        self._up[installation] = [*up, notification]

    def _take_down(self, app: App[Any], installation: int) -> None:
        """Every toast still up about ``installation``."""
        for notification in self._up.pop(installation, ()):
            withdraw_notification(app, notification)
