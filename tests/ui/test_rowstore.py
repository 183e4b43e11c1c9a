"""The keyed table's rules without Textual: the cursor follows its row across polls
(or lands on a neighbour when the row goes), only the screen lines whose source changed
are drawn again, neighbouring lines are refreshed as one region, and a wide table's
room goes to the columns that may grow, in turn."""

from __future__ import annotations

import subprocess
import sys

from rtdash.ui.rowstore import NEAR, DrawnLines, RowOrder, RowStore, runs, share_room


def store(keys: str) -> RowStore[str]:
    rows: RowStore[str] = RowStore(lambda item: item)
    rows.reconcile(list(keys))
    return rows


def test_rows_are_held_in_order_by_key() -> None:
    rows = store("abc")
    assert (rows.order, rows.index, len(rows)) == (["a", "b", "c"], {"a": 0, "b": 1, "c": 2}, 3)
    assert rows.items["b"] == "b"


def test_the_cursor_stays_on_its_row_when_rows_come_and_go_before_it() -> None:
    rows = store("abcd")
    assert rows.move_cursor(2) and rows.selected_key == "c"
    assert rows.reconcile(list("xyabcd"))  # two new rows above: the cursor moves with "c"
    assert (rows.cursor, rows.selected_key) == (4, "c")
    assert not rows.reconcile(list("xyzbcd"))  # "a" went, "c" is still at 4
    assert rows.selected_key == "c"


def test_when_the_cursors_row_goes_it_lands_on_a_neighbour() -> None:
    rows = store("abcd")
    rows.move_cursor(3)
    assert rows.reconcile(list("ab"))  # "d" went and the list is shorter: the last row
    assert rows.selected_key == "b"
    rows.move_cursor(0)
    assert not rows.reconcile(list("xb"))  # "a" went: the row now in its place
    assert rows.selected_key == "x"
    assert not rows.reconcile([])
    assert (rows.cursor, rows.selected_key) == (0, None)


def test_the_cursor_is_clamped_to_the_rows() -> None:
    rows = store("abc")
    assert rows.move_cursor(99) and rows.cursor == 2
    assert rows.move_cursor(-5) and rows.cursor == 0
    assert not rows.move_cursor(0)
    empty = store("")
    assert not empty.move_cursor(3) and empty.cursor == 0


def test_visible_rows_are_the_ones_on_screen_below_the_header() -> None:
    rows = store("abcdefgh")
    assert rows.visible(top=2, height=3, header=1) == [(1, 2), (2, 3), (3, 4)]
    assert rows.visible(top=6, height=5, header=0) == [(0, 6), (1, 7)]
    assert rows.visible(top=0, height=-1, header=1) == []


def test_only_lines_whose_source_changed_are_drawn_again() -> None:
    drawn: DrawnLines[str] = DrawnLines()
    assert drawn.update([(1, "a"), (2, "b"), (3, "c")], rows_end=4) == [1, 2, 3]
    assert drawn.update([(1, "a"), (2, "B"), (3, "c")], rows_end=4) == [2]
    # a row fewer: line 3 held one and must be cleared
    assert drawn.update([(1, "a"), (2, "B")], rows_end=3) == [3]
    assert drawn.get(3) is None and drawn.get(2) == "B"
    drawn.clear()
    assert drawn.update([(1, "a")], rows_end=2) == [1]


def test_neighbouring_lines_are_one_region() -> None:
    assert runs([1, 2, 3, 5, 7, 8]) == [(1, 3), (5, 5), (7, 8)]
    assert runs([]) == []


def test_room_is_shared_in_turn_up_to_each_columns_grow() -> None:
    assert share_room([6, 5, 8], [10, 0, 2], spare=5) == [9, 5, 10]
    assert share_room([6, 5, 8], [10, 0, 2], spare=40) == [16, 5, 10]  # never past grow
    assert share_room([6, 5], [10, 0], spare=-3) == [6, 5]  # no room: widths as asked
    assert share_room([6, 5], [0, 0], spare=9) == [6, 5]


