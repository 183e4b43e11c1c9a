"""A process's memory as Linux reports it in ``/proc/PID/status``: the one reader the
measures share (the resident set now, ``VmRSS``, or its peak, ``VmHWM``)."""

from __future__ import annotations

from pathlib import Path


def status_mb(pid: int, field: str = "VmRSS") -> float:
    """``field`` of ``pid``'s status, in MB (the kernel says kB)."""
    prefix = f"{field}:"
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(prefix):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} in /proc/{pid}/status")
