"""infra/store.py: MemoryStore and RedisStore must behave alike (the app swaps one for the other)."""
from __future__ import annotations

import threading
import time

import pytest

from infra.store import MemoryStore, RedisStore, make_store

SHORT = 0.4  # a TTL long enough to observe on a busy machine, short enough to wait out


@pytest.fixture(params=[pytest.param("memory", marks=pytest.mark.embedded),
                        pytest.param("redis", marks=pytest.mark.services)])
def store(request):
    """The same tests on both implementations: MemoryStore in the embedded run, RedisStore
    on a real redis-server in the services run."""
    if request.param == "memory":
        yield MemoryStore()
        return
    url = request.getfixturevalue("redis_url")
    store = RedisStore(url)
    yield store
    store.redis.close()


def test_get_missing_is_none(store):
    assert store.get("nope") is None
    assert store.ttl("nope") is None


def test_set_get_overwrite_and_str_values(store):
    store.set("k", "v1")
    assert store.get("k") == "v1"
    store.set("k", "v2")
    assert store.get("k") == "v2"
    store.set("n", 5)  # values are stored as text, as Redis does
    assert store.get("n") == "5"
    store.set("vi", "Đăng ký tạm trú")
    assert store.get("vi") == "Đăng ký tạm trú"


def test_set_without_ttl_never_expires(store):
    store.set("k", "v")
    assert store.ttl("k") is None
    time.sleep(SHORT + 0.05)
    assert store.get("k") == "v"


def test_ttl_expiry(store):
    store.set("k", "v", ttl=SHORT)
    remaining = store.ttl("k")
    assert remaining is not None and 0 < remaining <= SHORT
    assert store.get("k") == "v"
    time.sleep(SHORT + 0.1)
    assert store.get("k") is None
    assert store.ttl("k") is None


def test_set_replaces_ttl(store):
    store.set("k", "v", ttl=SHORT)
    store.set("k", "w")  # a plain set drops the old deadline
    time.sleep(SHORT + 0.1)
    assert store.get("k") == "w"
    assert store.ttl("k") is None


def test_fractional_ttl_is_honoured(store):
    store.set("k", "v", ttl=30.5)
    assert 29 < store.ttl("k") <= 30.5


def test_set_if_absent(store):
    assert store.set_if_absent("k", "first") is True
    assert store.set_if_absent("k", "second") is False
    assert store.get("k") == "first"
    assert store.ttl("k") is None


def test_set_if_absent_with_ttl_frees_the_key_on_expiry(store):
    assert store.set_if_absent("dedup:m1", "1", ttl=SHORT) is True
    assert store.set_if_absent("dedup:m1", "1", ttl=SHORT) is False
    assert 0 < store.ttl("dedup:m1") <= SHORT
    time.sleep(SHORT + 0.1)
    assert store.set_if_absent("dedup:m1", "again", ttl=SHORT) is True
    assert store.get("dedup:m1") == "again"


def test_incr_counts_from_one(store):
    assert [store.incr("c") for _ in range(3)] == [1, 2, 3]
    assert store.get("c") == "3"
    assert store.ttl("c") is None


def test_incr_continues_a_set_value(store):
    store.set("c", "41")
    assert store.incr("c") == 42


def test_incr_ttl_is_set_on_creation_only(store):
    assert store.incr("rate", ttl=SHORT) == 1
    first = store.ttl("rate")
    assert first is not None and 0 < first <= SHORT
    time.sleep(0.1)
    assert store.incr("rate", ttl=60) == 2  # must not extend the window
    assert store.ttl("rate") <= SHORT - 0.05
    time.sleep(SHORT)  # 0.1 + SHORT since creation: the first window is over
    assert store.get("rate") is None
    assert store.incr("rate", ttl=SHORT) == 1  # a new window starts


def test_incr_keeps_existing_ttl_when_none_given(store):
    store.incr("c", ttl=SHORT)
    store.incr("c")
    assert 0 < store.ttl("c") <= SHORT


def test_delete(store):
    store.set("k", "v", ttl=60)
    store.delete("k")
    assert store.get("k") is None
    assert store.ttl("k") is None
    store.delete("k")  # deleting a missing key is fine
    assert store.set_if_absent("k", "new") is True


def test_keys_are_independent(store):
    store.set("a", "1")
    store.set("b", "2", ttl=SHORT)
    store.delete("a")
    assert store.get("b") == "2"


def test_concurrent_incr_loses_no_update(store):
    threads = [threading.Thread(target=lambda: [store.incr("hits") for _ in range(100)]) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert store.get("hits") == "800"


@pytest.mark.services
def test_redis_store_prefixes_keys(redis_url):
    import redis

    RedisStore(redis_url).set("conv:1", "x", ttl=60)
    RedisStore(redis_url, prefix="other:").set("conv:1", "y")
    raw = redis.Redis.from_url(redis_url, decode_responses=True)
    assert raw.get("bot:conv:1") == "x"
    assert raw.get("other:conv:1") == "y"
    assert 59_000 < raw.pttl("bot:conv:1") <= 60_000
    assert RedisStore(redis_url).get("conv:1") == "x"


@pytest.mark.services
def test_redis_store_is_shared_between_instances(redis_url):
    """What makes Redis the production choice: two processes see the same keys."""
    one, two = RedisStore(redis_url), RedisStore(redis_url)
    assert one.set_if_absent("dedup:42", "1") is True
    assert two.set_if_absent("dedup:42", "1") is False
    one.incr("kb:version")
    assert two.incr("kb:version") == 2


def test_make_store_picks_memory_without_redis_url():
    assert isinstance(make_store(None), MemoryStore)
    assert isinstance(make_store(""), MemoryStore)


@pytest.mark.services
def test_make_store_picks_redis_with_url(redis_url):
    store = make_store(redis_url)
    assert isinstance(store, RedisStore)
    store.set("k", "v")
    assert store.get("k") == "v"


def test_app_store_matches_backend(app, backend):
    store = app.extensions["store"]
    assert isinstance(store, RedisStore if backend == "services" else MemoryStore)
    store.set("k", "v", ttl=60)
    assert store.get("k") == "v"


def test_get_many_reads_several_keys_in_order_and_skips_expired_ones(store):
    store.set("a", "1")
    store.set("short", "x", ttl=0.05)
    time.sleep(0.1)
    assert store.get_many(["a", "missing", "short"]) == ["1", None, None]
