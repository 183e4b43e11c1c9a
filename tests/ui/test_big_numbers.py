"""The scalable digits and the honest trend, drawn without an app."""

from __future__ import annotations

from rtdash.ui.widgets.big_number import ROWS, Scale, big_text, fit, render_big, text_pixels
from rtdash.ui.widgets.trend import EMPTY, bar_rows, columns_of


def test_digits_fill_the_room_they_have() -> None:
    assert fit("88", 30, 3) == Scale(1, 1), "three rows: as small as the old digits"
    assert fit("88", 30, 3).rows == 3
    tall = fit("8:88", 56, 18)
    assert tall.rows >= 7 and tall.rows <= 18
    assert text_pixels("8:88") * tall.w <= 56
    lines = render_big("1:39", tall)
    assert len(lines) == tall.rows and max(len(line) for line in lines) <= 56


def test_a_pixel_is_never_wider_than_square_nor_more_than_twice_as_tall() -> None:
    for width, height in ((200, 10), (12, 60), (60, 60)):
        scale = fit("88", width, height)
        assert scale.w <= scale.h <= 2 * scale.w


def test_glyphs_are_drawn_in_blocks_and_half_blocks_only() -> None:
    lines = render_big("0123456789:.%–", Scale(2, 3))
    assert set("".join(lines)) <= {" ", "█", "▀", "▄"}
    assert len(lines) == (ROWS * 3 + 1) // 2


def test_a_percent_sign_reads_as_one_across_a_room() -> None:
    """Two round dots either side of a slash: the three-wide sign read as "Z" or "2"
    on a TV, so "14%" looked like 142."""
    # one cell per font pixel: the glyph's own shape
    sign = [line[8:] for line in render_big("14%", Scale(1, 2))]
    assert sign == ["██  █", "██ █ ", "  █  ", " █ ██", "█  ██"]
    assert sign != [line[8:] for line in render_big("142", Scale(1, 2))]
    # no wider than the longest wait's "8:88": an SL tile never shrinks its row's digits
    assert text_pixels("88%") <= text_pixels("8:88")


def test_a_number_too_big_for_its_box_is_shown_whole_as_plain_text() -> None:
    text = big_text("12:34:56", 6, 3, Scale(1, 1))
    assert text.plain.strip() == "12:34:56", "never a number cut short"


def test_the_trend_keeps_unobserved_columns_empty_and_starts_at_zero() -> None:
    values: list[int | None] = [None] * 116 + [1, 2, None, 0]
    columns = columns_of(values, 60, max)
    assert columns[:58] == [None] * 58, "the unobserved part of the hour stays empty"
    assert columns[58:] == [2, 0]
    assert columns_of([], 5, max) == [None] * 5, "before any data: all empty"
    rows = bar_rows([None, 1, 2, 0], top=2, height=2)
    assert rows[-1][0] == EMPTY
    assert rows[0][2] == "█" and rows[1][2] == "█", "the maximum fills the height"
    assert rows[0][1] == " " and rows[1][1] == "█", "half the maximum: half the height"
    assert rows[1][3] == "▁" and rows[0][3] == " ", "an observed zero is a baseline"
