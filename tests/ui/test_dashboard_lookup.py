"""The caller lookup from the dashboard, against the simulator over real loopback HTTP:
from the selected call, by a typed number, and the messages when it cannot answer."""

from __future__ import annotations

import re

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from rtdash.api.client import Credentials, InfinityClient
from rtdash.api.models import CallState
from rtdash.api.row_types import details_ticked
from rtdash.core.caller_sections import details_sections
from rtdash.core.format import duration
from rtdash.sim import Simulator
from rtdash.ui.screens.lookup import LookupScreen
from tests.ui.helpers import (
    a_caller_looked_up,
    dashboard_of,
    fetch_truth,
    make_app,
    on_talking_calls,
    rendered_text,
    screen_text,
    talking_and_away,
    typed_at_once,
    wait_for_data,
    wait_until,
)


async def test_enter_on_a_call_looks_up_its_attribution(sim: Simulator) -> None:
    async with on_talking_calls(sim) as (app, pilot, _board, table):
        await pilot.press("down", "enter")
        ref = table.selected_key
        assert isinstance(app.screen, LookupScreen)
        modal = app.screen
        await wait_until(pilot, lambda: modal.details is not None)
        assert modal.details.mode == "advanced"
        async with InfinityClient(
            igrp=sim.igrp, credentials=Credentials(sim.username, sim.password), base_url=sim.url
        ) as client:
            truth = await client.caller_details(call_ref=ref)
        assert truth is not None and modal.details == truth
        shown = rendered_text(modal.query_one("#lookup-result"))
        assert truth.ch_name and truth.ch_name in shown
        assert truth.landing_page_title and truth.landing_page_title in shown
        await pilot.press("escape")
        assert not isinstance(app.screen, LookupScreen)


async def _typed_lookup(pilot: Pilot[int]) -> LookupScreen:
    """The lookup by a typed number, opened from the dashboard once its data is in."""
    await wait_for_data(pilot)
    await pilot.press("l")
    modal = pilot.app.screen
    assert isinstance(modal, LookupScreen)
    return modal


async def test_lookup_by_a_typed_national_number(sim: Simulator) -> None:
    truth, _ = await fetch_truth(sim)
    caller = next(c for c in truth.calls if c.src_number and c.src_number.startswith("+447"))
    national = "0" + caller.src_number[3:]
    app = make_app(sim)
    async with app.run_test(size=(160, 48)) as pilot:
        modal = await _typed_lookup(pilot)
        await pilot.press(*national, "enter")
        await wait_until(pilot, lambda: modal.details is not None)
        assert modal.details.src_number == caller.src_number


