"""The dashboard's export key: the installation shown, its rows as shown, to files."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual import work

from rtdash.api.sanitise import clean
from rtdash.ui.screens.views import ViewsScreen
from rtdash.ui.widgets.dashboard import Dashboard

if TYPE_CHECKING:
    from datetime import datetime

    from rtdash.api.models import ActiveCall, PbxUser
    from rtdash.core.service_report import ServiceReport


class ExportingScreen(ViewsScreen):
    """A screen of dashboards that writes the one shown to files (``e``)."""

    #: where the files go
    export_dir: Path = Path(".")
    #: the files the last export wrote
    exported: list[Path]

    def action_export(self) -> None:
        """The rows as shown (filter, sort, all users or not), stamped with the view's now."""
        board = self.view
        assert isinstance(board, Dashboard)
        stem = (
            "rtdash"
            if len(self.views) == 1 or board.client is None
            else (f"rtdash-{board.client.igrp}")
        )
        service = board.service_report()  # taken here: not on the thread
        now = board.clock.now()  # one time for every duration the files hold
        calls, users = board.grid.export_calls(now), list(board.user_panel.shown_users())
        self._export(board, calls, users, stem, now, service)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def _export(
        self,
        board: Dashboard,
        calls: list[ActiveCall],
        users: list[PbxUser],
        stem: str,
        now: datetime,
        service: ServiceReport | None = None,
    ) -> None:
        """``board``, the installation the key was pressed on, is passed rather than
        read here: another may be shown by the time the thread runs, and the files'
        time zone and agents on a call must be this one's."""
        # off the start-up path
        from rtdash.core.export import ExportError, export_views
        from rtdash.core.paths import export_message

        try:
            paths = export_views(
                calls,
                users,
                self.export_dir,
                now=now,
                zone=board.zone,
                stem=stem,
                on_call=board.user_panel.on_call,  # from every call, not only those shown
                calls_known=board.user_panel.on_call is not None,
                service=service,
                pii_excluded=board.exclude_pii,  # an empty number: "(redacted)", as shown
            )
        except ExportError as exc:
            self.app.call_from_thread(
                self.notify_installation, clean(str(exc)), severity="error", timeout=15, view=board
            )
            return
        self.exported = paths
        # about this installation: taken down when another is shown (where it would
        # only cover the other's calls), and held for its return if another is shown
        # by now
        self.app.call_from_thread(
            self.notify_installation,
            export_message(paths),
            title="Exported",
            timeout=10,
            view=board,
        )
