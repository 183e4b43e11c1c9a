"""Write one ``<!-- kept:NAME -->`` section of RESULTS.md in place.

A full ``python -m bench`` run rewrites the report but keeps every such section as it
is (:func:`bench.report.kept_sections`), so the long or separate measures (the soak, the
start trace, the SSH link) keep their latest figures between full runs.
"""

from __future__ import annotations

from pathlib import Path

from bench.report import KEPT_END

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def write_section(name: str, lines: list[str], path: Path = RESULTS) -> None:
    """Replace section ``name`` (or append it) with ``lines``, markers added here."""
    begin = f"<!-- kept:{name} -->"
    body = "\n".join([begin, *lines, KEPT_END])
    text = path.read_text() if path.exists() else "# rtdash benchmark results\n"
    if begin in text:
        start = text.index(begin)
        end = text.index(KEPT_END, start) + len(KEPT_END)
        text = text[:start] + body + text[end:]
    else:
        text = text.rstrip("\n") + "\n\n" + body + "\n"
    path.write_text(text)
