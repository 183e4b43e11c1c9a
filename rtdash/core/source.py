"""Where an installation's snapshots come from: the contract every source keeps.

A *source* produces calls snapshots, users snapshots and status for one installation and
hands them to a :class:`SnapshotSink` (in practice the installation's live feed). Three
sources keep this contract: the poller (the upstream over HTTP), the replay player (a
recording) and the hub subscriber (another process's poller, through Redis). The feed
and the screens depend on this protocol only, never on which source is behind it, so a
new way of receiving snapshots needs no change to what draws them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from rtdash.core.poller_status import PollerStatus
    from rtdash.core.snapshot import CallsSnapshot, UsersSnapshot


class SnapshotSink(Protocol):
    """What a source delivers to. Each method is called on the event loop that runs
    the source, and must return quickly: a sink does no I/O of its own."""

    def on_calls(self, snapshot: CallsSnapshot) -> None:
        """A calls snapshot (possibly ``unchanged``: the same rows as the last one)."""

    def on_users(self, snapshot: UsersSnapshot) -> None:
        """A users snapshot (possibly ``unchanged``)."""

    def on_status(self, status: PollerStatus) -> None:
        """The source's health changed, or time passed that the status shows."""


@runtime_checkable
class Source(Protocol):
    """Run, pause, refresh and stop: all a screen may ask of where its data comes from."""

    @property
    def paused(self) -> bool:
        """True while the source delivers nothing new."""

    async def run(self) -> None:
        """Deliver to the sink until :meth:`stop`; never raises for upstream faults (they
        arrive as status)."""

    def pause(self) -> None:
        """Stop delivering new snapshots; the sink keeps what it has."""

    def resume(self) -> None:
        """Deliver again, starting with a fresh snapshot at once."""

    def refresh_now(self) -> None:
        """One fresh snapshot now; paused, it stays paused afterwards."""

    def stop(self) -> None:
        """End :meth:`run`; idempotent."""
