"""A one-line widget repaints the cells a new text draws differently, no more: the
headline's longest wait counts up every second, and the rest of its line stays."""

from __future__ import annotations

from rich.text import Text
from textual.geometry import Region
from textual.widget import Widget

from rtdash.core.thresholds import Level
from rtdash.sim import Simulator
from rtdash.ui.widgets.compact_line import CompactLine, compact_line
from rtdash.ui.widgets.line_change import changed_cells
from tests.ui.helpers import dashboard_of, make_app, wait_for_data


def _styled(*parts: tuple[str, str]) -> Text:
    line = Text()
    for text, style in parts:
        line.append(text, style=style)
    return line


def test_a_changed_digit_is_its_own_cells() -> None:
    before = _styled(("Waiting ", ""), ("12", "bold"), ("  Longest ", ""), ("1:39", "red"))
    after = _styled(("Waiting ", ""), ("12", "bold"), ("  Longest ", ""), ("1:40", "red"))
    assert changed_cells(before, after) == (len("Waiting 12  Longest 1:"), len(before.plain))


def test_the_same_drawing_changes_nothing() -> None:
    line = _styled(("Waiting ", ""), ("12", "bold"))
    assert changed_cells(line, line.copy()) is None


def test_a_new_style_on_the_same_characters_is_a_change() -> None:
    before = _styled(("Waiting ", ""), ("12", "bold"))
    after = _styled(("Waiting ", ""), ("12", "bold red"))
    assert changed_cells(before, after) == (8, 10)


def test_a_longer_or_shorter_line_is_changed_to_the_end_of_the_longer() -> None:
    short = _styled(("Waiting ", ""), ("9", "bold"), ("  Talking 3", ""))
    long = _styled(("Waiting ", ""), ("10", "bold"), ("  Talking 3", ""))
    assert changed_cells(short, long) == (8, len(long.plain))
    # a shorter line leaves blanks where the longer one ended: those cells change too
    assert changed_cells(long, short) == (8, len(long.plain))


def test_wide_characters_count_as_two_cells() -> None:
    before = _styled(("日本 ", ""), ("1", "bold"))
    after = _styled(("日本 ", ""), ("2", "bold"))
    assert changed_cells(before, after) == (5, 6)


def test_with_nothing_drawn_before_the_whole_line_changes() -> None:
    line = _styled(("Waiting ", ""), ("12", "bold"))
    assert changed_cells(None, line) == (0, 10)


async def test_the_headline_line_repaints_only_the_longest_wait_as_it_ticks(
    sim: Simulator,
) -> None:
    app = make_app(sim, flash=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_data(pilot)
        board = dashboard_of(app)
        line = board.query_one("#metrics-line", CompactLine)
        await pilot.pause()
        items = line.items
        longest = next(at for at, item in enumerate(items) if item[0] == "Longest")
        asked: list[tuple[Region, ...]] = []
        original = Widget.refresh

        def refresh(self: Widget, *regions: Region, **kwargs: object) -> Widget:
            if self is line:
                asked.append(regions)
            return original(self, *regions, **kwargs)  # type: ignore[arg-type]

        Widget.refresh = refresh  # type: ignore[method-assign]
        try:
            ticked = list(items)
            ticked[longest] = (*items[longest][:2], "9:59", Level.ALERT)
            line.show(tuple(ticked))
        finally:
            Widget.refresh = original  # type: ignore[method-assign]
        drawn = compact_line(tuple(ticked), line.size.width)
        # the one call repaints the cells of the changed value and its mark, no others
        assert len(asked) == 1 and len(asked[0]) == 1
        (region,) = asked[0]
        start = drawn.plain.index("9:59")
        assert region.x <= start and region.right >= start + len("9:59")
        assert region.y == 0 and region.height == 1
        assert region.width < line.size.width // 2
        # and what the widget draws now is the new line, whole
        await pilot.pause()
        assert line.render().plain == drawn.plain


def test_overlapping_spans_are_compared_whole() -> None:
    before = Text("Waiting 12")
    before.stylize("bold", 0, 10)
    before.stylize("red", 8, 10)
    after = Text("Waiting 12")
    after.stylize("italic", 0, 10)
    after.stylize("red", 8, 10)
    # the last span is the same: the one under it differs, on every character
    assert changed_cells(before, after) == (0, 10)


def test_a_wide_character_turned_narrow_shifts_the_rest() -> None:
    before = _styled(("日 ", ""), ("1", "bold"))
    after = _styled(("a ", ""), ("1", "bold"))
    assert changed_cells(before, after) == (0, 4)
