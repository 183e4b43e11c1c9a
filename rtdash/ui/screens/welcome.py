"""Shown when there is nothing to connect to yet: how to connect, or try the demo."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Markdown

from rtdash.ui.shell import MODAL_STYLES


class WelcomeScreen(Screen[None]):
    CSS_PATH = MODAL_STYLES  # read when the first dialog opens
    BINDINGS = [
        Binding("d", "app.start_demo", "Start the demo", id="welcome_demo"),
        Binding("q", "app.quit", "Quit", id="welcome_quit"),
    ]

    def __init__(self, config_path: str, problem: str | None = None) -> None:
        super().__init__()
        self.config_path = config_path
        self.problem = problem

    def compose(self) -> ComposeResult:
        problem = f"**{self.problem}**\n\n" if self.problem else ""
        text = f"""\
# Welcome to rtdash

{problem}rtdash shows your contact centre live: calls ringing, queueing and talking,
who is available, and where each caller came from.

## Connect to your installation

1. Put your credentials in the environment (never on the command line):
   - `RTDASH_USERNAME` and `RTDASH_PASSWORD` (Infinity portal login, Reports API v2), or
   - `RTDASH_API_KEY` (API key, with `base_url` ending in `/reports/v2.1`).
2. Set your installation id: `igrp = 1234` under `[connection]` in
   `{self.config_path}` (or pass `--igrp 1234`).
   `rtdash config example` prints a commented config file.

## Or try it now

Press **d** to start the demo on the built-in simulator: no account needed.
"""
        # scrolls by keyboard and wheel: at 80x24 "Or try it now" is below the fold
        with VerticalScroll(id="welcome"):
            yield Markdown(text)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#welcome").focus()
