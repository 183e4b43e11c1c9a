"""Toasts about one installation, taken down when another installation is shown."""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.notifications import Notification, Notify, SeverityLevel

from rtdash.ui.textual_internals import withdraw_notification


class InstallationNotices:
    """The toasts a screen of several installations put up about one of them (an
    export's files, a filter that left nothing to open), by installation.

    On another installation's tab such a toast says nothing about what is shown and
    only covers its tables (at 80×24, most of the calls) until its timeout, so
    switching takes it down. A toast about no installation in particular (a
    recording that stopped) goes through the app's own ``notify`` and stays."""

    def __init__(self) -> None:
        self._up: dict[int, list[Notification]] = {}

    def notify(
        self,
        app: App[Any],
        installation: int,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
    ) -> None:
        """As ``App.notify``, never as markup (the words may be upstream text)."""
        notification = Notification(
            message,
            title,
            severity,
            app.NOTIFICATION_TIMEOUT if timeout is None else timeout,
            markup=False,
        )
        app.post_message(Notify(notification))
        # the ones gone by themselves are forgotten here, so a day of notes holds none
        up = [shown for shown in self._up.get(installation, ()) if not shown.has_expired]
        self._up[installation] = [*up, notification]

    def take_down(self, app: App[Any], installation: int) -> None:
        """Every toast still up about ``installation``."""
        for notification in self._up.pop(installation, ()):
            withdraw_notification(app, notification)
