"""A terminal narrower than the call tables' columns (a split pane, a small laptop
window over SSH): the columns of names give up room and end their texts in ``…``, so
nothing is cut off by the screen's edge without a sign and every column stays on
screen."""

from __future__ import annotations

from rtdash.sim import Simulator

from .helpers import dashboard_of, make_app, screen_text, wait_for_data

#: the calls' columns of names, by their place in a row
NAMED_COLUMNS = {"line": 3, "queue": 4, "agent": 5}


def shown_whole_or_marked(value: str, line: str) -> bool:
    """``value`` is on ``line`` in full, or its start is, followed by ``…``."""
    if not value or value in line:
        return True
    return any(f"{value[:cut]}…" in line for cut in range(1, len(value)))


async def test_narrow_call_tables_cut_names_with_a_sign(sim: Simulator) -> None:
    app = make_app(sim)
    async with app.run_test(size=(60, 30)) as pilot:
        await wait_for_data(pilot)
        await pilot.pause()
        lines = screen_text(app).splitlines()
        grid = dashboard_of(app).grid
        checked: list[list[str]] = []
        for table in grid.tables:
            region = table.region
            shown = [line[region.x : region.right] for line in lines]
            for call in table.keys:
                cells = table.get_row(call)
                caller = cells[2]
                on_screen = [line for line in shown if f" {caller} " in line]
                if caller == "(withheld)" or len(on_screen) != 1:
                    continue  # scrolled out of view, or not told apart by its caller
                for name, place in NAMED_COLUMNS.items():
                    assert shown_whole_or_marked(cells[place], on_screen[0]), (
                        f"{name} {cells[place]!r} cut without a sign: {on_screen[0]!r}"
                    )
                checked.append(cells)
        answered = [cells for cells in checked if cells[NAMED_COLUMNS["agent"]]]
        assert len(checked) >= 5 and answered, "\n".join(lines)
        header = next(line for line in lines if "Caller" in line)
        assert all(word in header for word in ("Line", "Queue", "Agent")), header


async def test_too_narrow_for_the_call_tables_says_how_wide_to_be(sim: Simulator) -> None:
    """Below the width of every name cut to its header word the screen's edge cut the
    agent, then the queue, off with no sign: a line says how wide the terminal must be
    in the tables' place, and the users panel takes the rest."""
    app = make_app(sim)
    async with app.run_test(size=(50, 20)) as pilot:
        await wait_for_data(pilot)
        await pilot.pause()
        narrow = screen_text(app)
        await pilot.resize_terminal(58, 30)
        await pilot.pause()
        wide_enough = screen_text(app)
    assert "Widen to 58 columns to see the calls." in narrow, narrow
    assert "Caller" not in narrow and "Ringing" not in narrow, narrow
    assert any("Ffion Jones" in line for line in narrow.splitlines()), "the users panel"
    assert "Widen to" not in wide_enough, wide_enough
    header = next(line for line in wide_enough.splitlines() if "Caller" in line)
    assert header.rstrip().endswith("Line  Queue  Agent"), header
