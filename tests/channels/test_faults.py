"""Operations, issue 15: what an operator sees when the database or Redis fails, one row of the
issue's table per test. Nothing acknowledged that is not safe; only the affected resident held up.

Real PostgreSQL and Redis (services run): the database is made to refuse writes with
`default_transaction_read_only` (and its sessions cut, so every new one is read-only); Redis is a
server of the test's own, paused with SIGSTOP or stopped, never the session's shared one.
"""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import (OA_A, PAGE_A, PAGE_B, TOKEN_A, ZALO_ACCESS, ZALO_REFRESH, fb_body, fb_text, seed,
                      signed_fb, wait_for)
from cryptography.fernet import Fernet
from sqlalchemy import select
from sqlalchemy.engine import make_url

from channels.inbox import inbox, shard_of
from channels.models import FACEBOOK, ZALO, DeadLetter
from channels.tenancy import Credentials, get_commune, set_account
from channels.worker import drain_shard
from infra.db import session_scope

ROOT = Path(__file__).resolve().parents[2]
DAY = 24 * 60 * 60


def answered(fake) -> list[str]:
    return [call.body["recipient"]["id"] for call in fake.sends("facebook")]


def letters(app) -> list[DeadLetter]:
    with app.app_context(), session_scope() as db:
        return db.scalars(select(DeadLetter).order_by(DeadLetter.id)).all()


# --------------------------------------------------------------------------- the database refuses writes

def _read_only(cluster, url: str, on: bool) -> None:
    """Every session of the database read-only (or writable again): set the default, cut the sessions."""
    name = make_url(url).database
    cluster.execute(f'ALTER DATABASE "{name}" ' + ("SET default_transaction_read_only = on" if on
                                                     else "RESET default_transaction_read_only"))
    cluster.execute(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}' "
                    "AND pid <> pg_backend_pid()")


def _work_rq(app, seconds: float) -> None:
    """Run RQ jobs for `seconds`, sweeping the inbox as a worker's upkeep thread does (a drain put off
    holds its shard for a backoff; the next sweep after the hold starts it again)."""
    from rq import SimpleWorker

    from channels.worker import sweep_orphaned_shards

    queue = app.extensions["jobs"].queue
    deadline = time.monotonic() + seconds
    while True:
        with app.app_context():
            sweep_orphaned_shards()
        if queue.count:
            SimpleWorker([queue], connection=queue.connection).work(burst=True, logging_level="ERROR")
        if time.monotonic() >= deadline:
            return
        time.sleep(0.1)


@pytest.mark.services
def test_a_read_only_database_keeps_every_event_queued_until_it_takes_writes(request, live, fake, database_url,
                                                                              monkeypatch):
    """Row 1: 50 events while the database refuses writes: all acknowledged to the platform (the inbox
    is up), none answered, none dropped, no dead letter; once writes are back, all 50 answered once."""
    monkeypatch.setenv("INBOX_RETRY_BASE_SECONDS", "0.5")
    monkeypatch.setenv("INBOX_RETRY_MAX_SECONDS", "1")
    from prometheus_client import REGISTRY

    put_off = lambda: REGISTRY.get_sample_value("bot_drains_put_off_total", {"why": "outage"}) or 0  # noqa: E731
    before = put_off()
    cluster = request.getfixturevalue("_postgres_cluster")
    _read_only(cluster, database_url, True)
    try:
        for post in range(5):
            items = [fb_text(PAGE_A, f"psid-ro{post}-{i}", f"m_ro{post}_{i}", "Đăng ký khai sinh") for i in range(10)]
            assert live.post("/webhooks/facebook", *signed_fb(fb_body(PAGE_A, *items))).status_code == 200
        _work_rq(live.app, 4)
        assert answered(fake) == []
        with live.app.app_context():
            depth, oldest = inbox().depth()
        assert depth == 50 and oldest is not None  # still queued: nothing acknowledged
        assert put_off() - before >= 2  # the worker tried, met the refusal, and tried again later
    finally:
        _read_only(cluster, database_url, False)
    _work_rq(live.app, 0)
    assert wait_for(lambda: (_work_rq(live.app, 1), len(set(answered(fake))) == 50)[1],
                    timeout=40)
    assert len(answered(fake)) == len(set(answered(fake))) or _one_answer_each(fake)
    assert letters(live.app) == []
    with live.app.app_context():
        assert inbox().depth()[0] == 0


def _one_answer_each(fake) -> bool:
    """Every resident got the same number of messages (an answer may have several parts)."""
    counts = {}
    for user in answered(fake):
        counts[user] = counts.get(user, 0) + 1
    return len(set(counts.values())) == 1


# --------------------------------------------------------------------------- a replaced encryption key

def _same_shard_users(prefix: str, count: int) -> list[str]:
    users, shard = [], None
    for n in range(2000):
        user = f"{prefix}-{n}"
        if shard is None:
            shard = shard_of(user)
        if shard_of(user) == shard:
            users.append(user)
        if len(users) == count:
            return users
    raise AssertionError("no users in one shard")