def test_a_column_may_take_some_room_before_the_turns() -> None:
    # the calls table's line, queue and agent: the agent's column takes its first 3
    line_queue_agent, grows, firsts = [12, 8, 12], [12, 6, 14], [0, 0, 3]
    assert share_room(line_queue_agent, grows, 2, firsts) == [12, 8, 14]
    assert share_room(line_queue_agent, grows, 4, firsts) == [13, 8, 15]
    assert share_room(line_queue_agent, grows, 7, firsts) == [14, 10, 15]
    # with room for every column's first 3, the widths are the turns' alone
    for spare in range(9, 34):
        assert share_room(line_queue_agent, grows, spare, firsts) == share_room(
            line_queue_agent, grows, spare
        )


def test_the_row_store_imports_without_textual() -> None:
    script = (
        "import sys, rtdash.ui.rowstore\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[]"


def test_the_very_same_rows_again_are_not_looked_at() -> None:
    """A snapshot hands on a group nothing moved in as the same tuple: no key is
    worked out again, and the cursor stays."""
    seen: list[str] = []

    def key(item: str) -> str:
        seen.append(item)
        return item

    rows = RowStore(key)
    group = ("a", "b", "c")
    rows.reconcile(group)
    rows.move_cursor(1)
    seen.clear()
    assert rows.reconcile(group) is False
    assert seen == []
    assert rows.selected_key == "b"
    assert rows.reconcile(("c", "b")) is False  # the cursor follows its row to index 1
    assert (rows.cursor, rows.index) == (1, {"c": 0, "b": 1})


def test_a_poll_of_many_rows_keys_only_the_cursors_row_when_it_stayed() -> None:
    """Tens of thousands of rows a poll: where the cursor's row still is, one key is
    worked out (the row there), not one per row."""
    seen: list[str] = []

    def key(item: str) -> str:
        seen.append(item)
        return item

    rows = RowStore(key)
    rows.reconcile([f"r{n}" for n in range(10_000)])
    rows.move_cursor(5)
    seen.clear()
    new = [f"r{n}" for n in range(10_000)] + ["new"]
    assert rows.reconcile(new) is False
    assert (rows.cursor, rows.selected_key) == (5, "r5")
    assert len(seen) <= 3, seen  # the old cursor's key, the row at its place, the check


def test_the_cursors_row_is_found_where_it_moved_and_missed_only_when_gone() -> None:
    rows = store("")
    rows.reconcile([f"r{n}" for n in range(5_000)])
    rows.move_cursor(4_000)
    # 3,000 rows before it went: far beyond the first look near where it was
    assert rows.reconcile([f"r{n}" for n in range(3_000, 5_000)])
    assert (rows.cursor, rows.selected_key) == (1_000, "r4000")
    # gone: the cursor stays at its place, on the row now there
    assert not rows.reconcile([f"s{n}" for n in range(2_000)])
    assert rows.selected_key == "s1000"


def test_with_the_order_known_a_gone_row_is_missed_without_a_look_at_every_row() -> None:
    """The queue's head is answered on nearly every poll of a busy centre: where the
    rows' order is known, the cursor's row is looked for where its sort key puts it
    (by halves) and near where it was, not in all the rows."""
    looked: list[int] = []

    def key(item: int) -> str:
        looked.append(item)
        return f"r{item}"

    order: RowOrder[int] = RowOrder(lambda item: item)
    rows = RowStore(key)
    rows.reconcile(list(range(20_000)), order)
    looked.clear()
    assert not rows.reconcile(list(range(1, 20_000)), order)  # row 0 (the cursor's) went
    assert (rows.cursor, rows.selected_key) == (0, "r1")
    assert len(looked) < 2 * NEAR + 50, len(looked)


def test_with_the_order_known_the_cursor_follows_its_row_anywhere() -> None:
    rows: RowStore[int] = RowStore(str)
    ascending: RowOrder[int] = RowOrder(lambda item: item)
    descending: RowOrder[int] = RowOrder(lambda item: item, reverse=True)
    rows.reconcile(list(range(10_000)), ascending)
    rows.move_cursor(9_000)
    # a new sort: the row is 9,000 rows from where it was
    assert rows.reconcile(list(range(9_999, -1, -1)), descending)
    assert (rows.cursor, rows.selected_key) == (999, "9000")
    # rows of equal sort keys: the one with the cursor's key among them
    tied: RowOrder[int] = RowOrder(lambda item: item // 100)
    rows.reconcile(list(range(10_000)), tied)
    rows.move_cursor(5_050)
    assert rows.reconcile([n for n in range(10_000) if n % 100 != 7], tied)
    assert rows.selected_key == "5050"
