"""Reading a rendered screen back as text rows, from the same SVG the snapshots use."""

from __future__ import annotations

import contextlib
import html
import io
import re
from collections.abc import AsyncIterator

from textual.app import App

from rtdash.ui.app import RtdashApp
from rtdash.ui.widgets.agent_grid import AgentGrid

_TEXT = re.compile(r'<text [^>]*clip-path="url\(#terminal-\w+-line-(\d+)\)">(.*?)</text>')


def screen_rows(app: App[object]) -> list[str]:
    """Each terminal row's characters (spaces where nothing is drawn)."""
    svg = app.export_screenshot()
    rows: dict[int, list[str]] = {}
    for line, text in _TEXT.findall(svg):
        rows.setdefault(int(line), []).append(html.unescape(text).replace("\xa0", " "))
    height = app.size.height
    return ["".join(rows.get(index, [])) for index in range(height)]


_RECT = re.compile(
    r'<rect fill="(#[0-9a-fA-F]{6})" x="[\d.]+" y="([\d.]+)" width="[\d.]+" height="([\d.]+)"'
)


def coloured_rows(app: App[object]) -> set[int]:
    """Rows where a background differs from the screen's (an agent tile's colour)."""
    svg = app.export_screenshot()
    rects = _RECT.findall(svg)
    if not rects:
        return set()
    heights = [float(height) for _, _, height in rects]
    line = min(heights)
    fills = [fill for fill, _, _ in rects]
    screen = max(set(fills), key=fills.count)
    rows: set[int] = set()
    for fill, y, height in rects:
        if fill != screen:
            first = round(float(y) / line)
            rows.update(range(first, first + max(1, round(float(height) / line))))
    return rows


def content_rows(app: App[object]) -> int:
    """Rows that carry anything visible: characters other than spaces, or a coloured
    background (an agent tile's padding is part of the tile)."""
    coloured = coloured_rows(app)
    return sum(1 for index, row in enumerate(screen_rows(app)) if row.strip() or index in coloured)


def filtered_svg(app: App[object], title: str | None = None) -> str:
    """The screen as the terminal gets it, after the app's line filters: with
    ``NO_COLOR`` Textual turns colours monochrome on the way to the terminal, which
    ``export_screenshot`` does not show. Uses the compositor (Textual internals): if
    Textual changes them, this fails loudly rather than drawing colours."""
    from rich.console import Console

    update = app.screen._compositor.render_update(
        full=True, screen_stack=app._background_screens, simplify=False
    )
    background = app.screen.styles.background
    for line_filter in app._filters:
        update.strips = [  # type: ignore[attr-defined]
            [strip.apply_filter(line_filter, background) for strip in line]
            for line in update.strips  # type: ignore[attr-defined]
        ]
    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
        record=True,
        legacy_windows=False,
        safe_box=False,
    )
    console.print(update)
    return console.export_svg(title=title or app.title)


@contextlib.asynccontextmanager
async def held_wallboard(
    app: RtdashApp, size: tuple[int, int]
) -> AsyncIterator[tuple[AgentGrid, list[str]]]:
    """The wallboard ``app`` at ``size`` with its first data, paused so the picture holds
    still: its agents' grid and the screen's rows."""
    from tests.ui.helpers import wait_for_data

    async with app.run_test(size=size) as pilot:
        await wait_for_data(pilot)
        await pilot.press("p")
        await pilot.pause()
        yield app.screen.view.query_one(AgentGrid), screen_rows(app)
