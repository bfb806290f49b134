"""A drain job answers its events in batches: one transaction for their records, yet one resident's
trouble costs only that resident, and events a dead drainer left behind are answered without new traffic."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import OA_A, PAGE_A, PAGE_B, seed, wait_for
from cryptography.fernet import Fernet
from sqlalchemy import create_engine, delete, select
from sqlalchemy.exc import OperationalError

from channels.accounts import cached_account
from channels.events import Event
from channels.inbox import inbox, shard_of
from channels.models import FACEBOOK, ZALO, DeadLetter, Delivery
from channels.worker import answer_batch, drain_shard
from infra.db import pinned_connection, session_scope
from infra.models import Commune

ROOT = Path(__file__).resolve().parents[2]
DAY = 24 * 60 * 60


def raw_event(page: str, psid: str, mid: str, words: str, platform: str = FACEBOOK) -> str:
    return json.dumps(Event(platform=platform, account=page, user=psid, kind="text", key=f"{platform}:{page}:{mid}",
                            text=words, message_id=mid, timestamp_ms=int(time.time() * 1000)).to_dict())


def answered(fake) -> list[str]:
    return [call.body["recipient"]["id"] for call in fake.sends("facebook")]


def test_a_batch_answers_every_resident_in_order_and_records_each_turn(seeded, fake):
    raws = [raw_event(PAGE_A, f"psid-b{i}", f"m_b{i}", "Đăng ký khai sinh") for i in range(5)]
    with seeded.app_context(), pinned_connection():
        answer_batch(raws)
    assert list(dict.fromkeys(answered(fake))) == [f"psid-b{i}" for i in range(5)]
    with seeded.app_context(), session_scope() as db:
        parts = db.scalars(select(Delivery).order_by(Delivery.id)).all()
    assert {p.user_id for p in parts} == {f"psid-b{i}" for i in range(5)}
    assert {p.status for p in parts} == {"sent"}


def test_a_corrupt_event_in_a_batch_is_a_dead_letter_and_its_neighbours_are_answered(seeded, fake):
    corrupt = json.dumps({"platform": FACEBOOK, "account": PAGE_A, "user": "psid-c2", "not_a_field": 1})
    raws = [raw_event(PAGE_A, "psid-c1", "m_c1", "Đăng ký khai sinh"), corrupt,
            raw_event(PAGE_A, "psid-c3", "m_c3", "Đăng ký kết hôn")]
    with seeded.app_context(), pinned_connection():
        answer_batch(raws)
    assert set(answered(fake)) == {"psid-c1", "psid-c3"}
    with seeded.app_context(), session_scope() as db:
        letters = db.scalars(select(DeadLetter)).all()
    assert [(d.user_id, d.reason) for d in letters] == [("psid-c2", "not_answered")]


def test_a_commune_removed_while_its_messages_are_answered_costs_only_those_messages(seeded, fake):
    """The batch's single transaction fails (the removed Page's rows break a foreign key): the
    answers are written again one by one, and the other commune's residents still get theirs."""
    raws = [raw_event(PAGE_A, "psid-r1", "m_r1", "Đăng ký khai sinh"),
            raw_event(PAGE_B, "psid-gone", "m_r2", "Đăng ký khai sinh"),
            raw_event(PAGE_A, "psid-r3", "m_r3", "Đăng ký kết hôn")]
    with seeded.app_context():
        assert cached_account(FACEBOOK, PAGE_B) is not None  # the worker still knows the Page for a while
        with session_scope() as db:
            db.execute(delete(Commune).where(Commune.slug == "xa-b"))
        with pinned_connection():
            answer_batch(raws)
    assert set(answered(fake)) == {"psid-r1", "psid-r3"}
    with seeded.app_context(), session_scope() as db:
        users = set(db.scalars(select(Delivery.user_id)))
    assert users == {"psid-r1", "psid-r3"}


