"""The wallboard's agent grid on its own, with a centre split exactly as a test asks
(which a simulated centre reaches only by chance)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from textual.app import App, ComposeResult

from rtdash.api.models import PbxUser, UserState
from rtdash.core.agents import ORDER, OnCall
from rtdash.core.clock import FrozenClock
from rtdash.core.shown_starts import ShownStarts
from rtdash.ui.widgets.agent_grid import AgentGrid

NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)

#: each group's names, in the order of :data:`ORDER`
WORDS = ("Free", "Talk", "Gone")


def centre(available: int, on_call: int, away: int) -> tuple[tuple[PbxUser, ...], OnCall]:
    """Users split as asked, each group's first the longest in state, and who is on a
    call (by operator reference, as the calls name their agents)."""
    users: list[PbxUser] = []
    counts = (available, on_call, away)
    states = (UserState.AVAILABLE, UserState.UNAVAILABLE, UserState.UNAVAILABLE)
    for word, count, state in zip(WORDS, counts, states, strict=True):
        for n in range(count):
            users.append(
                PbxUser(
                    user_id=f"{word}-{n}",
                    state=state,
                    state_start=NOW - timedelta(minutes=60 - n),
                    display_name=f"{word} {n:02d}",
                    operator_ref=f"op-{word}-{n}",
                    dashboard=True,
                )
            )
    talking = frozenset(f"op-Talk-{n}" for n in range(on_call))
    return tuple(users), OnCall(refs=talking)


class GridApp(App[None]):
    """The grid filling the screen, showing ``users``."""

    CSS = "AgentGrid { width: 1fr; height: 1fr; }"

    def __init__(self, users: tuple[PbxUser, ...], on_call: OnCall) -> None:
        super().__init__()
        self.users, self.on_call = users, on_call

    def compose(self) -> ComposeResult:
        yield AgentGrid(clock=FrozenClock(NOW), starts=ShownStarts())

    def on_mount(self) -> None:
        grid = self.query_one(AgentGrid)
        grid.show_users(self.users)
        grid.show_on_call(self.on_call)


def cut_marks(text: str) -> list[str]:
    """The lines that say agents are left out: the count of those with no tile, and a
    heading whose group has none."""
    symbols = tuple(state.symbol for state in ORDER)
    return [
        line
        for line in text.splitlines()
        if line.startswith("+") or (line.startswith(symbols) and "(not shown)" in line)
    ]
