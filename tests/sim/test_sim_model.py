"""The call-centre model on its own: dynamics, invariants, history, determinism."""

from __future__ import annotations

import ast
import statistics
from itertools import pairwise
from pathlib import Path

import pytest

from rtdash.sim import DEFAULT_START, Installation, SimConfig, Simulator
from rtdash.sim.model import (
    BRIDGED,
    HISTORY_SECONDS,
    QUEUEING,
    RINGING,
    CallCentreModel,
    Centre,
)

START = int(DEFAULT_START.timestamp())
ONE = [Installation(1234, "Northwind Contact Centre")]


def make_model(seed: int = 7, agents: int = 20, load: int = 30, warm_up: float = 900):
    return CallCentreModel(ONE, seed, agents, load, START, warm_up)


def snapshot(centre: Centre) -> list[tuple]:
    calls = [
        (
            c.ref,
            c.phase,
            c.src,
            c.start,
            c.queue_start,
            c.bridge_start,
            c.agent.uid if c.agent else None,
        )
        for c in centre.calls.values()
    ]
    users = [(u.uid, u.state, u.state_start, u.activity) for u in centre.users]
    return calls + users


def test_clock_starts_at_the_configured_start_after_warm_up() -> None:
    model = make_model()
    assert model.now == START
    centre = model.centres[1234]
    assert centre.calls_started > 30  # the warm-up really ran
    assert all(c.start <= START for c in centre.calls.values())


@pytest.mark.parametrize("seed", range(1, 11))
def test_all_three_states_present_at_t0(seed: int) -> None:
    centre = make_model(seed=seed).centres[1234]
    phases = {c.phase for c in centre.calls.values()}
    assert phases == {RINGING, QUEUEING, BRIDGED}


@pytest.mark.parametrize(("agents", "load"), [(20, 30), (60, 30), (5, 40)])
def test_live_call_count_holds_near_load(agents: int, load: int) -> None:
    """Little's law keeps the mean near ``load`` whether understaffed or not."""
    model = make_model(agents=agents, load=load)
    centre = model.centres[1234]
    counts = []
    for _ in range(40):
        model.advance(45)
        counts.append(len(centre.calls))
    assert abs(statistics.mean(counts) - load) <= 0.25 * load
    assert max(counts) > min(counts)  # Poisson arrivals: it fluctuates


def test_understaffed_centre_queues_and_overstaffed_centre_has_free_agents() -> None:
    busy = make_model(agents=10, load=40).centres[1234]
    quiet = make_model(agents=80, load=20).centres[1234]
    n_queueing = sum(1 for c in busy.calls.values() if c.phase == QUEUEING)
    assert n_queueing >= 10
    free = [u for u in quiet.users if u.dashboard and u.state == "available"]
    assert len(free) >= 20


def invariants(centre: Centre) -> None:
    on_call = {}
    for call in centre.calls.values():
        assert call.phase in (RINGING, QUEUEING, BRIDGED)
        if call.phase == BRIDGED:
            agent = call.agent
            assert agent is not None and agent.call is call
            assert agent.state == "unavailable" and agent.activity == "call"
            assert agent.dashboard, "back-office users take no queue calls"
            assert call.queue in agent.queues, "agents only take calls of their queues"
            assert agent.uid not in on_call
            on_call[agent.uid] = call
            assert call.start <= call.queue_start <= call.bridge_start <= centre.now
        elif call.phase == QUEUEING:
            assert call.start <= call.queue_start <= centre.now
        else:
            assert call.queue_start is None
    for user in centre.users:
        assert user.state in ("available", "unavailable")
        if user.dashboard:  # back-office users flip on their own schedule
            assert (user.state == "available") == (user.activity == "free")
        if user.activity == "call":
            assert user.uid in on_call
    # no agent sits free while a call of one of its queues waits (work-conserving FIFO)
    for queue in centre.queues.values():
        waiting = [c for c in queue.waiting if c.phase == QUEUEING]
        if waiting:
            assert not queue.free
        for agent in queue.free.values():
            assert agent.state == "available" and agent.activity == "free"


