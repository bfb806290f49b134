"""Per-shard event lists between the webhook and the workers: one queue job drains many events.

A job per event costs more in queue bookkeeping (RQ: ~12 ms) than answering it. So the webhook
appends each new event to the list of its shard (shard = hash of the resident, which keeps each
resident's messages in order) and enqueues a drain job only when that shard has none pending
(a flag set with SET NX). The drain job moves events one batch at a time into the shard's
"processing" list (at least once: a crashed drainer's events are found there by the next one),
acknowledges them once answered, and clears its flag only when the list is empty (checked
atomically, so an event pushed meanwhile is never left without a drainer).

Redis backs it in production (one Lua call per webhook POST: de-duplicate + push + flag); the
embedded default keeps the same lists in memory, under a lock.
"""
from __future__ import annotations

import threading
import time
import zlib
from collections import deque
from typing import Protocol

from flask import current_app

SHARDS = 16
FLAG_TTL = 30  # seconds; refreshed on every batch taken and acknowledged and every 5 s of a batch's sends,
# so only a dead drainer lets it lapse (its events wait that long, then the next sweep takes them)


def shard_of(user: str) -> int:
    return zlib.crc32(user.encode()) % SHARDS


class Inbox(Protocol):
    def admit(self, items: list[tuple[str, int, str]], dedup_ttl: float) -> tuple[list[bool], list[int]]:
        """(dedup key, shard, payload) → whether each was new (and queued), shards needing a drain job."""
    def take(self, shard: int, limit: int) -> list[str]: ...
    def ack(self, shard: int, count: int = 1) -> None:
        """The first `count` events taken are answered: drop them from the processing list."""
    def release(self, shard: int) -> bool:
        """Clear the shard's flag if nothing is waiting; False means more events came (keep draining)."""
    def abandon(self, shard: int) -> None:
        """Clear the flag after a failed drain-job enqueue or a drain that gave up, so the next
        event or sweep starts a drainer again."""
    def claim_orphans(self) -> list[int]:
        """Shards holding events with no drainer (one died and its flag lapsed): flag them, return them."""
    def hold(self, shard: int, seconds: float) -> None:
        """Keep the shard's flag for `seconds` (a drain put off until then): no other drainer meanwhile."""
    def depth(self) -> tuple[int, int | None]:
        """Events waiting or being answered in all shards, and when the oldest first-in-shard one was queued (ms)."""


class MemoryInbox:
    """The embedded default: the store de-duplicates, the lists live in this process."""

    def __init__(self, store) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._pending: dict[int, deque[str]] = {}
        self._processing: dict[int, deque[str]] = {}
        self._flags: set[int] = set()
        self._held: dict[int, float] = {}  # shard -> when its hold lapses (a drain put off)

    def admit(self, items, dedup_ttl):
        fresh, wake = [], []
        with self._lock:
            for key, shard, payload in items:
                new = self.store.set_if_absent(f"dedup:{key}", "1", ttl=dedup_ttl)
                fresh.append(new)
                if new:
                    self._pending.setdefault(shard, deque()).append(payload)
            for shard in dict.fromkeys(s for (_k, s, _p), new in zip(items, fresh) if new):
                if shard not in self._flags:
                    self._flags.add(shard)
                    wake.append(shard)
        return fresh, wake

    def take(self, shard, limit):
        with self._lock:
            if shard in self._held:  # a drainer at work keeps its flag, as a Redis take refreshes its TTL
                self._held[shard] = time.monotonic() + FLAG_TTL
            processing = self._processing.setdefault(shard, deque())
            pending = self._pending.setdefault(shard, deque())
            while pending and len(processing) < limit:
                processing.append(pending.popleft())
            return list(processing)

    def ack(self, shard, count=1):
        with self._lock:
            processing = self._processing[shard]
            for _ in range(min(count, len(processing))):
                processing.popleft()

    def release(self, shard):
        with self._lock:
            if self._pending.get(shard) or self._processing.get(shard):
                return False
            self._flags.discard(shard)
            self._held.pop(shard, None)
            return True

    def abandon(self, shard):
        with self._lock:
            self._flags.discard(shard)
            self._held.pop(shard, None)

    def hold(self, shard, seconds):
        with self._lock:
            self._flags.add(shard)
            self._held[shard] = time.monotonic() + seconds

    def depth(self):
        with self._lock:
            count = sum(map(len, self._pending.values())) + sum(map(len, self._processing.values()))
            heads = [q[0] for q in (*self._processing.values(), *self._pending.values()) if q]
        return count, _oldest(heads)

    def claim_orphans(self):
        with self._lock:
            for shard, until in list(self._held.items()):
                if until <= time.monotonic():  # the hold lapsed, as a Redis flag's TTL does
                    del self._held[shard]
                    self._flags.discard(shard)
            waiting = {s for s, q in self._pending.items() if q} | {s for s, q in self._processing.items() if q}
            claimed = sorted(waiting - self._flags)
            self._flags.update(claimed)
            return claimed


