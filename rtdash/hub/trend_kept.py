"""Every hub's own copy of the trend, to put back what Redis loses.

Redis restarted without persistence (or failed over to an empty replica, or evicted or
lost the key) holds no trend, while the hubs are still running: a viewer that joins then
would draw an empty hour although the points exist. So every hub keeps the trend with
the ids Redis gave it, as far back as a joining viewer reads
(:data:`~rtdash.hub.trend.WINDOW_MINUTES`, or the history's retention if shorter): an
hour is a few thousand entries, where the whole retention (a day) would be tens of
megabytes per installation. The leader keeps each entry it publishes; a standby reads
the stream as a viewer does (:meth:`KeptTrend.follow`), because the hub that takes the
lease after an empty restart may well be a standby (the leader went down with Redis, or
lost the race for the new lease), and it must have the hour to put back.

The publish script says when the stream it appends to is gone while this copy holds
entries (:data:`~rtdash.hub.lease.PUBLISH` returns ``lost`` and adds nothing); only
then are the entries written back, with their own ids (so a viewer reads them by time
as before, and one that read some by id does not read them again), and the new entry
after them. A publish that finds the stream in place costs nothing more: the trend is
never rewritten on every publish, and a standby that takes over a Redis that kept it
adds back nothing it read.
"""

from __future__ import annotations

from collections import deque
from typing import Any

from rtdash.hub.keys import HubKeys
from rtdash.hub.trend import WINDOW_MINUTES

#: the publish script's answer when the trend stream it would append to is gone
LOST = b"lost"
#: entries written back per script call: a long trend is put back in pieces, so Redis
#: never runs one script for seconds while every other client waits
RESTORE_CHUNK = 1000
#: entries a standby reads per call while catching up with the stream: a standby that
#: was away for long reads the hour in pages, never the day's retention at once
FOLLOW_PAGE = 1000

#: KEYS: lease, trend. ARGV: lease value; retention in ms; the new entry to add after
#: the restored ones ('' for none); then pairs of entry id and entry.
#: Fenced as a publish is (a stale leader puts nothing back). An entry older than the
#: retention, or not after the stream's last (a newer leader published meanwhile), is
#: skipped: a stream's ids only grow. Returns 0 (refused), or the new entry's id (1
#: without one).
RESTORE = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
local now = redis.call('TIME')
local now_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local minid = now_ms - tonumber(ARGV[2])
local last_ms, last_seq = -1, -1
local top = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', 1)
if #top > 0 then
  local ms, seq = string.match(top[1][1], '^(%d+)-(%d+)$')
  last_ms, last_seq = tonumber(ms), tonumber(seq)
end
for i = 4, #ARGV, 2 do
  local ms, seq = string.match(ARGV[i], '^(%d+)-(%d+)$')
  ms, seq = tonumber(ms), tonumber(seq)
  if ms >= minid and (ms > last_ms or (ms == last_ms and seq > last_seq)) then
    redis.call('XADD', KEYS[2], ARGV[i], 'v', ARGV[i + 1])
    last_ms, last_seq = ms, seq
  end
end
if ARGV[3] == '' then return 1 end
return redis.call('XADD', KEYS[2], 'MINID', '~', tostring(minid), '*', 'v', ARGV[3])
"""


class KeptTrend:
    """The trend entries this process published or read, by their stream ids, newest
    last."""

    def __init__(self, redis: Any, keys: HubKeys, retention_ms: int) -> None:
        self.keys = keys
        #: Redis's retention: nothing older is put back (Redis would have trimmed it)
        self.retention_ms = retention_ms
        #: how far back entries are kept
        self.window_ms = min(retention_ms, int(WINDOW_MINUTES * 60_000))
        self._redis = redis
        self._restore = redis.register_script(RESTORE)
        self._entries: deque[tuple[bytes, str | bytes]] = deque()
        #: times the stream was found gone and put back (tests, logs)
        self.restores = 0

    @property
    def held(self) -> bool:
        """Whether a missing stream means a loss (this process published into it, or
        read it)."""
        return bool(self._entries)

    @property
    def newest(self) -> bytes | None:
        """The id of the newest entry held: a standby reads on after it."""
        return self._entries[-1][0] if self._entries else None

    def __len__(self) -> int:
        return len(self._entries)

    def keep(self, entry_id: bytes | str, entry: str | bytes) -> None:
        """An entry Redis accepted under ``entry_id``; entries older than the window
        before it go."""
        raw = entry_id.encode() if isinstance(entry_id, str) else entry_id
        self._entries.append((raw, entry))
        oldest = _ms(raw) - self.window_ms
        while self._entries and _ms(self._entries[0][0]) < oldest:
            self._entries.popleft()

    async def follow(self) -> int:
        """Keep what another hub published since the newest entry held (the last
        hour's, for a standby that holds nothing yet); the number of entries read.

        Read newest first and page by page, stopping a window before the stream's
        newest: a standby that was away for hours reads an hour, not the retention.
        Entries not after the newest held are not read again, so none is kept twice;
        a stream that is gone (Redis restarted empty) gives nothing and leaves what is
        held, for whichever hub leads next to put back."""
        after = b"-" if self.newest is None else b"(" + self.newest
        upper: bytes = b"+"
        read: list[tuple[bytes, dict[bytes, bytes]]] = []
        while True:
            page = await self._redis.xrevrange(
                self.keys.trend, max=upper, min=after, count=FOLLOW_PAGE
            )
            read += page
            if len(page) < FOLLOW_PAGE or _ms(read[0][0]) - _ms(read[-1][0]) > self.window_ms:
                break
            upper = b"(" + read[-1][0]
        for entry_id, fields in reversed(read):
            value = fields.get(b"v")
            if value is not None:
                self.keep(entry_id, value)
        return len(read)

    async def restore(self, lease_value: str, entry: str) -> bytes | None:
        """Put back every entry kept, then add ``entry`` (the one whose publish found
        the stream gone): its id, or None when the lease was lost meanwhile (nothing
        more may be written)."""
        keys = [self.keys.lease, self.keys.trend]
        kept = list(self._entries)
        starts = range(0, max(len(kept), 1), RESTORE_CHUNK)  # at least the new entry
        answer: Any = 0
        for start in starts:
            chunk = kept[start : start + RESTORE_CHUNK]
            last = start == starts[-1]
            args: list[Any] = [lease_value, self.retention_ms, entry if last else ""]
            for entry_id, kept_entry in chunk:
                args += [entry_id, kept_entry]
            answer = await self._restore(keys=keys, args=args)
            if not answer:
                return None
        self.restores += 1
        new_id = answer if isinstance(answer, bytes) else str(answer).encode()
        self.keep(new_id, entry)
        return new_id


def _ms(entry_id: bytes) -> int:
    return int(entry_id.split(b"-", 1)[0])
