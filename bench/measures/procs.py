"""Finding the rtdash apps a server started: ``rtdash serve`` runs one per browser tab,
in its own process group, and both the browser tests and the hub bench count them."""

from __future__ import annotations

from pathlib import Path


def rtdash_processes(group: int) -> list[int]:
    """Running ``python -m rtdash`` processes in process group ``group``, not counting
    the group's leader (the server itself) nor zombies."""
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            stat = (proc / "stat").read_text().rsplit(")", 1)[1].split()
            argv = (proc / "cmdline").read_bytes().split(b"\0")
        except (OSError, IndexError):
            continue
        if (
            int(stat[2]) == group
            and int(proc.name) != group
            and stat[0] not in "ZX"
            and argv[1:3] == [b"-m", b"rtdash"]
        ):
            found.append(int(proc.name))
    return found
