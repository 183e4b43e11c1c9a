"""The command palette and help find things: commands titled with the word a user
types, keys as they are typed, Textual's built-ins that do not apply left out; help
closes on q, Esc and ?, explains every mark and names the ``[keymap]`` ids; the Footer
and palette follow pause; ``+`` and ``-`` answer at their limits."""

from __future__ import annotations

from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot

from rtdash.constants import INTERVAL_STEPS
from rtdash.core.agents import SYMBOLS
from rtdash.sim import Simulator
from rtdash.ui.screens.help import HelpScreen
from tests.ui.helpers import (
    dashboard_of,
    make_app,
    open_help,
    rendered_text,
    screen_text,
    settings_for,
    wait_for_data,
    wait_for_footer_keys,
    wait_until,
)

#: Textual's built-ins that do nothing for a supervisor (Keys squeezes the tables)
BUILT_INS = {"Keys", "Maximize", "Minimize", "Screenshot"}


async def palette_hits(pilot: Pilot, query: str) -> list[tuple[str, str]]:
    """Open the palette, type ``query``: (title, help) of each hit, best first."""
    await pilot.press("ctrl+p")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, CommandPalette))
    if query:
        await pilot.press(*query)
    palette = pilot.app.screen
    results = palette.query_one(CommandList)
    await wait_until(
        pilot,
        lambda: results.option_count > 0 and palette._busy_timer is None,  # type: ignore[attr-defined]
    )
    await pilot.pause(0.3)  # every provider answered
    hits = [results.get_option_at_index(i) for i in range(results.option_count)]
    return [(str(option.hit.text), str(option.hit.help)) for option in hits]  # type: ignore[attr-defined]


async def all_titles(pilot: Pilot) -> set[str]:
    """Every entry the palette offers the current screen (its empty search)."""
    return {command.title for command in pilot.app.get_system_commands(pilot.app.screen)}


async def test_export_is_found_by_typing_export(sim: Simulator) -> None:
    app = make_app(sim)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_data(pilot)
        hits = await palette_hits(pilot, "export")
        title, help_text = hits[0]
        assert title == "Export"
        assert help_text == "Write the calls and users shown to CSV and JSON files · key e"


async def test_the_palette_speaks_the_users_words_and_keys(sim: Simulator) -> None:
    app = make_app(sim)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_data(pilot)
        titles = await all_titles(pilot)
        for word in ("Export", "Pause", "Reset sort", "Look up a number…", "Help", "Quit"):
            assert word in titles
        assert {"Sort calls by Caller", "Sort calls by Total", "Sort users by Name"} <= titles
        assert not titles & BUILT_INS
        assert "Theme" in titles, "kept: the theme picker restyles rtdash's colours too"
        helps = [c.help for c in app.get_system_commands(app.screen)]
        assert any(h.endswith("· key ?") for h in helps) and any(
            h.endswith("· key -") for h in helps
        )
        assert not any("question_mark" in h or "minus" in h or "slash" in h for h in helps)


async def test_sort_by_a_column_from_the_palette(sim: Simulator) -> None:
    app = make_app(sim)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_data(pilot)
        await palette_hits(pilot, "sort calls by caller")
        await pilot.press("enter")
        board = dashboard_of(app)
        await wait_until(pilot, lambda: board.grid.sort.column == "caller")
        assert board.status_bar.note == "calls sorted by caller ↑"
        await palette_hits(pilot, "sort calls by caller")
        await pilot.press("enter")
        await wait_until(pilot, lambda: board.status_bar.note == "calls sorted by caller ↓")


async def test_switch_to_each_other_installation(sim: Simulator) -> None:
    settings = settings_for(sim)
    settings.connection.more_igrps = [i.igrp for i in sim.installations if i.igrp != sim.igrp]
    app = make_app(sim, settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_data(pilot)
        screen = app.screen
        others = [view.label for view in screen.views[1:]]  # type: ignore[attr-defined]
        switches = sorted(t for t in await all_titles(pilot) if t.startswith("Switch to "))
        assert switches == sorted(f"Switch to {label}" for label in others)
        await palette_hits(pilot, f"switch to {others[0]}")
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen.current == 1)  # type: ignore[attr-defined]


async def test_help_closes_on_q_escape_and_question_mark(sim: Simulator) -> None:
    app = make_app(sim)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_data(pilot)
        for key in ("q", "escape", "question_mark"):
            await pilot.press("question_mark")
            assert isinstance(app.screen, HelpScreen)
            await pilot.press(key)
            await wait_until(pilot, lambda: not isinstance(app.screen, HelpScreen))
        assert app.is_running, "q in help closes help, not rtdash"