def _raw(page: str, user: str, mid: str, text: str) -> str:
    from channels.events import Event

    return Event(platform=FACEBOOK, account=page, user=user, kind="text", key=f"{FACEBOOK}:{page}:{mid}", text=text,
                 message_id=mid, timestamp_ms=int(time.time() * 1000)).to_json(int(time.time() * 1000))


def test_a_commune_whose_token_no_longer_decrypts_costs_only_its_residents(seeded, fake):
    """Row 2: a new TOKEN_ENCRYPTION_KEY; commune A's tokens re-entered, commune B's not. In one shard,
    B's resident becomes a dead letter B's staff see, A's residents are answered, the shard is emptied
    (no batch retried for ever); the worker still starts (the key decrypts A's tokens)."""
    from admin.undelivered import letters as admin_letters
    from operations.startup import unworkable_reason

    seeded.config["TOKEN_ENCRYPTION_KEY"] = Fernet.generate_key().decode()
    seeded.config["PUBLIC_BASE_URL"] = "https://bot.example.test"
    seeded.extensions.pop("account_cache", None)  # a worker started after the key change
    with seeded.app_context(), session_scope() as db:
        a = get_commune(db, "xa-a")
        set_account(db, a, FACEBOOK, Credentials(PAGE_A, TOKEN_A))
        set_account(db, a, ZALO, Credentials(OA_A, ZALO_ACCESS, ZALO_REFRESH, 90000))
    first, stranded, last = _same_shard_users("psid-key", 3)
    shard = shard_of(first)
    with seeded.app_context():
        box = inbox()
        box.admit([(f"k-{u}", shard, _raw(page, u, f"m-{u}", "Đăng ký khai sinh"))
                   for u, page in ((first, PAGE_A), (stranded, PAGE_B), (last, PAGE_A))], DAY)
        drain_shard(shard)
        assert box.depth()[0] == 0
        assert unworkable_reason(seeded) is None
    assert set(answered(fake)) == {first, last}
    [letter] = letters(seeded)
    assert (letter.user_id, letter.reason, letter.error_code) == (stranded, "not_answered", "TokenKeyError")
    with seeded.app_context(), session_scope() as db:
        b = get_commune(db, "xa-b")
        shown, total = admin_letters(b)
        assert [(row.reason, row.code) for row in shown] == [("not_answered", "TokenKeyError")] and total == 1


def test_a_key_that_decrypts_no_stored_token_stops_the_processes(seeded):
    from operations.startup import unworkable_reason

    seeded.config["PUBLIC_BASE_URL"] = "https://bot.example.test"
    assert unworkable_reason(seeded) is None
    seeded.config["TOKEN_ENCRYPTION_KEY"] = Fernet.generate_key().decode()
    reason = unworkable_reason(seeded)
    assert reason.startswith("TOKEN_ENCRYPTION_KEY decrypts none of the 4 stored platform tokens")
    assert "\n" not in reason


# --------------------------------------------------------------------------- PUBLIC_BASE_URL unset