def test_invariants_hold_while_the_clock_moves() -> None:
    model = make_model(agents=15, load=25)
    centre = model.centres[1234]
    for step in (1, 7, 30, 120, 600):
        model.advance(step)
        invariants(centre)


def test_waiting_calls_are_served_first_come_first_served() -> None:
    """Per queue, calls are bridged in the order they became eligible."""
    model = make_model(agents=6, load=30)
    centre = model.centres[1234]
    model.advance(1800)
    by_queue: dict[str, list[tuple[int, int]]] = {}
    for call in centre.history.values():
        if call.bridge_start is not None and call.eligible_at is not None:
            by_queue.setdefault(call.queue.name, []).append((call.bridge_start, call.eligible_at))
    checked = 0
    for pairs in by_queue.values():
        pairs.sort()
        eligibles = [e for _, e in pairs]
        # bridged later never means eligible strictly earlier than one bridged before it
        # (agents of a queue may also serve other queues, so only within-queue order counts)
        inversions = sum(1 for a, b in pairwise(eligibles) if b < a)
        assert inversions == 0
        checked += len(pairs)
    assert checked > 50


def test_an_agent_with_two_queues_takes_the_longest_waiting_call() -> None:
    model = make_model(agents=2, load=0)
    centre = model.centres[1234]
    sales, support = centre.queues["sales"], centre.queues["support"]
    for user in centre.users:
        user.activity, user.state = "away", "unavailable"
    for queue in centre.queues.values():
        queue.free.clear()
    line_of = {line.queue.name: line for line in centre.lines}
    now = centre.now
    calls = {}
    for name, waited in (("sales", 10), ("support", 30)):
        call = centre._new_call(now - waited - 15)
        call.line = line_of[name]
        call.phase, call.queue_start, call.eligible_at = QUEUEING, now - waited, now - waited
        call.queue.waiting.append(call)
        calls[name] = call
    agent = centre.users[0]
    agent.queues = (sales, support)  # sales listed first, but support's caller waited longer
    agent.activity, agent.break_due = "wrap", now + 10**6
    centre._ready(agent)
    assert agent.call is calls["support"] and calls["support"].phase == BRIDGED
    assert calls["sales"].phase == QUEUEING and not sales.free


def test_dashboard_flags_and_back_office_users() -> None:
    centre = make_model().centres[1234]
    flags = [u.dashboard for u in centre.users]
    assert 1 <= flags.count(False) <= 4  # ~12 % of 20
    assert all(u.queues == () for u in centre.users if not u.dashboard)
    assert all(u.queues for u in centre.users if u.dashboard)


def test_some_callers_are_anonymous_and_numbers_are_e164() -> None:
    model = make_model(load=60)
    model.advance(3600)
    centre = model.centres[1234]
    sources = [c.src for c in centre.history.values()]
    anonymous = sources.count("anonymous")
    assert 0.03 * len(sources) < anonymous < 0.12 * len(sources)
    for src in sources:
        assert src == "anonymous" or (src.startswith("+44") and len(src) == 13), src


def test_ended_calls_stay_findable_for_24_hours_then_go() -> None:
    model = make_model(agents=8, load=8)
    centre = model.centres[1234]
    call = next(iter(centre.calls.values()))
    model.advance(3 * 3600)
    assert call.phase == "ended" and call.outcome in ("answered", "abandoned")
    assert centre.find(call_ref=call.ref) is call
    model.advance(HISTORY_SECONDS)
    assert centre.find(call_ref=call.ref) is None
    assert all(c.end >= centre.now - HISTORY_SECONDS for c in centre.history.values())


def test_history_stays_bounded_over_a_long_run() -> None:
    model = make_model(load=10, agents=10)
    centre = model.centres[1234]
    model.advance(26 * 3600)
    size_a = len(centre.history)
    model.advance(12 * 3600)
    size_b = len(centre.history)
    assert centre.calls_ended > size_b  # some were pruned
    assert abs(size_b - size_a) < 0.3 * size_a  # flat, not growing


