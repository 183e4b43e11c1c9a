"""bench/RESULTS.md: machine, method, the table, notes and the profile."""

from __future__ import annotations

import os
import platform
import subprocess
from collections.abc import Sequence
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from bench.loads import INTERVAL, LOADS, REPO

if TYPE_CHECKING:
    from bench.plan import Plan
    from bench.profile import Profile
    from bench.rows import FloorRow, Row
    from bench.scale import ScaleResult
    from bench.stats import Summary


def machine() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "CPU": cpu,
        "cores": str(os.cpu_count()),
        "OS": f"{platform.system()} {platform.release()}",
        "Python": platform.python_version(),
        "Textual": metadata.version("textual"),
        "Rich": metadata.version("rich"),
        "rtdash": f"{metadata.version('rtdash')} ({revision()})",
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def revision() -> str:
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "no git"
    return f"{commit}{' + local changes' if dirty else ''}"


def _value(row: Row, app: str) -> str:
    return _spread(row.summary(app), row.scale)


def _spread(s: Summary, scale: float) -> str:
    """``median [min–max]`` in the row's unit; the median alone for one sample."""
    digits = _digits(s.median * scale)
    if s.n == 1:
        return f"{s.median * scale:.{digits}f}"
    return f"{s.median * scale:.{digits}f} [{s.low * scale:.{digits}f}–{s.high * scale:.{digits}f}]"


def _headline(row: Row, app: str) -> str:
    value = row.headline_value(app) * row.scale
    return f"{value:.{_digits(value)}f}"


def _digits(value: float) -> int:
    magnitude = abs(value)
    if magnitude >= 100:
        return 0
    if magnitude >= 10:
        return 1
    return 2


