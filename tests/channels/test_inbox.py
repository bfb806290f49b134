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
    box.ack(0)
    box.ack(0)
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
