"""A centre's staff and its first guess at how long a call lives, made once at set-up.

Both are pure functions of their inputs (and of the random stream handed in), so the
centre's event loop (:mod:`rtdash.sim.centre`) starts from them without carrying the
set-up code around.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from rtdash.sim import data
from rtdash.sim.entities import Queue, User
from rtdash.sim.params import (
    BACKOFFICE_SHARE,
    GREETING_MAX,
    GREETING_MIN,
    PATIENCE_MEAN,
    RING_ABANDON_P,
    RING_MAX,
    RING_MIN,
    TALK_MEAN,
    WRAP_MAX,
    WRAP_MIN,
)


def make_users(
    rng: random.Random,
    lines: Sequence[data.LineSpec],
    queues: list[Queue],
    n: int,
    first_uid: int,
) -> list[User]:
    """A centre's staff: unique names and refs, a share of back-office users, and each
    agent's queues (skills), drawn from ``rng`` in a fixed order so a seed gives one staff."""
    combos = [(f, s) for f in data.FIRST_NAMES for s in data.SURNAMES]
    rng.shuffle(combos)
    refs: dict[str, int] = {}
    n_back = round(n * BACKOFFICE_SHARE)
    if n >= 4:
        n_back = max(1, n_back)
    back = set(rng.sample(range(n), n_back)) if n_back else set()
    users: list[User] = []
    for i in range(n):
        first, last = combos[i % len(combos)]
        name = f"{first} {last}"
        if i >= len(combos):
            name += f" {i // len(combos) + 1}"
        ref = f"{first[0]}.{last}".lower().replace("'", "")
        refs[ref] = refs.get(ref, 0) + 1
        if refs[ref] > 1:
            ref = f"{ref}{refs[ref]}"
        users.append(User(first_uid + i, name, ref, 201 + i, dashboard=i not in back))
    # skills: a primary queue apportioned by traffic share, sometimes a second one
    weight = {q.name: 0.0 for q in queues}
    for spec in lines:
        weight[spec.queue] += spec.weight
    counts = {q.name: 0 for q in queues}
    j = 0
    for u in users:
        if not u.dashboard:
            continue
        j += 1
        primary = max(queues, key=lambda q: weight[q.name] * j - counts[q.name])
        counts[primary.name] += 1
        skills = [primary]
        if len(queues) > 1 and rng.random() < 0.4:
            skills.append(rng.choice([q for q in queues if q is not primary]))
        u.queues = tuple(skills)
    return users


def initial_lifetime(load: int, users: list[User]) -> float:
    """An analytic first guess at the mean call lifetime W (refined as calls end).

    Underloaded: ring + greeting + talk. Overloaded (more calls than agents can take):
    the bridged count is capped by staffing and the queue settles where abandons
    (rate Q / patience) balance the surplus; solving L = load for λ gives W = load/λ.
    """
    a = RING_ABANDON_P
    ring = (RING_MIN + RING_MAX) / 2
    greet = (GREETING_MIN + GREETING_MAX) / 2
    wrap = (WRAP_MIN + WRAP_MAX) / 2
    talk = TALK_MEAN
    w_under = ring * (1 - a / 2) + (1 - a) * (greet + talk)
    if load <= 0:
        return w_under
    lam = load / w_under
    capacity = 0.85 * sum(1 for u in users if u.dashboard)
    if lam * (1 - a) * (talk + wrap) <= 0.85 * capacity:
        return w_under
    bridged = capacity * talk / (talk + wrap)
    patience = PATIENCE_MEAN
    lam = (capacity / (talk + wrap) + max(load - bridged, 0) / patience) / (
        (1 - a) + ring / patience
    )
    return max(load / max(lam, 1e-9), 1.0)