def table(rows: Sequence[Row]) -> list[str]:
    lines = [
        "| measure | load | setting | unit | rtdash median [min–max] "
        "| baseline median [min–max] | rtdash/baseline | target | result |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for row in rows:
        ratio = row.ratio
        lines.append(
            f"| {row.measure} {row.title} | {row.load} | {row.setting} | {row.unit} "
            f"| {_value(row, 'rtdash')} | {_value(row, 'baseline')} "
            f"| {'' if ratio is None else f'{ratio:.2f}'} "
            f"| {row.target.text if row.target else '(info)'} "
            f"| {row.verdict or ''} |"
        )
    return lines


def headline(rows: Sequence[Row]) -> list[str]:
    """One line per target: the short table the README quotes."""
    lines = [
        "| target | rtdash | baseline | rtdash/baseline | result |",
        "| --- | --- | --- | --- | --- |",
    ]
    for row in rows:
        if row.target is None:
            continue
        ratio = row.ratio
        shown = "" if row.statistic == "median" else f" ({row.statistic})"
        lines.append(
            f"| {row.measure} {row.title}, {row.load}, {row.setting}: {row.target.text} "
            f"| {_headline(row, 'rtdash')} {row.unit}{shown} "
            f"| {_headline(row, 'baseline')} {row.unit}{shown} "
            f"| {'' if ratio is None else f'{ratio:.2f}'} | {row.verdict} |"
        )
    return lines


def floor_section(floor: Sequence[FloorRow]) -> list[str]:
    """The framework floor: what a bare Textual app costs, next to the targets."""
    if not floor:
        return ["Not measured in this run (`--only` without FLOOR)."]
    lines = [
        "A bare Textual app of the same shape (`bench/floor_app.py`: no rtdash code, no",
        "network, no data), measured in the same run, for reading P2 and P4 against;",
        "information, not targets.",
        "",
        "| what | setting | read against | median [min–max] | n |",
        "| --- | --- | --- | --- | --- |",
    ]
    for row in floor:
        s = row.summary()
        lines.append(
            f"| {row.what} | {row.setting} | {row.against} "
            f"| {_spread(s, row.scale)} {row.unit} | {s.n} |"
        )
    return lines


def method(plan: Plan) -> list[str]:
    loads = ", ".join(
        f"{load.name} ({load.calls} calls, {load.users} users)" for load in LOADS.values()
    )
    return [
        f"- Loads from the simulator, seed 7, one installation: {loads}. The simulator",
        "  holds about that many live calls (a few more while it churns).",
        f"- Poll interval {INTERVAL:g} s (the floor, so the worst case for CPU and bytes); "
        "times tick once a second.",
        "- **baseline** (`bench/baseline.py`) is rtdash's own app, layout and widgets, but",
        "  each table is Textual's stock `DataTable`, and every poll *and* every one-second",
        "  tick `clear()`s it and adds all rows again with freshly formatted times; an",
        "  unchanged snapshot is redrawn too.",
        "- rtdash and the baseline alternate repeat by repeat in the same run; ratios are",
        "  rtdash's median / the baseline's median (P6: p90 / p90).",
        f"- Repeats: {plan.repeats} (P2: {plan.p2_repeats} starts after one uncounted start "
        "each; P1: "
        f"{plan.p1_ticks} refresh ticks per repeat; P6: {plan.p6_changes} changes).",
        "- **P1** in-process, `App.run_test(size=(160, 48))` with a driver that renders every",
        "  frame to escape codes: `time.process_time()` around one new snapshot posted",
        "  (`CallsUpdated` + `UsersUpdated`) and drawn, then `tick()` half a second later",
        "  and drawn; the sim advances 1 s per refresh tick and the frozen clock with it.",
        "  Fetching and parsing are outside the timed part (the same code for both).",
        f"  The first {plan.p1_warmup} refresh ticks are not counted.",
        "- Steady state: P1, P3 and P4 start counting after the alert flash that a start-up",
        "  breach sets off (10 s, `flash_seconds`); both apps draw that flash alike.",
        "- **P2** `python -m rtdash --base-url … --igrp … --interval 1` (and",
        "  `python -m bench.baseline` with the same flags) in a pty, credentials in the",
        "  environment, an empty HOME: seconds from spawn to `data as of` on the terminal;",
        "  an uncounted first start writes the bytecode caches, as an install would have.",
        f"- **P3** bytes read from the pty master over {plan.p3_window:g} s after "
        f"{plan.p3_warmup:g} s of warm-up,",
        "  the simulated centre running in real time (speed 1).",
        f"- **P4** utime+stime of the child from /proc over {plan.p4_window:g} s: paused "
        "(`p`), and live",
        f"  on a frozen centre (polls return the same rows; only the clock moves), after "
        f"{plan.p4_warmup:g} s.",
        "- **P5** VmHWM of the child after the first data and "
        f"{plan.p5_window:g} s of a live centre.",
        "- **P6** the app in-process, the simulator in a process of its own (a real service",
        "  builds its answers on another machine, not under the app's GIL): at a random",
        "  moment between polls the simulator gains a new call; the delay runs from then to",
        "  the first frame written once that call is in its table.",
        "- **Framework floor** `python -m bench.floor_app` in the same pty and clean",
        "  environment: a one-line status (Line API, `data as of HH:MM:SS`) over 40 `Static`",
        "  rows. Start: as P2 (`data as of` is in its first frame), bare and with `--stack`",
        "  (httpx, pydantic and platformdirs imported first, as rtdash imports them before",
        "  its first poll). CPU: as P4, with the status redrawn once a second (`refresh()`),",
        "  `--ticking` with the status and a time on each of 40 Line API rows redrawn once",
        "  a second (a live dashboard's times in state), and `--still` with nothing redrawn.",
    ]


def profile_section(profile: Profile | None, plan: Plan) -> list[str]:
    if plan.profile_load is None:
        return ["Not taken in this run (`--quick` or `--no-profile`)."]
    if profile is None:
        return [
            "Not taken: pyinstrument is not installed (`pip install pyinstrument`, then",
            "rerun `python -m bench --only P1`).",
        ]
    load = LOADS[plan.profile_load]
    lines = [
        f"pyinstrument on rtdash's P1 path at the {load.name} load ({plan.profile_ticks} "
        f"refresh ticks after {plan.p1_warmup} uncounted, as P1; "
        f"{profile.busy:.2f} s sampled while busy).",
        "",
        "Top 5 by self time (the function running), with the rtdash function that led there:",
        "",
        "| # | function | share | through |",
        "| --- | --- | --- | --- |",
    ]
    for index, spot in enumerate(profile.leaves, 1):
        lines.append(f"| {index} | `{spot.frame}` | {spot.share:.0%} | {spot.via or '—'} |")
    lines += [
        "",
        "Where the event loop's time went (first frame below the loop's plumbing):",
        "",
        "| function | share |",
        "| --- | --- |",
    ]
    for spot in profile.entries:
        lines.append(f"| `{spot.frame}` | {spot.share:.0%} |")
    lines += [
        "",
        "rtdash's own functions by inclusive time:",
        "",
        "| function | share |",
        "| --- | --- |",
    ]
    for spot in profile.own:
        lines.append(f"| `{spot.frame}` | {spot.share:.0%} |")
    return lines


def write_report(
    path: Path,
    rows: Sequence[Row],
    *,
    plan: Plan,
    floor: Sequence[FloorRow] = (),
    scale: ScaleResult | None = None,
    profile: Profile | None,
    elapsed: float,
    argv: Sequence[str] | None,
    failures: Sequence[str] = (),
    measured: Sequence[str] | None = None,
    load: tuple[tuple[float, ...], tuple[float, ...]] | None = None,
) -> None:
    """Write the report; with ``measured`` (the measures this run ran, when not all),
    the other measures' rows and sections are carried over from the report at
    ``path`` (see :mod:`bench.merge`)."""
    from bench import scale_report as scaling
    from bench.merge import Carried, carry_over, merged, source_lines
    from bench.plan import MEASURES

    command = "python -m bench" + ("".join(f" {arg}" for arg in argv) if argv else "")
    carried = carry_over(path, measured, MEASURES) if measured is not None else Carried()
    done = [m for m in (measured or MEASURES) if m not in carried.measures]
    header = headline(rows)
    targets = merged([*header[2:], *scaling.target_lines(scale)], carried.targets, MEASURES)
    full = table(rows)
    lines = [
        "# rtdash benchmark results",
        "",
        f"Produced by `{command}` in {elapsed / 60:.1f} min. "
        + (
            "**Quick mode: tiny loads, one repeat — a check that the harness works, not a result.**"
            if plan.quick
            else ""
        ),
    ]
    if carried.measures:
        lines += [
            "",
            f"Measured in this run: {', '.join(done)}. Carried over unchanged from the report "
            f"this one replaced: {', '.join(carried.measures)}, measured in these runs:",
            "",
            *source_lines(carried.sources),
        ]
    machine_rows = machine()
    if load is not None:
        machine_rows["load average (1, 5, 15 min)"] = (
            f"{_load(load[0])} at the start of this run, {_load(load[1])} at its end"
        )
    lines += [
        "",
        "## Machine",
        "",
        "| | |",
        "| --- | --- |",
        *(f"| {key} | {value} |" for key, value in machine_rows.items()),
        "",
        "## Targets",
        "",
        *header[:2],
        *targets,
        "",
        "## Scaling",
        "",
        *(carried.sections.get("Scaling") or scaling.section(scale, plan)),
        "",
        "## Framework floor",
        "",
        *(carried.sections.get("Framework floor") or floor_section(floor)),
        "",
        "## All results",
        "",
        *full[:2],
        *merged(full[2:], carried.results, MEASURES),
        "",
    ]
    notes = [f"- {row.measure} {row.load}: {note}" for row in rows for note in row.notes]
    notes = merged(notes, carried.notes, MEASURES)
    if notes:
        lines += ["Notes:", "", *notes, ""]
    if failures:
        lines += ["## Measures that failed", "", *(f"- {line}" for line in failures), ""]
    lines += ["## Method", "", *method(plan), *scaling.method(plan), "", "## Profile", ""]
    if "Profile" in carried.sections:
        lines += carried.sections["Profile"]
    else:
        lines += profile_section(profile, plan)
        if profile is not None and profile.text:
            lines += ["", "<details><summary>pyinstrument's call tree</summary>", "", "```"]
            lines += profile.text.strip("\n").splitlines()
            lines += ["```", "", "</details>"]
    lines += kept_sections(path)
    path.write_text("\n".join(lines) + "\n")


def _load(values: tuple[float, ...]) -> str:
    return " / ".join(f"{value:.2f}" for value in values)


#: sections other benchmarks write into RESULTS.md between these markers: kept as they are
KEPT_BEGIN, KEPT_END = "<!-- kept:", "<!-- /kept -->"


def kept_sections(path: Path) -> list[str]:
    """The marked sections of the existing report, so a full run does not erase them."""
    try:
        text = path.read_text()
    except OSError:
        return []
    kept: list[str] = []
    while KEPT_BEGIN in text:
        start = text.index(KEPT_BEGIN)
        end = text.find(KEPT_END, start)
        if end < 0:
            break
        kept += ["", *text[start : end + len(KEPT_END)].splitlines()]
        text = text[end + len(KEPT_END) :]
    return kept


def write_kept(path: Path, name: str, lines: Sequence[str]) -> None:
    """Put ``lines`` into RESULTS.md as the kept section ``name`` (replacing the one
    there, else at the end), for scripts that measure on their own (a soak, the hub,
    the SSH link): a later ``python -m bench`` keeps the section as it is."""
    begin = f"{KEPT_BEGIN}{name} -->"
    body = "\n".join([begin, *lines, KEPT_END])
    text = path.read_text() if path.exists() else "# rtdash benchmark results\n"
    if begin in text:
        start = text.index(begin)
        end = text.index(KEPT_END, start) + len(KEPT_END)
        text = text[:start] + body + text[end:]
    else:
        text = text.rstrip("\n") + "\n\n" + body + "\n"
    path.write_text(text)
