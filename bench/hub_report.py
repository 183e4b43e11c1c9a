"""The hub benchmark's section of bench/RESULTS.md: the fan-out table, one viewer's decode
cost, the real dashboards in ptys and Redis's memory, from what ``bench.hub`` measured."""

from __future__ import annotations

import argparse
import os
from typing import Any

from rtdash.hub.outbox import KEYFRAME_EVERY

#: the hub polls every INTERVAL seconds in the benchmark; a day is extrapolated at the
#: default DAY_INTERVAL
INTERVAL = 1.0
DAY_INTERVAL = 2.0


def report(
    rows: list[dict[str, Any]],
    memory: dict[str, Any],
    ptys: dict[str, Any],
    cost: dict[str, Any],
    args: argparse.Namespace,
    tabs: dict[str, Any] | None = None,
) -> list[str]:
    viewers = ",".join(str(n) for n in args.viewers)
    command = (
        f"python -m bench.hub --seconds {args.seconds:g} --viewers {viewers} "
        f"--workers {args.workers} --load {args.load} --ptys {args.ptys} "
        f"--memory-seconds {args.memory_seconds:g}"
    )
    lines = [
        "## Hub fan-out (`python -m bench.hub`)",
        "",
        f"`{command}` ({os.cpu_count()} CPUs, shared with other work while it ran: load "
        f"average {memory['load_before']:.1f} before the run, {os.getloadavg()[0]:.1f} "
        "after). One "
        f"`rtdash hub` process polling the simulator at the {args.load} load every "
        f"{INTERVAL:g} s; a real redis-server on loopback; N viewer subscriptions, each its "
        f"own Redis connection, spread over up to {args.workers} worker processes (one "
        f"event loop each); {args.seconds:g} s measured per step. Two kinds of viewer per "
        "N: *screen*, a hub subscriber decoding every frame into snapshots and "
        "following the day's service state through `ServiceKeeper.follow`, as a "
        "dashboard on the hub does; *wire*, the bare "
        "connection (arrival stamped on each, each distinct frame decoded once "
        "afterwards), which measures the hub and Redis without this machine "
        "decoding N copies.",
        "",
        "| viewers | kind | workers | calls requests / interval | users requests / "
        "interval | latency p50 ms | latency p99 ms | frames received / expected | "
        "viewer CPU % | hub CPU % |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for row in rows:
        lines.append(
            f"| {row['viewers']} | {row['mode']} | {row['workers']} | "
            f"{row['calls_per_interval']:.2f} | {row['users_per_interval']:.2f} | "
            f"{row['p50']:.1f} | {row['p99']:.1f} | {row['received']} / {row['expected']} | "
            f"{row['worker_cpu']:.1f} | {row['hub_cpu']:.1f} |"
        )
    if cost.get("frames"):
        ratio = cost["full_ms"] / cost["delta_ms"] if cost["delta_ms"] else 0.0
        lines += [
            "",
            f"One viewer's cost of one calls frame, measured in this run ({cost['frames']} "
            f"consecutive frames of the hub, {cost['rounds']} rounds, full and delta "
            f"alternated, medians): full frame {cost['full_ms']:.2f} ms "
            f"({cost['full_bytes'] / 1e3:.1f} kB), delta on the snapshot before "
            f"{cost['delta_ms']:.2f} ms ({cost['delta_bytes'] / 1e3:.2f} kB): "
            f"**{ratio:.1f}×** less. A viewer decodes the full frame only on joining or "
            "after a missed frame.",
        ]
        if cost.get("rowwise_ms") and cost["delta_ms"]:
            lines[-1] += (
                f" The same delta read row by row and sorted again, as a viewer did before: "
                f"{cost['rowwise_ms']:.3f} ms, **{cost['rowwise_ms'] / cost['delta_ms']:.1f}×** "
                f"the {cost['delta_ms']:.3f} ms it takes now."
            )
    if cost.get("days") and cost.get("follow_ms"):
        lines += [
            "",
            f"One viewer's cost of one day state, measured the same way ({cost['days']} "
            f"consecutive states of the hub, {cost['rounds']} rounds, alternated, "
            "medians): the whole state decoded and restored, as a viewer did after every "
            f"calls poll before ({cost['whole_day_bytes'] / 1e3:.1f} kB), "
            f"{cost['restore_ms']:.3f} ms; the delta on the state before decoded and "
            f"followed by its changes ({cost['day_delta_bytes'] / 1e3:.2f} kB), "
            f"{cost['follow_ms']:.3f} ms: **{cost['restore_ms'] / cost['follow_ms']:.1f}×** "
            "less. (The whole state is this run's, whose agents go as clocks: the state a "
            "viewer restored before carried every agent's totals up to now, so it was "
            "larger than this.)",
        ]
    if ptys:
        lines += [
            "",
            f"Real dashboards: {ptys['count']} `rtdash --hub` processes in pseudo-terminals "
            f"(120x40) with the hub, before the subscriber steps and alone (subscribers "
            f"beside them would take the CPUs they draw with), {args.seconds:g} s: "
            f"{ptys['running']} running at the end, {ptys['timed']} snapshots timed. From "
            f"the snapshot's fetch to the app holding it (`RTDASH_HUB_TRACE`): p50 "
            f"{ptys['app_p50']:.1f} ms, p99 {ptys['app_p99']:.1f} ms; to the first write "
            f"to the terminal after that (the redraw that shows it): p50 "
            f"{ptys['screen_p50']:.1f} ms, p99 {ptys['screen_p99']:.1f} ms. Each "
            f"dashboard took {ptys['cpu']:.0f} % of a CPU (decode, table, drawing).",
        ]
    if tabs:
        lines += [
            "",
            f"Browser tabs: `rtdash serve --hub` with {tabs['count']} tabs in headless "
            f"Chromium (one `rtdash --hub` process each: {tabs['apps']} started, "
            f"{tabs['running']} running at the end), alone with the hub, "
            f"{args.seconds:g} s, {tabs['timed']} snapshots timed. From the snapshot's "
            f"fetch to a tab's app holding it: p50 {tabs['app_p50']:.1f} ms, p99 "
            f"{tabs['app_p99']:.1f} ms (the browser's drawing is not timed). Each tab's "
            f"app took {tabs['cpu']:.0f} % of a CPU.",
        ]
    lines += [
        "",
        "Targets: exactly one request per route per interval whatever N (met when both "
        "request columns read 1.00, ±1 request over the window); p99 ≤ 100 ms at 100 viewers.",
        "Latency runs from the hub holding the body (the snapshot's fetch time) to the "
        "viewer holding the frame: encode, the fenced publish, pub/sub fan-out, and for "
        "*screen* the decode. Viewer CPU is all workers together, in % of one CPU: N "
        "screens on one machine decode N copies of every frame, all in a burst just after "
        "each publish, so the last of them waits for the CPUs to get through the others: "
        "the *screen* figure at large N measures this machine, not the hub (a real viewer "
        "decodes each frame once, on its own machine or process). Frames received "
        "above expected are frames from the second before or after the window; below, "
        "subscribers that missed frames.",
        "",
        f"Redis memory, measured at the end of the run ({memory['seconds']:.0f} s of "
        f"polling at {INTERVAL:g} s): `used_memory` grew by "
        f"{memory['used_growth'] / 1e6:.2f} MB over the empty server; the history stream "
        f"held {memory['entries']} entries in {memory['history_bytes'] / 1e6:.3f} MB "
        f"(`MEMORY USAGE`; {memory['per_entry']:.0f} B an entry: frame bytes by kind "
        + ", ".join(f"{k} {v / 1e3:.0f} kB" for k, v in sorted(memory["frame_bytes"].items()))
        + f"), the trend {memory['trend_bytes'] / 1e3:.0f} kB "
        f"({memory['trend_per_entry']:.0f} B an entry), the latest state "
        f"{memory['latest_bytes'] / 1e3:.0f} kB (full frames and the day's service "
        "state). The history keeps a calls or users snapshot whole every "
        f"{KEYFRAME_EVERY}th time and as a delta between, and a status only when it "
        "says something new about health. Growth over a quiet "
        f"{memory['span']:.0f} s after the steps (the hub polling, no subscribers coming "
        "and going, the fixed costs paid): `used_memory` "
        f"{memory['used_rate'] / 1e3:.1f} kB/s, history and "
        f"trend {memory['streams_rate'] / 1e3:.1f} kB/s. Extrapolated to 24 h at the "
        f"default {DAY_INTERVAL:g} s interval (half the entries of this run's 1 s polls, "
        "each a little smaller than a 2 s poll's): `used_memory` about "
        f"**{memory['day_used_rate_mb']:.0f} MB**, of which history and trend about "
        f"{memory['day_streams_rate_mb']:.0f} MB, for one installation at this load.",
    ]
    return lines + _verdict(rows, memory)


#: what a viewer does per published poll since the run on main at f48657a, and that
#: run's figures (same command; its load average before the run was 1.1)
CHANGES = [
    "What changed in the viewer since the run on main at f48657a (same command, load "
    "average 1.1 before it: *screen* p99 120.9 ms and p50 45.2 ms at 100 viewers, the "
    "100 screens taking 14 % of one CPU, *wire* p99 29.2 ms). Each is in the product's "
    "code a real viewer runs (`rtdash/hub`, and `FollowedServiceLevel` in "
    "`rtdash/core/service_feed.py`); every *screen* still decodes every frame and "
    "follows the day's state:",
    "",
    "- A calls delta takes the rows it keeps from the snapshot held a group at a time "
    "(in C), with their order keys: rows whose durations only ticked are the hub's very "
    "rows, as the poller holds them, so only the rows sent whole are built and sorted "
    "in, and a group that lost and gained nothing is the held tuple. Frames carry the "
    "upstream's now, so those rows' durations follow from it on a viewer as on the "
    "poller. A delta of any other shape is read row by row, as before.",
    "- The day's state goes to the screens as changes to the state before (the latest "
    "state keeps it whole for those who join or miss one), with each agent's time as "
    "its clock, which changes only when the agent's activity does: a few hundred bytes "
    "a poll instead of about 2 kB compressed. The viewer's service level applies what "
    "changed (the tallies that moved) instead of restoring the whole day each poll, and "
    "builds the agents' time only when something reads it (an export, the queues "
    "screen; the dashboard and the wallboard show counts).",
    "- A frame the viewer already has (the same bytes from the latest state and from "
    "pub/sub) is not decoded again, and Redis is pinged only when no frame came for an "
    "interval (frames show the connection alive).",
]


def _verdict(rows: list[dict[str, Any]], memory: dict[str, Any]) -> list[str]:
    screen = next((r for r in rows if r["viewers"] == 100 and r["mode"] == "screen"), None)
    if screen is None:
        return ["", *CHANGES]
    met = "met" if screen["p99"] <= 100 else "not met"
    per_viewer = screen["worker_cpu"] / 100 * 1000 / 100  # ms of CPU a viewer a second
    return [
        "",
        *CHANGES,
        "",
        f"The *screen* p99 target at 100 viewers is **{met}** in this run: "
        f"{screen['p99']:.1f} ms (p50 {screen['p50']:.1f} ms), load average "
        f"{memory['load_before']:.1f} before the run. The 100 screens took "
        f"{screen['worker_cpu']:.1f} % of one CPU (process time of the workers): about "
        f"{per_viewer:.2f} ms of CPU per viewer per {INTERVAL:g} s poll, for its calls "
        "frame, users frame, statuses and day state together. The latency is the last of "
        "50 subscribers per process getting through its share of each burst, so it "
        "follows what else holds the two CPUs.",
    ]
