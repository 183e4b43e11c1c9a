"""Make the README's images from the snapshot tests' SVGs.

The snapshots are the source of truth (frozen clock, fixed simulator seed), so the
images show exactly what the tests check. Run after ``pytest tests/ui --snapshot-update``:

    python screenshots/make.py

Needs ``rsvg-convert`` (Debian: librsvg2-bin).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SNAPSHOTS = HERE.parent / "tests" / "ui" / "__snapshots__" / "test_snapshots"

#: image name -> snapshot name
IMAGES = {
    "dashboard-160x48": "test_dashboard[160x48]",
    "dashboard-80x24": "test_dashboard[80x24]",
    "lookup-80x24": "test_lookup_advanced[80x24]",
    "lookup-160x48": "test_lookup_advanced[160x48]",
    "lookup-basic-80x24": "test_lookup_basic_mode[80x24]",
    "help-80x24": "test_help[80x24]",
    "palette-80x24": "test_palette_on_exp",
    "replay-80x24": "test_replay[80x24]",
    "replay-160x48": "test_replay[160x48]",
    "wallboard-320x90": "test_wallboard[320x90]",
    "wallboard-240x67": "test_wallboard[240x67]",
    "wallboard-no-color-160x48": "test_wallboard_no_color[160x48]",
    "wallboard-light-160x48": "test_wallboard_light_theme[160x48]",
    "wallboard-160x48": "test_wallboard[160x48]",
    "wallboard-80x24": "test_wallboard[80x24]",
}


_RUN = re.compile(r'x="([\d.]+)"( y="[\d.]+") textLength="([\d.]+)"([^>]*)>((?:&#160;)+)([^<]*)<')


def _unindent(match: re.Match[str]) -> str:
    """A text run that starts with spaces starts at its first glyph instead."""
    x, y, length, rest, spaces, text = match.groups()
    if not text:
        return match.group(0)
    cells = spaces.count("&#160;") + len(re.sub(r"&#?\w+;", "_", text))
    cell = float(length) / cells
    shift = cell * spaces.count("&#160;")
    return f'x="{float(x) + shift:g}"{y} textLength="{float(length) - shift:g}"{rest}>{text}<'


def readable_svg(svg: str) -> str:
    """librsvg drops the spaces a text run starts with and then stretches the rest over
    the run's length, so right-aligned numbers and block digits move; each run is
    made to start at its first glyph, which draws the same in every renderer."""
    return _RUN.sub(_unindent, svg)


def convert(converter: str, source: Path, target: Path) -> None:
    with tempfile.NamedTemporaryFile("w", suffix=".svg", encoding="utf-8") as fixed:
        fixed.write(readable_svg(source.read_text(encoding="utf-8")))
        fixed.flush()
        subprocess.run([converter, fixed.name, "-o", str(target)], check=True)


def main() -> int:
    converter = shutil.which("rsvg-convert")
    if converter is None:
        print("rsvg-convert not found: apt-get install librsvg2-bin")
        return 1
    for image, snapshot in IMAGES.items():
        source = SNAPSHOTS / f"{snapshot}.svg"
        if not source.is_file():
            print(f"missing snapshot {source.name}: run pytest tests/ui --snapshot-update")
            return 1
        convert(converter, source, HERE / f"{image}.png")
    print(f"wrote {len(IMAGES)} images to {HERE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
