"""Exactly one poller per installation: a lease in Redis, with a fencing token.

Acquiring takes the next number of a counter (the fencing token) and stores
``<token>:<holder>`` under the lease key with an expiry, only if no lease exists
(``SET NX PX`` in one script with the ``INCR``). Renewing and releasing compare the
stored value first (compare-and-set in Lua), so a holder whose lease ran out can never
extend or delete its successor's. Every publish goes through a script that makes the
same comparison (:data:`PUBLISH`): a leader that was paused past its lease (SIGSTOP, a
long GC, a network pause) and wakes up still believing it leads has its writes refused.
The holder id is random per process, so even after a Redis restart that lost the
counter, a new lease never equals an old one.
"""

from __future__ import annotations

import secrets
import socket
from typing import Any

from rtdash.hub.keys import HubKeys

ACQUIRE = """
if redis.call('EXISTS', KEYS[1]) == 1 then return false end
local token = redis.call('INCR', KEYS[2])
local value = token .. ':' .. ARGV[1]
redis.call('SET', KEYS[1], value, 'PX', ARGV[2])
return value
"""

RENEW = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
"""

RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
"""

#: KEYS: lease, latest, history, trend, channel.
#: ARGV: lease value; field of the latest-state hash; the frame (stored under that
#: field and published); history retention in ms; a trend entry ('' for none); '1' to
#: keep the frame in the history stream; a field of the latest state to delete ('' for
#: none); the frame's kind; '0' to store it without publishing it (absent: publish);
#: the frame to publish instead (a delta; '' or absent: the same); the frame to keep in
#: the history instead ('' or absent: the same); '1' when the publisher holds trend
#: entries (it published them, or read them as a standby), so a trend stream that is
#: gone was lost (absent: '0').
#: Stream ids and trimming use the Redis server's clock, so the hosts' clocks never
#: matter. Returns 0 (refused: not the lease's holder), the trend entry's id, ``lost``
#: (the trend stream was lost: the entry is not added, for the publisher to put the
#: stream back first, :mod:`rtdash.hub.trend_kept`), or 1 (no trend entry).
PUBLISH = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
local now = redis.call('TIME')
local now_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local minid = tostring(now_ms - tonumber(ARGV[4]))
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3], 'beat', now_ms, 'holder', ARGV[1])
if ARGV[7] ~= '' then redis.call('HDEL', KEYS[2], ARGV[7]) end
local wire = ARGV[3]
if ARGV[10] and ARGV[10] ~= '' then wire = ARGV[10] end
local kept = ARGV[3]
if ARGV[11] and ARGV[11] ~= '' then kept = ARGV[11] end
if ARGV[6] == '1' then
  redis.call('XADD', KEYS[3], 'MINID', '~', minid, '*', 'k', ARGV[8], 'f', kept, 'h', ARGV[1])
end
local answer = 1
if ARGV[5] ~= '' then
  if ARGV[12] == '1' and redis.call('EXISTS', KEYS[4]) == 0 then
    answer = 'lost'
  else
    answer = redis.call('XADD', KEYS[4], 'MINID', '~', minid, '*', 'v', ARGV[5])
  end
end
if ARGV[9] ~= '0' then redis.call('PUBLISH', KEYS[5], wire) end
return answer
"""


def new_holder() -> str:
    """This process's id in the lease: the host (for people reading it) and a random
    part (so no two processes, and no process before and after a restart, share it)."""
    return f"{socket.gethostname()}-{secrets.token_hex(4)}"


class Lease:
    """One installation's lease as seen by one hub process."""

    def __init__(self, redis: Any, keys: HubKeys, holder: str, ttl: float) -> None:
        self.redis = redis
        self.keys = keys
        self.holder = holder
        self.ttl_ms = max(100, int(ttl * 1000))
        #: ``<token>:<holder>`` while this process believes it holds the lease
        self.value: str | None = None
        self._acquire = redis.register_script(ACQUIRE)
        self._renew = redis.register_script(RENEW)
        self._release = redis.register_script(RELEASE)

    @property
    def token(self) -> int | None:
        return int(self.value.split(":", 1)[0]) if self.value else None

    async def acquire(self) -> bool:
        got = await self._acquire(
            keys=[self.keys.lease, self.keys.fence], args=[self.holder, self.ttl_ms]
        )
        self.value = _text(got) if got else None
        return self.value is not None

    async def renew(self) -> bool:
        if self.value is None:
            return False
        kept = await self._renew(keys=[self.keys.lease], args=[self.value, self.ttl_ms])
        if not kept:
            self.value = None
        return bool(kept)

    async def release(self) -> None:
        """Hand over at once on a clean exit, instead of making a standby wait out the
        lease."""
        if self.value is not None:
            value, self.value = self.value, None
            await self._release(keys=[self.keys.lease], args=[value])


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