async def test_help_explains_every_mark_and_names_the_keymap_ids(sim: Simulator) -> None:
    app = make_app(sim)
    async with app.run_test(size=(160, 48)) as pilot:
        screen, marks = await open_help(pilot)
        marks_drawn = (
            "▲",
            "‼",
            *SYMBOLS.values(),
            "↑ ↓",
            "▸",
            "STALE",
            "DISCONNECTED",
            "·",
            "paused",
        )
        for mark in marks_drawn:
            assert f"\n{mark} " in f"\n{marks}", mark
        table = rendered_text(screen.query_one("#help-table"), width=150)
        assert "[keymap] id" in table
        for command_id in ("lookup", "filter", "sort_reset", "export", "pause", "quit"):
            assert command_id in screen.ids.values()
        assert screen.ids["Look up a caller by phone number or call reference"] == "lookup"
        text = screen_text(app)
        assert "question_mark" not in text and "slash" not in text


async def test_paused_the_footer_and_palette_say_resume(sim: Simulator) -> None:
    app = make_app(sim)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_data(pilot)
        await wait_for_footer_keys(pilot)
        await pilot.press("p")
        board = dashboard_of(app)
        assert board.poller.paused
        # the footer recomposes its keys on a later refresh: on a loaded machine one
        # pause is not always enough, so wait for it (a footer that never changes fails)
        await wait_until(pilot, lambda: " Resume " in screen_text(app).splitlines()[-1])
        footer = screen_text(app).splitlines()[-1]
        assert " Resume " in footer and " Pause " not in footer
        titles = await all_titles(pilot)
        assert "Resume" in titles and "Pause" not in titles
        assert board.status_bar.text is not None
        assert board.status_bar.text.age.endswith("(not updating)")
        await pilot.press("p")
        assert not board.poller.paused
        await wait_until(pilot, lambda: " Pause " in screen_text(app).splitlines()[-1])


