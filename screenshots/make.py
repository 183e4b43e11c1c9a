"""Make the README's images from the snapshot tests' SVGs.

The snapshots are the source of truth (frozen clock, fixed simulator seed), so the
images show exactly what the tests check. Run after ``pytest tests/ui --snapshot-update``:

    python screenshots/make.py

Needs ``rsvg-convert`` (Debian: librsvg2-bin).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
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
    "stale-80x24": "test_paused_and_stale[80x24]",
    "wallboard-240x67": "test_wallboard[240x67]",
    "wallboard-160x48": "test_wallboard[160x48]",
    "wallboard-80x24": "test_wallboard[80x24]",
}


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
        subprocess.run([converter, str(source), "-o", str(HERE / f"{image}.png")], check=True)
    print(f"wrote {len(IMAGES)} images to {HERE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