_ADMIT = """
-- ARGV: dedup ttl ms, flag ttl ms, then (dedup key, shard, payload) triples; KEYS unused (one node)
local prefix = ARGV[3]
local fresh, wake = {}, {}
for i = 4, #ARGV, 3 do
  local new = redis.call('SET', prefix .. 'dedup:' .. ARGV[i], '1', 'NX', 'PX', ARGV[1])
  if new then
    redis.call('RPUSH', prefix .. 'inbox:' .. ARGV[i + 1], ARGV[i + 2])
    if redis.call('SET', prefix .. 'inbox:' .. ARGV[i + 1] .. ':flag', '1', 'NX', 'PX', ARGV[2]) then
      wake[#wake + 1] = tonumber(ARGV[i + 1])
    end
    fresh[#fresh + 1] = 1
  else
    fresh[#fresh + 1] = 0
  end
end
return {fresh, wake}
"""

_TAKE = """
-- KEYS: pending, processing; ARGV: batch size. Leftovers of a dead drainer come first.
local have = redis.call('LLEN', KEYS[2])
for _ = have + 1, tonumber(ARGV[1]) do
  if not redis.call('LMOVE', KEYS[1], KEYS[2], 'LEFT', 'RIGHT') then break end
end
return redis.call('LRANGE', KEYS[2], 0, -1)
"""

_RELEASE = """
-- KEYS: pending, processing, flag
if redis.call('LLEN', KEYS[1]) > 0 or redis.call('LLEN', KEYS[2]) > 0 then return 0 end
redis.call('DEL', KEYS[3])
return 1
"""


_CLAIM_ORPHANS = """
-- ARGV: key prefix, number of shards, flag ttl ms
local claimed = {}
for s = 0, tonumber(ARGV[2]) - 1 do
  local base = ARGV[1] .. 'inbox:' .. s
  if (redis.call('LLEN', base) > 0 or redis.call('LLEN', base .. ':processing') > 0)
     and redis.call('SET', base .. ':flag', '1', 'NX', 'PX', ARGV[3]) then
    claimed[#claimed + 1] = s
  end
end
return claimed
"""


class RedisInbox:
    """Production: the lists, flags and de-duplication keys on the store's Redis."""

    def __init__(self, store) -> None:
        self.redis = store.redis
        self.prefix = store.prefix
        self._admit = self.redis.register_script(_ADMIT)
        self._take = self.redis.register_script(_TAKE)
        self._release = self.redis.register_script(_RELEASE)
        self._claim_orphans = self.redis.register_script(_CLAIM_ORPHANS)

    def _keys(self, shard: int) -> tuple[str, str, str]:
        base = f"{self.prefix}inbox:{shard}"
        return base, base + ":processing", base + ":flag"

    def admit(self, items, dedup_ttl):
        args: list = [int(dedup_ttl * 1000), FLAG_TTL * 1000, self.prefix]
        for key, shard, payload in items:
            args += [key, shard, payload]
        fresh, wake = self._admit(args=args)
        return [bool(f) for f in fresh], [int(s) for s in wake]

    def take(self, shard, limit):
        pending, processing, flag = self._keys(shard)
        self.redis.pexpire(flag, FLAG_TTL * 1000)
        return list(self._take(keys=[pending, processing], args=[limit]))

    def ack(self, shard, count=1):
        _pending, processing, flag = self._keys(shard)
        pipe = self.redis.pipeline(transaction=False)
        pipe.ltrim(processing, count, -1)
        pipe.pexpire(flag, FLAG_TTL * 1000)
        pipe.execute()

    def release(self, shard):
        return bool(self._release(keys=list(self._keys(shard))))

    def abandon(self, shard):
        self.redis.delete(self._keys(shard)[2])

    def hold(self, shard, seconds):
        self.redis.pexpire(self._keys(shard)[2], int(seconds * 1000))

    def depth(self):
        pipe = self.redis.pipeline(transaction=False)
        for shard in range(SHARDS):
            pending, processing, _flag = self._keys(shard)
            pipe.llen(pending)
            pipe.llen(processing)
            pipe.lindex(processing, 0)
            pipe.lindex(pending, 0)
        answers = pipe.execute()
        count = sum(answers[i] + answers[i + 1] for i in range(0, len(answers), 4))
        heads = [answers[i + 2] or answers[i + 3] for i in range(0, len(answers), 4)]
        return count, _oldest([h for h in heads if h])

    def claim_orphans(self):
        return [int(s) for s in self._claim_orphans(args=[self.prefix, SHARDS, FLAG_TTL * 1000])]


def _oldest(heads: list[str]) -> int | None:
    """The earliest queueing time (ms) among the first events of the shards (readiness, not the hot path)."""
    import json

    times = []
    for raw in heads:
        try:
            stamp = json.loads(raw).get("queued_ms")
        except (ValueError, AttributeError):
            continue
        if isinstance(stamp, int):
            times.append(stamp)
    return min(times) if times else None


_build_lock = threading.Lock()


def inbox(app=None) -> Inbox:
    """This app's inbox (default: the current app's), on the same backend as its store."""
    extensions = (app if app is not None else current_app).extensions
    if "inbox" not in extensions:
        with _build_lock:
            if "inbox" not in extensions:
                store = extensions["store"]
                extensions["inbox"] = RedisInbox(store) if hasattr(store, "redis") else MemoryInbox(store)
    return extensions["inbox"]
