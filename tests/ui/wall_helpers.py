"""Reading a rendered screen back as text rows, from the same SVG the snapshots use."""

from __future__ import annotations

import html
import re

from textual.app import App

_TEXT = re.compile(r'<text [^>]*clip-path="url\(#terminal-\w+-line-(\d+)\)">(.*?)</text>')


def screen_rows(app: App[object]) -> list[str]:
    """Each terminal row's characters (spaces where nothing is drawn)."""
    svg = app.export_screenshot()
    rows: dict[int, list[str]] = {}
    for line, text in _TEXT.findall(svg):
        rows.setdefault(int(line), []).append(html.unescape(text).replace("\xa0", " "))
    height = app.size.height
    return ["".join(rows.get(index, [])) for index in range(height)]


def content_rows(app: App[object]) -> int:
    """Rows that carry anything visible besides spaces."""
    return sum(1 for row in screen_rows(app) if row.strip())