def test_a_reply_that_cannot_be_sent_is_a_dead_letter_and_does_not_hold_up_the_batch(seeded, fake):
    """TOKEN_ENCRYPTION_KEY replaced while the worker still knows the accounts: the stored Zalo token
    no longer decrypts when the reply is sent. That reply waits for staff; the next resident is answered
    (else the batch would fail again on every retry)."""
    raws = [raw_event(OA_A, "zuser-k1", "zk1", "Đăng ký khai sinh", platform=ZALO),
            raw_event(PAGE_A, "psid-k2", "m_k2", "Đăng ký khai sinh")]
    with seeded.app_context():
        assert cached_account(ZALO, OA_A) is not None and cached_account(FACEBOOK, PAGE_A) is not None
        seeded.config["TOKEN_ENCRYPTION_KEY"] = Fernet.generate_key().decode()
        with pinned_connection():
            answer_batch(raws)
    assert set(answered(fake)) == {"psid-k2"}
    with seeded.app_context(), session_scope() as db:
        letters = db.scalars(select(DeadLetter)).all()
        statuses = {(p.user_id, p.status) for p in db.scalars(select(Delivery))}
    assert {(d.user_id, d.reason) for d in letters} == {("zuser-k1", "send_error")}
    assert "decrypt" in letters[0].detail
    assert ("zuser-k1", "failed") in statuses and ("psid-k2", "sent") in statuses


@pytest.mark.embedded
def test_events_left_by_a_dead_drainer_are_answered_without_new_traffic(make_app, channel_settings, fake):
    """The in-process worker sweeps the inbox every INBOX_SWEEP_SECONDS."""
    app = make_app(**channel_settings, JOBS_INLINE=False, INBOX_SWEEP_SECONDS=0.2)
    seed(app)
    _leave_behind(app, "psid-orphan", "m_orphan")
    assert wait_for(lambda: "psid-orphan" in answered(fake), timeout=10)


@pytest.mark.services
def test_an_rq_worker_sweeps_for_events_left_by_a_dead_drainer(make_app, channel_settings, fake, database_url,
                                                                  redis_url):
    """A real `rq worker -w worker.AppWorker` process: its upkeep thread finds the events with no
    job queued for them and no message arriving after them."""
    app = make_app(**channel_settings, JOBS_INLINE=False)
    seed(app)
    env = {**os.environ, **{k: str(v) for k, v in channel_settings.items()}, "DATABASE_URL": database_url,
           "REDIS_URL": redis_url, "SECRET_KEY": "test", "INBOX_SWEEP_SECONDS": "1", "LOG_LEVEL": "WARNING",
           "PUBLIC_BASE_URL": "https://bot.example.test"}
    worker = subprocess.Popen([sys.executable, "-m", "rq.cli", "worker", "-w", "worker.AppWorker", "-u", redis_url,
                               "--logging_level", "WARNING", "bot"], cwd=ROOT, env=env)
    try:
        _leave_behind(app, "psid-orphan", "m_orphan")
        assert wait_for(lambda: "psid-orphan" in answered(fake), timeout=60)
    finally:
        worker.terminate()
        worker.wait(10)


def _leave_behind(app, psid: str, mid: str) -> None:
    """An event taken by a drainer that died before answering it, its drain flag gone (lapsed)."""
    shard = shard_of(psid)
    with app.app_context():
        box = inbox()
        box.admit([(f"{FACEBOOK}:{PAGE_A}:{mid}", shard, raw_event(PAGE_A, psid, mid, "Đăng ký khai sinh"))], DAY)
        assert box.take(shard, 10)
        box.abandon(shard)


def test_a_drain_that_cannot_reach_the_database_leaves_its_events_for_the_next_drainer(seeded, fake):
    """Nothing is answered or acknowledged, and the shard is free for the next sweep."""
    shard = shard_of("psid-later")
    with seeded.app_context():
        box = inbox()
        box.admit([(f"{FACEBOOK}:{PAGE_A}:m_later", shard,
                    raw_event(PAGE_A, "psid-later", "m_later", "Đăng ký khai sinh"))], DAY)
        engine = seeded.extensions["db_engine"]
        seeded.extensions["db_engine"] = create_engine("postgresql+psycopg://bot@127.0.0.1:9/away")  # nothing listens
        try:
            with pytest.raises(OperationalError):
                drain_shard(shard)
        finally:
            seeded.extensions["db_engine"].dispose()
            seeded.extensions["db_engine"] = engine
        assert answered(fake) == []
        assert box.claim_orphans() == [shard]
        drain_shard(shard)
    assert set(answered(fake)) == {"psid-later"}
