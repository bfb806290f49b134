"""channels/inbox.py: per-shard event lists, in memory (embedded run) and on a real Redis (services run)."""
from __future__ import annotations

import pytest

from channels.inbox import MemoryInbox, RedisInbox, shard_of
from infra.store import MemoryStore, RedisStore

DAY = 24 * 60 * 60


@pytest.fixture(params=[pytest.param("memory", marks=pytest.mark.embedded),
                        pytest.param("redis", marks=pytest.mark.services)])
def box(request):
    if request.param == "memory":
        yield MemoryInbox(MemoryStore())
        return
    store = RedisStore(request.getfixturevalue("redis_url"))
    store.redis.flushdb()
    yield RedisInbox(store)
    store.redis.close()


def test_new_events_are_queued_once_and_wake_their_shard_once(box):
    fresh, wake = box.admit([("fb:1:m1", 3, "a"), ("fb:1:m2", 3, "b"), ("fb:1:m1", 3, "a again")], DAY)
    assert fresh == [True, True, False]
    assert wake == [3]
    fresh, wake = box.admit([("fb:1:m3", 3, "c"), ("fb:1:m2", 3, "b again")], DAY)
    assert fresh == [True, False]
    assert wake == []  # a drain job is already pending for shard 3
    assert box.take(3, 10) == ["a", "b", "c"]


def test_take_moves_a_batch_and_ack_removes_in_order(box):
    box.admit([(f"k{i}", 0, f"e{i}") for i in range(5)], DAY)
    assert box.take(0, 2) == ["e0", "e1"]
    box.ack(0)
    assert box.take(0, 2) == ["e1", "e2"]  # the unacknowledged one stays first
    box.ack(0, 2)  # a batch answered together is acknowledged together
    assert box.take(0, 10) == ["e3", "e4"]


def test_a_dead_drainers_events_are_taken_again(box):
    box.admit([("k1", 1, "e1"), ("k2", 1, "e2")], DAY)
    assert box.take(1, 10) == ["e1", "e2"]
    box.ack(1)
    # the drainer dies here; the next one finds e2 first, then what came meanwhile
    box.admit([("k3", 1, "e3")], DAY)
    assert box.take(1, 10) == ["e2", "e3"]


def test_release_refuses_while_events_wait_so_no_wake_up_is_lost(box):
    box.admit([("k1", 2, "e1")], DAY)
    box.take(2, 10)
    box.ack(2)
    box.admit([("k2", 2, "e2")], DAY)  # arrives while the drainer finishes: no new wake-up
    assert box.release(2) is False
    assert box.take(2, 10) == ["e2"]
    box.ack(2)
    assert box.release(2) is True
    assert box.admit([("k3", 2, "e3")], DAY)[1] == [2]  # released: the next event wakes a drainer


def test_abandon_lets_the_next_event_wake_the_shard(box):
    assert box.admit([("k1", 4, "e1")], DAY)[1] == [4]
    box.abandon(4)
    assert box.admit([("k2", 4, "e2")], DAY)[1] == [4]
    assert box.take(4, 10) == ["e1", "e2"]


def test_a_residents_events_always_share_a_shard():
    assert shard_of("psid-42") == shard_of("psid-42")
    assert len({shard_of(f"psid-{n}") for n in range(200)}) > 1


def test_an_event_that_cannot_be_answered_becomes_a_dead_letter(app):
    """A corrupt or failing event never vanishes: staff see it in the dead-letter table."""
    import json

    from sqlalchemy import select

    from channels.inbox import inbox
    from channels.models import DeadLetter
    from channels.worker import drain_shard
    from infra.db import session_scope

    with app.app_context():
        box = inbox()
        corrupt = json.dumps({"platform": "facebook", "account": "404", "user": "psid-9", "not_a_field": 1})
        _fresh, wake = box.admit([("facebook:404:m-corrupt", 5, corrupt)], DAY)
        assert wake == [5]
        drain_shard(5)
        with session_scope() as session:
            letters = session.scalars(select(DeadLetter)).all()
        assert [(d.platform, d.user_id, d.reason) for d in letters] == [("facebook", "psid-9", "not_answered")]
        assert box.take(5, 10) == []  # acknowledged: not retried forever


