"""Key-value store with TTLs: Redis in production, an in-process twin on the embedded default.

Both implement the same small interface so sessions, de-duplication and rate limits
run the same code path whichever is configured.
"""
from __future__ import annotations

import threading
import time
from typing import Protocol


class Store(Protocol):
    def get(self, key: str) -> str | None: ...
    def get_many(self, keys: list[str]) -> list[str | None]:
        """The values of several keys in one round trip, in order (None where absent)."""
    def set(self, key: str, value: str, ttl: float | None = None) -> None: ...
    def set_if_absent(self, key: str, value: str, ttl: float | None = None) -> bool: ...
    def incr(self, key: str, ttl: float | None = None) -> int: ...
    def delete(self, key: str) -> None: ...
    def ttl(self, key: str) -> float | None: ...
    def reserve(self, key: str, rate: float, burst: float) -> float:
        """Token bucket shared by every worker: take one token (the bucket may go into debt) and
        return how many seconds the caller must wait before using it (0 when one was free)."""


def _bucket(tokens: float, stamp: float, now: float, rate: float, burst: float) -> tuple[float, float]:
    """The bucket after one reservation at `now`: (tokens left, possibly negative; seconds to wait)."""
    tokens = min(burst, tokens + max(0.0, now - stamp) * rate) - 1
    return tokens, (0.0 if tokens >= 0 else -tokens / rate)


# The same arithmetic in Redis, atomically, on the server's clock (all workers share one clock).
_RESERVE = """
local now = redis.call('TIME')
now = tonumber(now[1]) + tonumber(now[2]) / 1000000
local rate, burst = tonumber(ARGV[1]), tonumber(ARGV[2])
local saved = redis.call('HMGET', KEYS[1], 't', 's')
local tokens = tonumber(saved[1]) or burst
local stamp = tonumber(saved[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - stamp) * rate) - 1
redis.call('HSET', KEYS[1], 't', tostring(tokens), 's', tostring(now))
redis.call('PEXPIRE', KEYS[1], 600000)
if tokens >= 0 then return '0' end
return tostring(-tokens / rate)
"""


class MemoryStore:
    """Thread-safe dict with expiry; valid for one process only."""

    def __init__(self) -> None:
        self._data: dict[str, tuple[str, float | None]] = {}
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def _live(self, key: str) -> tuple[str, float | None] | None:
        item = self._data.get(key)
        if item is not None and item[1] is not None and item[1] <= time.monotonic():
            del self._data[key]
            return None
        return item

    @staticmethod
    def _deadline(ttl: float | None) -> float | None:
        return None if ttl is None else time.monotonic() + ttl

    def get(self, key: str) -> str | None:
        with self._lock:
            item = self._live(key)
            return None if item is None else item[0]

    def get_many(self, keys: list[str]) -> list[str | None]:
        with self._lock:
            return [None if (item := self._live(key)) is None else item[0] for key in keys]

    def set(self, key: str, value: str, ttl: float | None = None) -> None:
        with self._lock:
            self._data[key] = (str(value), self._deadline(ttl))

    def set_if_absent(self, key: str, value: str, ttl: float | None = None) -> bool:
        with self._lock:
            if self._live(key) is not None:
                return False
            self._data[key] = (str(value), self._deadline(ttl))
            return True

    def incr(self, key: str, ttl: float | None = None) -> int:
        """Add one; the TTL is set when the counter is created, like INCR + EXPIRE NX."""
        with self._lock:
            item = self._live(key)
            if item is None:
                self._data[key] = ("1", self._deadline(ttl))
                return 1
            value = int(item[0]) + 1
            self._data[key] = (str(value), item[1])
            return value

    def delete(self, key: str) -> None:
        with self._lock:
            self._data.pop(key, None)

    def ttl(self, key: str) -> float | None:
        with self._lock:
            item = self._live(key)
            if item is None or item[1] is None:
                return None
            return item[1] - time.monotonic()

    def reserve(self, key: str, rate: float, burst: float) -> float:
        with self._lock:
            now = time.monotonic()
            tokens, stamp = self._buckets.get(key, (burst, now))
            tokens, wait = _bucket(tokens, stamp, now, rate, burst)
            self._buckets[key] = (tokens, now)
            return wait


def redis_client(url: str, connect_timeout: float | None = 1.0, socket_timeout: float | None = 1.0,
                 decode_responses: bool = False):
    """A Redis client that fails fast: a hung server (paused, swapping, a dead link) costs at most the
    timeouts, not a hang until the web worker is killed. A dropped connection is retried once at once
    (a restart or failover); a timeout is not retried, so the caller's 503 comes within the timeouts."""
    import redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    return redis.Redis.from_url(url, decode_responses=decode_responses, socket_connect_timeout=connect_timeout,
                                socket_timeout=socket_timeout,
                                retry=Retry(NoBackoff(), 1, supported_errors=(redis.exceptions.ConnectionError,)))


class RedisStore:
    """The same interface on a shared Redis server."""

    def __init__(self, url: str, prefix: str = "bot:", connect_timeout: float | None = 1.0,
                 socket_timeout: float | None = 1.0) -> None:
        self.redis = redis_client(url, connect_timeout, socket_timeout, decode_responses=True)
        self.prefix = prefix
        self._reserve = None  # the token-bucket script, registered on first use (EVALSHA, reloaded if flushed)

    def _k(self, key: str) -> str:
        return self.prefix + key

    @staticmethod
    def _ms(ttl: float | None) -> int | None:
        return None if ttl is None else max(1, int(ttl * 1000))

    def get(self, key: str) -> str | None:
        return self.redis.get(self._k(key))

    def get_many(self, keys: list[str]) -> list[str | None]:
        return self.redis.mget([self._k(key) for key in keys])

    def set(self, key: str, value: str, ttl: float | None = None) -> None:
        self.redis.set(self._k(key), str(value), px=self._ms(ttl))

    def set_if_absent(self, key: str, value: str, ttl: float | None = None) -> bool:
        return bool(self.redis.set(self._k(key), str(value), px=self._ms(ttl), nx=True))

    def incr(self, key: str, ttl: float | None = None) -> int:
        pipe = self.redis.pipeline()
        pipe.incr(self._k(key))
        if ttl is not None:
            pipe.pexpire(self._k(key), self._ms(ttl), nx=True)
        return int(pipe.execute()[0])

    def delete(self, key: str) -> None:
        self.redis.delete(self._k(key))

    def ttl(self, key: str) -> float | None:
        ms = self.redis.pttl(self._k(key))
        return None if ms is None or ms < 0 else ms / 1000

    def reserve(self, key: str, rate: float, burst: float) -> float:
        if self._reserve is None:
            self._reserve = self.redis.register_script(_RESERVE)
        return float(self._reserve(keys=[self._k(key)], args=[rate, burst]))


def make_store(redis_url: str | None, connect_timeout: float | None = 1.0,
               socket_timeout: float | None = 1.0) -> Store:
    if not redis_url:
        return MemoryStore()
    return RedisStore(redis_url, connect_timeout=connect_timeout, socket_timeout=socket_timeout)