def test_a_platform_without_public_base_url_stops_web_and_worker_with_one_line(seeded, tmp_path, database_url,
                                                                              channel_settings, backend):
    """Row 5: Messenger configured, PUBLIC_BASE_URL empty: the hand-off link could not be built by a
    worker, so neither gunicorn nor an RQ worker starts; the reason is one line."""
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    env.update({k: str(v) for k, v in channel_settings.items()})
    env.update({"DATABASE_URL": database_url, "SECRET_KEY": "test", "LOG_LEVEL": "ERROR", "PYTHONPATH": str(ROOT)})
    if backend == "services":
        env["REDIS_URL"] = seeded.config["REDIS_URL"]
    bin_ = Path(sys.executable).parent
    web = subprocess.run([str(bin_ / "gunicorn"), "-w", "1", "-b", "127.0.0.1:0", "app:create_production_app()"],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert web.returncode != 0
    reason = [line for line in web.stderr.splitlines() if line.startswith("refusing to start")]
    assert reason and "PUBLIC_BASE_URL is empty" in reason[0], web.stderr[-2000:]
    if backend == "services":
        worker = subprocess.run([str(bin_ / "rq"), "worker", "-w", "worker.AppWorker", "--burst", "-u",
                                 env["REDIS_URL"], "bot"], cwd=ROOT, env=env, capture_output=True, text=True,
                                timeout=60)
        assert worker.returncode != 0
        assert "refusing to start: Messenger and Zalo configured but PUBLIC_BASE_URL is empty" in worker.stderr


def test_with_public_base_url_a_worker_builds_the_hand_off_link_outside_any_request(seeded):
    """What the Messenger / Zalo workers do when a resident finishes a guided form: no request there."""
    from bot.prefill_collect import page_url

    seeded.config["PUBLIC_BASE_URL"] = "https://bot.example.test/"
    with seeded.app_context():
        assert page_url("tok-123") == "https://bot.example.test/go/tok-123"


def test_the_embedded_default_starts_and_a_platform_starts_once_public_base_url_is_set(make_app, channel_settings):
    from operations.startup import unworkable_reason

    bare = make_app()  # no platform secret, no account: scripts/start
    assert unworkable_reason(bare) is None
    seeded = make_app(**channel_settings)
    seed(seeded)
    assert unworkable_reason(seeded) is not None  # the fixtures' platforms, no PUBLIC_BASE_URL
    seeded.config["PUBLIC_BASE_URL"] = "https://bot.example.test"
    assert unworkable_reason(seeded) is None


# --------------------------------------------------------------------------- Redis paused, Redis stopped

class OwnRedis:
    """A redis-server of this test alone: pausing or stopping it touches no other test."""

    def __init__(self, tmp_path: Path) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.dir = tmp_path
        self.proc = None
        self.start()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen(["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                                      "--appendonly", "no", "--dir", str(self.dir)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise AssertionError("redis-server did not start")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGCONT)
            self.proc.terminate()
            self.proc.wait(10)

    def pause(self) -> None:
        self.proc.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        self.proc.send_signal(signal.SIGCONT)


@pytest.fixture
def own_redis(redis_server, tmp_path):
    server = OwnRedis(tmp_path)
    yield server
    server.stop()


def _csrf(client) -> str:
    page = client.get("/admin/login").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def _timed(call):
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


@pytest.mark.services
def test_a_paused_redis_gives_a_fast_503_and_the_redelivery_is_answered(make_app, channel_settings, own_redis, fake):
    """Row 3: Redis hangs (SIGSTOP): the webhook, the web chat and the readiness check answer 503 within
    about the socket timeout, not after 30 s; the platform's redelivery after it resumes is answered once."""
    app = make_app(**channel_settings, REDIS_URL=own_redis.url)
    seed(app)
    client = app.test_client()
    body = signed_fb(fb_body(PAGE_A, fb_text(PAGE_A, "psid-hang", "m_hang", "Đăng ký khai sinh")))
    own_redis.pause()
    try:
        response, took = _timed(lambda: client.post("/webhooks/facebook", data=body[0], headers=body[1]))
        assert response.status_code == 503 and took < 3
        chat, took = _timed(lambda: client.post("/webchat/messages", json={"user": "w-1", "text": "xin chào"}))
        assert chat.status_code == 503 and took < 3
        assert "thử lại" in chat.get_json()["error"]
        ready, took = _timed(lambda: client.get("/readyz"))
        assert ready.status_code == 503 and ready.get_json()["redis"]["ok"] is False and took < 5
        assert answered(fake) == []
    finally:
        own_redis.resume()
    assert client.post("/webhooks/facebook", data=body[0], headers=body[1]).status_code == 200
    assert client.post("/webhooks/facebook", data=body[0], headers=body[1]).get_json() == {"duplicates": 1, "queued": 0}
    assert answered(fake).count("psid-hang") >= 1 and _one_answer_each(fake)


@pytest.mark.services
def test_a_stopped_redis_gives_503_pages_not_500_and_the_redelivery_is_answered(make_app, channel_settings,
                                                                                 own_redis, fake):
    """Row 4: Redis stopped: webhook 503 (the platform redelivers), web chat 503 JSON, admin login 503
    with the bilingual page; after a restart the redelivered event is answered once."""
    app = make_app(**channel_settings, REDIS_URL=own_redis.url)
    seed(app)
    client = app.test_client()
    token = _csrf(client)
    body = signed_fb(fb_body(PAGE_A, fb_text(PAGE_A, "psid-down", "m_down", "Đăng ký khai sinh")))
    own_redis.stop()
    assert client.post("/webhooks/facebook", data=body[0], headers=body[1]).status_code == 503
    assert client.post("/webchat/messages", json={"user": "w-2", "text": "xin chào"}).status_code == 503
    login = client.post("/admin/login", data={"csrf_token": token, "username": "x", "password": "y"})
    assert login.status_code == 503
    page = login.get_data(as_text=True)
    assert "Hệ thống đang tạm bận" in page and "The service is busy for a moment" in page
    assert int(login.headers["Retry-After"]) >= 30  # the rate limiter may name its own later window
    own_redis.start()
    assert client.post("/webhooks/facebook", data=body[0], headers=body[1]).status_code == 200
    assert client.post("/webchat/messages", json={"user": "w-2", "text": "xin chào"}).status_code == 200
    assert set(answered(fake)) == {"psid-down"} and _one_answer_each(fake)


@pytest.mark.services
def test_a_stopped_database_gives_the_admin_a_503_page(make_app, channel_settings, postgres_database):
    """The admin and the web chat when PostgreSQL itself does not answer: 503 pages, not 500."""
    app = make_app(**channel_settings, DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:9/away")
    client = app.test_client()
    response = client.post("/webchat/messages", json={"user": "w-3", "text": "Đăng ký khai sinh"})
    assert response.status_code == 503
    ready = client.get("/readyz")
    assert ready.status_code == 503 and ready.get_json()["database"]["ok"] is False