def test_a_centre_without_agents_stays_bounded() -> None:
    """Nobody answers: every caller abandons, and nothing piles up behind them."""
    model = make_model(agents=0, load=20)
    centre = model.centres[1234]
    model.advance(4 * 3600)
    assert all(c.phase in (RINGING, QUEUEING) for c in centre.calls.values())
    assert all(c.outcome == "abandoned" for c in centre.history.values())
    waiting = sum(len(q.waiting) for q in centre.queues.values())
    assert waiting <= 3 * len(centre.calls) + 10
    assert len(centre._heap) < 10 * (len(centre.calls) + 10)


def test_lookup_by_number_finds_that_numbers_latest_call() -> None:
    model = make_model(load=60)
    model.advance(2 * 3600)
    centre = model.centres[1234]
    by_number: dict[str, list] = {}
    for call in [*centre.history.values(), *centre.calls.values()]:
        if call.src != "anonymous":
            by_number.setdefault(call.src, []).append(call)
    repeated = {n: calls for n, calls in by_number.items() if len(calls) > 1}
    assert repeated, "returning callers exist"
    for number, calls in list(repeated.items())[:20]:
        latest = max(calls, key=lambda c: c.seq)
        assert centre.find(number=number) is latest
    assert centre.find(number="anonymous") is None


def test_same_seed_same_centre_and_other_seed_differs() -> None:
    a, b, c = make_model(seed=11), make_model(seed=11), make_model(seed=12)
    for model in (a, b, c):
        model.advance(17)
        model.advance(300.5)
    assert snapshot(a.centres[1234]) == snapshot(b.centres[1234])
    assert snapshot(a.centres[1234]) != snapshot(c.centres[1234])


def test_clock_cannot_go_backwards() -> None:
    model = make_model()
    with pytest.raises(ValueError):
        model.advance(-1)


def test_load_zero_means_no_calls() -> None:
    centre = make_model(load=0).centres[1234]
    assert not centre.calls and centre.calls_started == 0


def test_config_validation() -> None:
    with pytest.raises(ValueError):
        SimConfig(agents=-1)
    with pytest.raises(ValueError):
        SimConfig(speed=0)
    with pytest.raises(ValueError):
        SimConfig(installations=[Installation(1, "a"), Installation(1, "b")])
    with pytest.raises(ValueError):
        Installation(1, "a", "premium")  # type: ignore[arg-type]


def test_simulator_defaults() -> None:
    sim = Simulator(SimConfig(realtime=False))
    assert [(i.igrp, i.name, i.mode) for i in sim.installations] == [
        (1234, "Northwind Contact Centre", "advanced"),
        (5678, "Harbour Lettings", "basic"),
    ]
    assert sim.igrp == 1234
    assert sim.now == DEFAULT_START
    sim.advance(90)
    assert (sim.now - DEFAULT_START).total_seconds() == 90
    assert (sim.username, sim.nopii_username) == ("demo", "nopii")
    # the passwords and keys drawn for this process: every simulator of it takes them,
    # and no two are alike
    logins = (sim.password, sim.nopii_password, sim.api_key, sim.nopii_api_key)
    assert len(set(logins)) == 4 and all(len(login) >= 16 for login in logins)
    assert logins == (
        Simulator.password,
        Simulator.nopii_password,
        Simulator.api_key,
        Simulator.nopii_api_key,
    )
    with pytest.raises(RuntimeError):
        _ = sim.url  # not started


def test_realtime_clock_follows_elapsed_time_times_speed() -> None:
    import time

    with Simulator(SimConfig(realtime=True, speed=100.0, load=5, agents=5)) as sim:
        before = sim.now
        time.sleep(0.2)
        moved = (sim.now - before).total_seconds()
    assert 10 <= moved <= 60  # 0.2 s x 100, with room for a slow machine


def test_the_simulator_never_imports_textual() -> None:
    package = Path(__file__).resolve().parents[2] / "rtdash" / "sim"
    for path in package.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert not name.startswith(("textual", "rtdash.ui")), f"{path.name}: {name}"