async def test_plus_and_minus_say_when_they_reach_their_limit(sim: Simulator) -> None:
    settings = settings_for(sim)
    settings.polling.interval = 2.0
    app = make_app(sim, settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_data(pilot)
        board = dashboard_of(app)
        await pilot.press("plus")
        assert board.poller.interval == INTERVAL_STEPS[0]
        assert board.status_bar.note == "polling every 1 s"
        await pilot.press("plus")
        assert board.poller.interval == INTERVAL_STEPS[0]
        assert board.status_bar.note == "fastest: every 1 s"
        for _ in INTERVAL_STEPS:
            await pilot.press("minus")
        assert board.poller.interval == INTERVAL_STEPS[-1]
        # the headline says the pace ("live (every 60 s)"): the note does not again
        assert board.status_bar.note == "slowest"
        assert board.status_bar.headline_for(board.feed.status) == "live (every 60 s)"


async def test_minus_never_speeds_up_an_interval_set_beyond_the_steps(sim: Simulator) -> None:
    settings = settings_for(sim)
    settings.polling.interval = 120.0
    app = make_app(sim, settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_data(pilot)
        board = dashboard_of(app)
        await pilot.press("minus")
        assert board.poller.interval == 120.0
        assert board.status_bar.note == "slowest"
        assert board.status_bar.headline_for(board.feed.status) == "live (every 120 s)"
        await pilot.press("plus")
        assert board.poller.interval == 60.0


async def test_a_remapped_pause_key_pauses_and_resumes(sim: Simulator) -> None:
    """``pause`` in ``[keymap]`` moves both halves of the toggle, and the Footer and
    palette show the new key as typed."""
    settings = settings_for(sim)
    settings.keymap = {"pause": "x", "help": "f1"}
    app = make_app(sim, settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_data(pilot)
        await wait_for_footer_keys(pilot)
        board = dashboard_of(app)
        await pilot.press("p")
        assert not board.poller.paused, "p is no longer pause"
        await pilot.press("x")
        assert board.poller.paused
        # the footer recomposes its keys for the pause: wait for those
        await wait_until(pilot, lambda: " x Resume " in f" {screen_text(app).splitlines()[-1]} ")
        resume = next(c for c in app.get_system_commands(app.screen) if c.title == "Resume")
        assert resume.help.endswith("· key x")
        await pilot.press("x")
        assert not board.poller.paused


async def test_the_wallboard_answers_at_its_limits_too(sim: Simulator) -> None:
    settings = settings_for(sim)
    settings.display.wallboard = True
    settings.polling.interval = 1.0
    app = make_app(sim, settings)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        view = app.screen.view  # type: ignore[attr-defined]
        await pilot.press("plus")
        assert view.poller.interval == 1.0
        assert view.status_bar.note == "fastest: every 1 s"
        await pilot.press("minus")
        assert view.poller.interval == 2.0


def test_the_legend_says_what_each_mark_of_a_tab_and_a_tile_means() -> None:
    """▲ and ‼ mark SL %, abandons and the tabs too, and a tab's ● is not an agent."""
    from rtdash.ui.screens.help import MARKERS
    from rtdash.ui.widgets.installation_bar import TAB_MARKS
    from rtdash.ui.widgets.palette import LEVEL_MARK

    meanings: dict[str, list[str]] = {}
    for mark, meaning in MARKERS:
        meanings.setdefault(mark.split()[0], []).append(f"{mark} {meaning}")
    for mark in TAB_MARKS.values():
        assert any("tab" in meaning for meaning in meanings[mark]), mark
    for mark in filter(None, (mark.strip() for mark in LEVEL_MARK.values())):
        assert any("SL %" in meaning for meaning in meanings[mark]), mark


async def test_each_installation_keeps_its_own_pace_and_says_so(sim: Simulator) -> None:
    """`-` slows the installation shown, not the others: the note says so, and its
    status line keeps saying how far apart its polls are when switched back to."""
    settings = settings_for(sim)
    settings.polling.interval = 2.0
    settings.connection.more_igrps = [i.igrp for i in sim.installations if i.igrp != sim.igrp]
    app = make_app(sim, settings)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        screen = app.screen
        first, second = screen.views[:2]  # type: ignore[attr-defined]
        for _ in INTERVAL_STEPS:
            await pilot.press("minus")
        assert first.poller.interval == 60.0 and second.poller.interval == 2.0
        assert first.status_bar.note == "slowest (this tab)"
        await pilot.press("2")
        await wait_until(pilot, lambda: screen.current == 1)  # type: ignore[attr-defined]
        await wait_until(pilot, lambda: second.status_bar.text is not None)
        assert second.status_bar.text.connection == "live"
        await pilot.press("1")
        await wait_until(pilot, lambda: screen.current == 0)  # type: ignore[attr-defined]
        first.tick()
        await pilot.pause()
        assert first.status_bar.text.connection == "live (every 60 s)"
        # back in step with the other: the pace is every installation's again (it kept
        # saying it was this tab's alone)
        for _ in INTERVAL_STEPS:
            if first.poller.interval == second.poller.interval:
                break
            await pilot.press("plus")
        assert first.poller.interval == 2.0
        assert first.status_bar.note == "every 2 s (all tabs)"


async def test_the_footer_offers_enter_on_the_tables_at_80_columns(sim: Simulator) -> None:
    """Enter, the agent's main key (the selected call's caller), was in no footer: the
    table's own binding hid the screen's. It is there now, and Quit stays whole."""
    app = make_app(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_data(pilot)
        await wait_for_footer_keys(pilot)
        footer = screen_text(app).splitlines()[-1]
        assert footer.lstrip().startswith("⏎ Look up"), footer
        assert " q Quit " in footer, footer


async def test_enter_reads_look_up_in_the_footer_with_or_without_a_table_focused(
    sim: Simulator,
) -> None:
    """With a call group focused the table's Enter shows; with none (a browser tab the
    page has not focused yet, a click elsewhere) the screen's own Enter does: both in
    the words help and the palette use, "Look up"."""
    app = make_app(sim)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_data(pilot)
        await wait_for_footer_keys(pilot)
        assert " Look up " in screen_text(app).splitlines()[-1]
        app.screen.set_focus(None)
        await wait_until(pilot, lambda: "Enter " in screen_text(app).splitlines()[-1])
        footer = screen_text(app).splitlines()[-1]
        assert "Enter Look up " in footer and "Lookup" not in footer, footer


def test_the_legend_explains_the_status_line_word_for_a_request_not_back() -> None:
    """Stale data with no poll failing reads "no answer", not "live": a word the
    status line leads with that the legend must say."""
    from rtdash.core.status import NO_ANSWER
    from rtdash.ui.screens.help import MARKERS

    meanings = dict(MARKERS)
    assert NO_ANSWER in meanings
    assert "STALE" in meanings[NO_ANSWER]