async def test_a_number_typed_at_once_with_the_l_that_opens_the_lookup_is_looked_up(
    sim: Simulator,
) -> None:
    """``l``, the number and Enter in one read (a fast typist, a slow SSH link): the keys
    after ``l`` reach the dashboard before the lookup is up, and are typed into it."""
    truth, _ = await fetch_truth(sim)
    caller = next(c for c in truth.calls if c.src_number and c.src_number.startswith("+447"))
    national = "0" + caller.src_number[3:6] + " " + caller.src_number[6:]
    app = make_app(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_data(pilot)
        typed_at_once(app, "l", *national, "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, LookupScreen))
        modal = app.screen
        assert isinstance(modal, LookupScreen)
        await wait_until(pilot, lambda: modal.details is not None)
        assert modal.query_one("#lookup-input", Input).value == national
        assert modal.details is not None and modal.details.src_number == caller.src_number
        await pilot.press("escape")
        assert not isinstance(app.screen, LookupScreen)


async def test_keys_typed_ahead_keep_their_order_with_a_mistake_rubbed_out(
    sim: Simulator,
) -> None:
    app = make_app(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_data(pilot)
        typed_at_once(app, "l", *"07700 9", "backspace", "backspace", *"x9")
        await wait_until(pilot, lambda: isinstance(app.screen, LookupScreen))
        modal = app.screen
        assert isinstance(modal, LookupScreen)
        field = modal.query_one("#lookup-input", Input)
        await wait_until(pilot, lambda: field.value == "07700x9")
        assert field.has_focus, "later keys go straight to the input"
        await pilot.press("1", "enter")
        await wait_until(pilot, lambda: modal.outcome == "invalid")
        assert field.value == "07700x91"


async def test_lookup_no_match_and_bad_number_messages(sim: Simulator) -> None:
    app = make_app(sim)
    async with app.run_test(size=(160, 48)) as pilot:
        modal = await _typed_lookup(pilot)
        await pilot.press(*"abc", "enter")
        assert modal.outcome == "invalid"
        await pilot.press(*("backspace",) * 3, *"020 7946 0999", "enter")
        await wait_until(pilot, lambda: modal.outcome == "no-match")
        shown = rendered_text(modal.query_one("#lookup-result"))
        # the installation asked is named: a lookup asks the one on screen only
        where = app.names.label(sim.igrp)
        assert str(sim.igrp) in where
        assert f"No call matches +44 20 7946 0999 at {where} in the last 24 hours." in shown


async def test_a_reference_with_no_match_says_call_once(sim: Simulator) -> None:
    """ "No call matches reference c-…", not "No call matches call c-…"."""
    app = make_app(sim)
    async with app.run_test(size=(160, 48)) as pilot:
        modal = await _typed_lookup(pilot)
        await pilot.press(*"c-1234-999999", "enter")
        await wait_until(pilot, lambda: modal.outcome == "no-match")
        shown = " ".join(rendered_text(modal.query_one("#lookup-result")).split())
        where = app.names.label(sim.igrp)
        assert shown == f"No call matches reference c-1234-999999 at {where} in the last 24 hours."


async def test_n_starts_afresh_and_its_answer_is_read_from_the_top(sim: Simulator) -> None:
    """After ``n`` the last caller's title and details are gone; the next answer opens
    at its top though the last one was scrolled to its end (at 80x24 it scrolls)."""
    async with a_caller_looked_up(sim) as (_, pilot, modal, second):
        dialog = modal.query_one("#lookup-dialog")
        await pilot.press("end")
        await wait_until(pilot, lambda: dialog.scroll_y > 0)
        await pilot.press("n")
        assert rendered_text(modal.query_one("#lookup-title")).strip() == "Caller lookup"
        assert modal.details is None and modal.outcome == "idle"
        await pilot.press(*second, "enter")
        await wait_until(
            pilot, lambda: modal.details is not None and modal.details.src_number == second
        )
        await pilot.pause()
        assert dialog.scroll_y == 0


async def test_a_number_typed_over_the_results_is_the_next_lookup(sim: Simulator) -> None:
    """The results had the focus, and a digit typed there went nowhere: it starts the
    next number, as ``n`` and the digit would."""
    async with a_caller_looked_up(sim) as (_, pilot, modal, second):
        assert not modal.query_one(Input).has_focus, "the results have the focus"
        await pilot.press(*second)
        assert modal.query_one(Input).value == second
        assert modal.details is None and modal.outcome == "idle"
        await pilot.press("enter")
        await wait_until(
            pilot, lambda: modal.details is not None and modal.details.src_number == second
        )
        await pilot.press("y")  # the results' own keys are still theirs
        assert modal.query_one(Input).value == second


async def test_a_number_typed_over_a_selected_calls_lookup_starts_one(sim: Simulator) -> None:
    """Opened from a call (Enter), its input hidden: a digit shows it, with the digit."""
    async with on_talking_calls(sim) as (app, pilot, _board, _table):
        await pilot.press("down", "enter")
        modal = app.screen
        assert isinstance(modal, LookupScreen)
        await wait_until(pilot, lambda: modal.details is not None)
        await pilot.press("0", "7")
        field = modal.query_one(Input)
        assert field.display and field.has_focus and field.value == "07"


async def test_lookup_without_pii_permission_says_so(sim: Simulator) -> None:
    app = make_app(sim, username=sim.nopii_username, password=sim.nopii_password)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        board = dashboard_of(app)
        table = board.grid.table(CallState.BRIDGED)
        table.focus()
        await pilot.press("enter")
        modal = app.screen
        assert isinstance(modal, LookupScreen)
        await wait_until(pilot, lambda: modal.outcome == "denied")
        shown = rendered_text(modal.query_one("#lookup-result"))
        assert "No permission to see caller details" in shown
        assert "access denied" in shown


def _title(modal: LookupScreen) -> str:
    return rendered_text(modal.query_one("#lookup-title")).strip()


@pytest.mark.parametrize(
    "refused",
    ["07700 900972 x", "07700 900972 123456789"],
    ids=["neither", "too-long"],
)
async def test_a_refused_input_after_a_no_match_drops_the_last_number_from_the_title(
    sim: Simulator, refused: str
) -> None:
    """Ctrl+U and a number that is refused: the message is about the new input, so the
    title no longer names the number looked up before (it did, above the refusal)."""
    app = make_app(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        modal = await _typed_lookup(pilot)
        await pilot.press(*"+1 202 555 0123", "enter")
        await wait_until(pilot, lambda: modal.outcome == "no-match")
        assert _title(modal) == "Caller lookup — +1 202-555-0123"
        await pilot.press("ctrl+u", *refused, "enter")
        await wait_until(pilot, lambda: modal.outcome == "invalid")
        assert _title(modal) == "Caller lookup"
        shown = rendered_text(modal.query_one("#lookup-result"))
        assert refused in shown and "202" not in shown


async def test_a_refused_input_after_a_caller_was_found_shows_none_of_their_details(
    sim: Simulator,
) -> None:
    """Back in the input after a caller's details (a click, Tab), a refused number
    leaves neither their title nor their details on screen."""
    async with a_caller_looked_up(sim) as (_, pilot, modal, _second):
        found = modal.details
        assert found is not None and found.src_number is not None
        field = modal.query_one("#lookup-input", Input)
        field.focus()
        await pilot.press("ctrl+u", *"07700 900972 x", "enter")
        await wait_until(pilot, lambda: modal.outcome == "invalid")
        assert _title(modal) == "Caller lookup"
        assert modal.details is None
        screen = screen_text(pilot.app)
        assert found.src_number[-6:] not in screen.replace(" ", "")
        assert "Attribution" not in screen


def _durations(modal: LookupScreen) -> tuple[str, str]:
    """The call duration and talk time the lookup shows, as drawn."""
    shown = rendered_text(modal.query_one("#lookup-result"))
    found = {
        label: value
        for label in ("Call duration", "Talk time")
        for value in re.findall(rf"^{label}\s+(\S+)\s*$", shown, re.M)
    }
    return found["Call duration"], found["Talk time"]


async def test_a_live_calls_durations_tick_in_the_lookup_as_the_dashboards_times_do(
    sim: Simulator,
) -> None:
    """A caller talking now: five seconds on, the lookup's call duration and talk time
    are five seconds longer, moved by the dashboard's own once-a-second tick (they
    stood still beside "State in progress"), and the call duration reads as the
    dashboard's Total for the same call."""
    async with a_caller_looked_up(sim) as (app, pilot, modal, _second):
        read = modal.details
        assert read is not None and read.call_state == "in progress"
        assert read.call_duration is not None and read.bridge_duration
        assert _durations(modal) == (duration(read.call_duration), duration(read.bridge_duration))
        app.clock.advance(5)
        after = (duration(read.call_duration + 5), duration(read.bridge_duration + 5))
        await wait_until(pilot, lambda: _durations(modal) == after, timeout=3)
        board = app.screen_stack[-2].dashboard  # the dashboard under the lookup
        table = board.grid.table(CallState.BRIDGED)
        ref = next(c.call_ref for c in board.calls.calls if c.src_number == read.src_number)
        row = dict(zip((c.key for c in table.columns), table.get_row(ref), strict=True))
        assert row["total"] == after[0]
        assert modal.details == read, "the answer is kept as read; only the drawing moves"


async def test_the_lookups_durations_stop_when_the_data_goes_stale(sim: Simulator) -> None:
    """The service stops answering and a minute passes: the dashboard's times stop
    where they were when the data became stale (DISCONNECTED), and the lookup's do
    too rather than count on."""
    async with a_caller_looked_up(sim) as (app, pilot, modal, _second):
        board = app.screen_stack[-2].dashboard
        board.poller.stop()
        await wait_until(pilot, lambda: not board.poller._tasks)
        app.clock.advance(60)
        board.tick()
        await pilot.pause()
        assert board.feed.stale
        stopped = details_ticked(modal.details, board.feed.frozen_at)
        assert stopped.call_duration is not None and stopped.bridge_duration is not None
        frozen = (duration(stopped.call_duration), duration(stopped.bridge_duration))
        await wait_until(pilot, lambda: _durations(modal) == frozen, timeout=3)
        app.clock.advance(30)
        board.tick()
        await pilot.pause()
        assert _durations(modal) == frozen


async def test_the_lookups_durations_hold_while_the_dashboard_is_paused(sim: Simulator) -> None:
    """Paused, the dashboard's picture holds still; the lookup's durations with it,
    and they move on again with it on resume."""
    async with a_caller_looked_up(sim) as (app, pilot, modal, _second):
        read = modal.details
        assert read is not None and read.call_duration is not None
        board = app.screen_stack[-2].dashboard
        board.poller.pause()
        await wait_until(pilot, lambda: board.feed.paused)
        held = _durations(modal)
        app.clock.advance(5)
        board.tick()
        await pilot.pause()
        assert _durations(modal) == held
        board.poller.toggle_pause()
        await wait_until(pilot, lambda: not board.feed.paused)
        board.tick()
        await wait_until(
            pilot, lambda: _durations(modal)[0] == duration(read.call_duration + 5), timeout=3
        )


def value_columns(text: str, sections: list[tuple[str, list[tuple[str, str]]]]) -> set[int]:
    """The column each row's value starts at, in ``text`` (the details as drawn)."""
    lines = text.splitlines()
    starts: set[int] = set()
    for _title, rows in sections:
        for label, value in rows:
            if not value:
                continue
            line = next(line for line in lines if line.startswith(label + "  "))
            starts.add(line.index(value[:8], len(label)))
    return starts


async def test_every_sections_values_start_at_one_column_at_80x24(sim: Simulator) -> None:
    """Attribution, Call and Custom data read as one list: their values started at
    three columns, each section's own widest label deciding."""
    async with a_caller_looked_up(sim) as (_, _pilot, modal, _second):
        shown = modal.shown_details()
        assert shown is not None and shown.custom
        sections = details_sections(shown, modal.client.zone, modal.answered_by_name)
        assert [title for title, _ in sections] == ["Attribution", "Call", "Custom data"]
        result = modal.query_one("#lookup-result")
        width = result.content_region.width
        assert width < 80
        text = rendered_text(result, width=width)
        widest = max(len(label) for _, rows in sections for label, _ in rows)
        assert value_columns(text, sections) == {widest + 2}


def test_a_call_not_answered_has_no_talk_time_and_an_empty_custom_value_says_so() -> None:
    """A queueing caller's talk time is "–", not 0:00 (which reads as answered and
    hung up at once); an empty custom field is "–" as every other empty field is."""
    from zoneinfo import ZoneInfo

    from rtdash.api.models import CallerDetails
    from rtdash.core.caller_sections import details_sections

    def rows(**fields: object) -> dict[str, str]:
        details = CallerDetails.model_validate({"mode": "advanced", "igrp": 1, **fields})
        return {
            label: value
            for _, pairs in details_sections(details, ZoneInfo("UTC"))
            for label, value in pairs
        }

    waiting = rows(callState="in progress", callDuration="40", bridgeDuration="0")
    assert waiting["Talk time"] == "–" and waiting["Call duration"] == "0:40"
    talking = rows(callDuration="90", bridgeDuration="30", destPhoneNumber="+441632960100")
    assert talking["Talk time"] == "0:30"
    answered_now = rows(callDuration="50", bridgeDuration="0", destPhoneNumber="+441632960100")
    assert answered_now["Talk time"] == "0:00"
    custom = rows(callDuration="5", custom={"c_basket_value": "", "c_customer_id": "CUST-1"})
    assert (custom["c_basket_value"], custom["c_customer_id"]) == ("–", "CUST-1")


async def test_enter_on_an_agent_looks_up_the_caller_they_are_talking_to(sim: Simulator) -> None:
    """A supervisor's "who is Leo on with?": Enter on an agent on a call opens the
    lookup of that call; on an agent on no call, one line says so."""
    from rtdash.api.models import CallState

    app = make_app(sim)
    async with app.run_test(size=(160, 48), notifications=True) as pilot:
        await wait_for_data(pilot)
        board = dashboard_of(app)
        table = board.user_panel.table
        talking, away = talking_and_away(board)
        call = next(
            c for c in board.calls.groups[CallState.BRIDGED] if c.agent_ref == talking.operator_ref
        )
        table.focus()
        table.move_cursor(row=table.keys.index(talking.user_id))
        await pilot.pause()
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, LookupScreen))
        assert app.screen.call_ref == call.call_ref  # type: ignore[attr-defined]
        await pilot.press("escape")
        table.move_cursor(row=table.keys.index(away.user_id))
        await pilot.pause()
        await pilot.press("enter")
        told = f"{away.label} is not on a call"
        await wait_until(pilot, lambda: any(told in n.message for n in app._notifications))
        assert not isinstance(app.screen, LookupScreen)


async def test_a_waiting_callers_lookup_is_asked_again_once_the_call_is_answered(
    sim: Simulator,
) -> None:
    """A lookup opened on a call still waiting said "Answered on –" for as long as it
    stayed open, though the dashboard under it showed the call talking: once a poll
    shows the call's state move, the lookup asks again and shows the new answer."""
    async with on_talking_calls(sim) as (app, pilot, board, _table):
        waiting = board.grid.table(CallState.QUEUEING)
        assert waiting.row_count, "the simulator's centre has callers waiting"
        waiting.focus()
        await pilot.press("enter")
        ref = waiting.selected_key
        modal = app.screen
        assert isinstance(modal, LookupScreen)
        await wait_until(pilot, lambda: modal.details is not None)
        first = modal.details
        assert first is not None and not first.dest_number, "not answered yet"
        assert _shown_values(modal)["Answered on"] == "–"

        def state_of_ref() -> CallState | None:
            rows = [c for c in board.calls.calls if c.call_ref == ref]
            return rows[0].state if rows else None

        for _ in range(120):  # the centre moves on until the call is answered, or goes
            sim.advance(5)
            app.clock.set(sim.now)
            polls = board.poller.polls
            board.poller.refresh_now()
            await wait_until(pilot, lambda polls=polls: board.poller.polls > polls)
            if state_of_ref() is not CallState.QUEUEING:
                break
        else:
            pytest.fail("the call was neither answered nor gone in ten minutes")
        async with InfinityClient(
            igrp=sim.igrp, credentials=Credentials(sim.username, sim.password), base_url=sim.url
        ) as client:
            truth = await client.caller_details(call_ref=ref)
        assert truth is not None and truth != first
        await wait_until(pilot, lambda: modal.details == truth)
        # (the simulator's seeded centre answers it: a call that went would be
        # asked about again all the same)
        assert state_of_ref() is CallState.BRIDGED
        assert truth.dest_number
        assert _shown_values(modal)["Answered on"] != "–"


def _shown_values(modal: LookupScreen) -> dict[str, str]:
    """Each row the lookup shows with a value, by label."""
    shown = rendered_text(modal.query_one("#lookup-result"))
    return dict(re.findall(r"^(\S[^\n]*?)\s{2,}(\S[^\n]*?)\s*$", shown, re.M))
