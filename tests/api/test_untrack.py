"""Objects of atoms out of the cyclic collector's sight (rtdash/api/_untrack.c): the rows
a poll reads, the day's tracked calls and the agents' clocks are not followed by it, are
still freed when let go, and nothing else is taken."""

from __future__ import annotations

import gc
import weakref

import pytest

from rtdash.api import untrack as untracking
from rtdash.api.client import Credentials, InfinityClient
from rtdash.core.agent_time import _Clock
from rtdash.core.tracked_call import TrackedCall
from rtdash.sim import Simulator

built = pytest.mark.skipif(untracking.built is None, reason="the C part is not built")


class Slotted:
    __slots__ = ("__weakref__", "value")

    def __init__(self, value: object) -> None:
        self.value = value


@built
def test_an_untracked_object_is_the_same_object_and_still_freed() -> None:
    made = Slotted([1, 2])
    assert gc.is_tracked(made)
    assert untracking.untrack(made) is made
    assert not gc.is_tracked(made)
    assert untracking.untrack(made) is made  # twice: no harm
    gone = weakref.ref(made)
    del made
    assert gone() is None  # reference counting frees it; the collector is not needed


@built
@pytest.mark.parametrize("obj", [[1], {"a": [1]}, (1, [2]), 5, "text"], ids=repr)
def test_only_instances_of_slotted_classes_are_taken(obj: object) -> None:
    followed = gc.is_tracked(obj)
    with pytest.raises(TypeError, match="slotted class"):
        untracking.untrack(obj)
    assert gc.is_tracked(obj) == followed  # left as it was


@built
def test_an_instance_with_a_dict_is_refused() -> None:
    class Open:
        pass

    made = Open()
    with pytest.raises(TypeError, match="slotted class"):
        untracking.untrack(made)
    assert gc.is_tracked(made)


def test_without_the_c_part_an_object_is_handed_back_still_followed() -> None:
    made = Slotted([1])
    assert untracking._followed(made) is made
    assert gc.is_tracked(made)


@built
async def test_the_rows_a_poll_reads_are_not_followed(sim: Simulator) -> None:
    """Over real loopback HTTP: every call and user row the client reads, and none of
    them among the objects a collection walks."""
    async with InfinityClient(
        igrp=sim.igrp, credentials=Credentials(sim.username, sim.password), base_url=sim.url
    ) as client:
        for _ in range(2):  # the second poll is read by its lines
            calls = (await client.active_calls()).rows
            users = (await client.user_status()).rows
            sim.advance(1.0)
    assert calls and users
    assert not any(map(gc.is_tracked, [*calls, *users]))
    walked = {id(obj) for obj in gc.get_objects()}
    assert not walked.intersection(map(id, [*calls, *users]))


@built
def test_the_days_calls_and_the_agents_clocks_are_not_followed() -> None:
    call = TrackedCall("c-1", "sales", 10.0, 5.0)
    clock = _Clock("u-1", "Ann", "available", 10.0)
    assert not gc.is_tracked(call)
    assert not gc.is_tracked(clock)
    call.agent, call.agent_name = "a-1", "Ann"  # written later: still texts
    clock.add("call", 3.0)
    assert not gc.is_tracked(call)
    assert not gc.is_tracked(clock)
    assert clock.call == 3.0