def test_a_shard_whose_drainer_died_is_claimed_once(box):
    box.admit([("k-orphan", 7, "left behind")], DAY)
    assert box.take(7, 10) == ["left behind"]  # a drainer took it, then died without acknowledging
    assert box.claim_orphans() == []  # its flag is still alive: not an orphan yet
    box.abandon(7)  # the flag lapses (Redis: its TTL; here cleared by hand)
    assert box.claim_orphans() == [7]
    assert box.claim_orphans() == []  # claimed: one new drainer only
    assert box.take(7, 10) == ["left behind"]


# --------------------------------------------------------------------------- the webhook's Redis call

@pytest.fixture
def redis_box(redis_url):
    store = RedisStore(redis_url)
    store.redis.flushdb()
    yield RedisInbox(store)
    store.redis.close()


@pytest.mark.services
def test_admit_survives_a_script_flush_and_a_killed_connection(redis_box):
    """Redis restarted or failed over: its scripts are gone and the open connections are dead."""
    assert redis_box.admit([("k1", 1, "e1")], DAY) == ([True], [1])
    redis_box.redis.script_flush()
    assert redis_box.admit([("k2", 1, "e2")], DAY) == ([True], [])
    redis_box.redis.client_kill_filter(_type="normal", skipme=True)
    assert redis_box.admit([("k3", 2, "é3 — tiếng Việt")], DAY) == ([True], [2])
    assert redis_box.take(2, 10) == ["é3 — tiếng Việt"]


def test_admit_raises_promptly_when_redis_is_away():
    import socket
    import time

    from redis.exceptions import ConnectionError

    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    box = RedisInbox(RedisStore(f"redis://127.0.0.1:{port}/0"))
    started = time.monotonic()
    with pytest.raises(ConnectionError):
        box.admit([("k1", 1, "e1")], DAY)
    assert time.monotonic() - started < 1  # the platform gets its 503 at once and redelivers


# --------------------------------------------------------------------------- channels/ingest.py

def test_an_event_travels_as_the_json_of_all_its_fields():
    import dataclasses
    import json

    from channels.events import Event

    event = Event(platform="zalo", account="366", user="u-1", kind="text", key="zalo:366:m1",
                  timestamp_ms=1764000000000, text="Đăng ký khai sinh", message_id="m1")
    assert json.loads(event.to_json()) == dataclasses.asdict(event)
    assert "Đăng ký" in event.to_json()  # UTF-8, not ASCII escapes
    assert Event.from_dict(json.loads(event.to_json())) == event


def test_a_failed_drain_job_enqueue_is_503_and_leaves_every_shard_wakeable(app):
    """The queue refuses the first wake-up: no shard of the POST may stay flagged without a drainer."""
    from channels.events import Event
    from channels.inbox import inbox
    from channels.ingest import QueueUnavailable, ingest

    class RefusingQueue:
        def enqueue(self, func, *args, delay=0):
            raise OSError("queue down")

    users = ["psid-a", "psid-b", "psid-c", "psid-d"]
    shards = {shard_of(u) for u in users}
    assert len(shards) > 1
    events = [Event(platform="facebook", account="1", user=u, kind="text", key=f"facebook:1:m-{u}", text="hi")
              for u in users]
    app.extensions["jobs"] = RefusingQueue()
    with pytest.raises(QueueUnavailable):
        ingest(events, app)  # no app context needed: the webhooks call it before Flask
    more = [Event(platform="facebook", account="1", user=u, kind="text", key=f"facebook:1:m2-{u}", text="hi")
            for u in users]
    _fresh, wake = inbox(app).admit([(e.key, shard_of(e.user), e.to_json()) for e in more], DAY)
    assert set(wake) == shards


def test_a_held_shard_is_drained_again_only_once_its_hold_lapses(box):
    """A drain put off by a store outage holds its shard for a backoff; then a sweep claims it."""
    import time

    box.admit([("k-held", 6, "e1")], DAY)
    assert box.take(6, 10) == ["e1"]
    box.hold(6, 0.3)
    box.admit([("k-held2", 6, "e2")], DAY)
    assert box.claim_orphans() == []  # held: no second drainer, e2 waits behind e1
    time.sleep(0.4)
    assert box.claim_orphans() == [6]
    assert box.take(6, 10) == ["e1", "e2"]
