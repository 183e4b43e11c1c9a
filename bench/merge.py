"""``python -m bench --only …``: what the report it replaces said about the other measures.

A run of some measures rewrites bench/RESULTS.md; the rows, notes and sections of the
measures it did not run are read back from the old report's text and carried over
as they were, so measuring SCALE alone does not wipe P1–P6 (the report says which
measures were carried and which run produced them).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path

#: the sections that belong to one measure: carried whole when it did not run
SECTION_OF = {"Framework floor": "FLOOR", "Scaling": "SCALE", "Profile": "P1"}


@dataclass
class Carried:
    #: measures whose figures were carried over
    measures: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    results: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: whole sections by heading (without the "## " line)
    sections: dict[str, list[str]] = field(default_factory=dict)
    #: the old report's "Produced by" line
    produced: str = ""
    #: the old report's date and revision (its machine table is replaced)
    when: str = ""
    #: where each carried measure was measured: (source, measures), a source being the
    #: command, date and revision of the run that measured them
    sources: list[tuple[str, list[str]]] = field(default_factory=list)


def measure_of(line: str) -> str:
    """``| P1 CPU …`` or ``- P1 small: …`` -> ``P1``."""
    parts = line[2:].split(" ", 1)
    return parts[0] if parts else ""


def sections(text: str) -> dict[str, list[str]]:
    """The report's ``## `` sections up to the first kept section, by heading."""
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.splitlines():
        if line.startswith("<!-- kept:"):
            break
        if line.startswith("## "):
            current = found.setdefault(line[3:].strip(), [])
        elif current is not None:
            current.append(line)
    return found


def carry_over(path: Path, measured: Collection[str], known: Sequence[str]) -> Carried:
    """What the report at ``path`` says about the measures in ``known`` that are not in
    ``measured``."""
    carried = Carried()
    try:
        text = path.read_text()
    except OSError:
        return carried
    missing = [measure for measure in known if measure not in measured]
    if not missing:
        return carried
    parts = sections(text)
    for line in text.splitlines():
        if line.startswith("Produced by "):
            carried.produced = line
            break
    machine = dict(
        (cells[1].strip(), cells[2].strip())
        for cells in (line.split("|") for line in parts.get("Machine", []))
        if len(cells) >= 4
    )
    carried.when = ", ".join(
        f"{key} {machine[key]}" for key in ("date", "rtdash", "CPU") if machine.get(key)
    )
    table = [line for line in parts.get("Targets", []) if line.startswith("| ")]
    carried.targets = [line for line in table[2:] if measure_of(line) in missing]
    results = parts.get("All results", [])
    rows = [line for line in results if line.startswith("| ")]
    carried.results = [line for line in rows[2:] if measure_of(line) in missing]
    carried.notes = [
        line for line in results if line.startswith("- ") and measure_of(line) in missing
    ]
    for heading, measure in SECTION_OF.items():
        if measure in missing and heading in parts:
            carried.sections[heading] = _trim(parts[heading])
    seen = {measure_of(line) for line in carried.targets + carried.results + carried.notes}
    # the profile alone is no figure of P1's (it may say it was not taken)
    seen |= {SECTION_OF[heading] for heading in carried.sections if heading != "Profile"}
    carried.measures = [measure for measure in missing if measure in seen]
    carried.sources = _sources(text, carried)
    return carried


#: how the report names the run each carried measure comes from (one line per run)
SOURCE_LINE, SOURCE_SPLIT = "- carried from ", " — measures: "


def source_lines(sources: Sequence[tuple[str, list[str]]]) -> list[str]:
    return [f"{SOURCE_LINE}{source}{SOURCE_SPLIT}{', '.join(ms)}" for source, ms in sources]


def _sources(text: str, carried: Carried) -> list[tuple[str, list[str]]]:
    """The old report's own run for what it measured; the runs it named for what it
    carried itself, so a chain of ``--only`` runs still says where each figure is from."""
    head = text.split("\n## ", 1)[0]
    earlier: dict[str, str] = {}
    for line in head.splitlines():
        if line.startswith(SOURCE_LINE) and SOURCE_SPLIT in line:
            source, measures = line[len(SOURCE_LINE) :].rsplit(SOURCE_SPLIT, 1)
            for measure in measures.split(", "):
                earlier[measure.strip()] = source
    own = carried.produced.removeprefix("Produced by ").rstrip(" .")
    own = f"{own}; {carried.when}" if carried.when else own
    grouped: dict[str, list[str]] = {}
    for measure in carried.measures:
        grouped.setdefault(earlier.get(measure, own), []).append(measure)
    return list(grouped.items())


def merged(new: Sequence[str], old: Sequence[str], order: Sequence[str]) -> list[str]:
    """Table lines of this run and carried ones, in the measures' order."""

    def rank(line: str) -> int:
        measure = measure_of(line)
        return order.index(measure) if measure in order else len(order)

    return sorted([*new, *old], key=rank)


def _trim(lines: list[str]) -> list[str]:
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return lines[start:end]
