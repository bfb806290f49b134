"""Channel test fixtures: the fake platform server, signed payloads, a seeded app, a live app server."""
from __future__ import annotations

import json
import threading
import time
from typing import Callable, Iterator

import pytest
import requests
from cryptography.fernet import Fernet
from werkzeug.serving import make_server

from channels.models import FACEBOOK, ZALO
from channels.signatures import facebook_signature, zalo_mac
from channels.tenancy import Credentials, add_commune, set_account
from fake_platform import FakePlatform, FakePlatformServer
from infra.db import session_scope
from knowledge.store import import_from_files

APP_SECRET = "fb-app-secret"
VERIFY_TOKEN = "verify-me"
ZALO_APP_ID = "2553928453557884079"
ZALO_APP_SECRET = "zalo-app-secret"
ZALO_OA_SECRET = "zalo-oa-secret"
PAGE_A, PAGE_B = "106000000000001", "106000000000002"
TOKEN_A, TOKEN_B = "EAAG-page-token-a", "EAAG-page-token-b"
OA_A = "3662729599332560487"
ZALO_ACCESS, ZALO_REFRESH = "zalo-access-1", "zalo-refresh-1"


@pytest.fixture
def fake_server() -> Iterator[FakePlatformServer]:
    server = FakePlatformServer()
    with server as platform:
        platform.facebook_tokens = {TOKEN_A: PAGE_A, TOKEN_B: PAGE_B}
        platform.zalo_tokens = {ZALO_ACCESS: OA_A}
        platform.zalo_refresh = {ZALO_REFRESH: OA_A}
        yield server


@pytest.fixture
def fake(fake_server) -> FakePlatform:
    return fake_server.platform


@pytest.fixture
def channel_settings(fake_server) -> dict:
    url = fake_server.url
    return {
        "TOKEN_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "FACEBOOK_APP_SECRET": APP_SECRET, "FACEBOOK_VERIFY_TOKEN": VERIFY_TOKEN,
        "ZALO_APP_ID": ZALO_APP_ID, "ZALO_APP_SECRET": ZALO_APP_SECRET, "ZALO_OA_SECRET_KEY": ZALO_OA_SECRET,
        "FACEBOOK_GRAPH_URL": f"{url}/v23.0", "ZALO_OPENAPI_URL": url, "ZALO_OAUTH_URL": url,
        "DELIVERY_RETRY_BASE_MS": 20, "DELIVERY_RETRY_MAX_MS": 200, "SEND_TIMEOUT": 1,
        "TYPING_INDICATOR_AFTER_MS": 0,
    }


@pytest.fixture
def app_config(channel_settings) -> dict:
    return channel_settings


def seed(app) -> None:
    """Two communes: A with a Page and an OA, B with a Page; the knowledge base imported."""
    with app.app_context():
        import_from_files()
        with session_scope() as db:
            a = add_commune(db, "xa-a", {"name": "Xã An Phú", "phone": "0236 3800 001"})
            set_account(db, a, FACEBOOK, Credentials(PAGE_A, TOKEN_A))
            set_account(db, a, ZALO, Credentials(OA_A, ZALO_ACCESS, ZALO_REFRESH, 90000))
            b = add_commune(db, "xa-b", {"name": "Xã Bình Minh"})
            set_account(db, b, FACEBOOK, Credentials(PAGE_B, TOKEN_B))


@pytest.fixture
def seeded(app):
    seed(app)
    return app


# --------------------------------------------------------------------------- payloads (channels.md shapes)

def now_ms(hours_ago: float = 0) -> int:
    return int((time.time() - hours_ago * 3600) * 1000)


def fb_text(page: str, psid: str, mid: str, text: str, hours_ago: float = 0) -> dict:
    return {"sender": {"id": psid}, "recipient": {"id": page}, "timestamp": now_ms(hours_ago),
            "message": {"mid": mid, "text": text}}


def fb_body(page: str, *items: dict) -> dict:
    return {"object": "page", "entry": [{"id": page, "time": now_ms(), "messaging": list(items)}]}


def signed_fb(body: dict | bytes, secret: str = APP_SECRET) -> tuple[bytes, dict]:
    raw = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode("utf-8")
    return raw, {"Content-Type": "application/json", "X-Hub-Signature-256": facebook_signature(raw, secret)}


def zalo_text(user: str, msg_id: str, text: str, oa: str = OA_A, hours_ago: float = 0) -> dict:
    return {"event_name": "user_send_text", "app_id": ZALO_APP_ID, "sender": {"id": user},
            "recipient": {"id": oa}, "message": {"text": text, "msg_id": msg_id},
            "timestamp": str(now_ms(hours_ago)), "user_id_by_app": "979122185046046317"}


def signed_zalo(body: dict, secret: str = ZALO_OA_SECRET, first: str = ZALO_APP_ID) -> tuple[bytes, dict]:
    raw = json.dumps(body, ensure_ascii=False).encode("utf-8")
    mac = zalo_mac(first, raw, str(body["timestamp"]), secret)
    return raw, {"Content-Type": "application/json", "X-ZEvent-Signature": f"mac={mac}"}


def wait_for(predicate: Callable[[], object], timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return bool(predicate())


# --------------------------------------------------------------------------- a live app server

class LiveApp:
    """The Flask app served over real HTTP on 127.0.0.1 (werkzeug, threaded), with a way to run
    its background jobs to completion: the ThreadQueue (embedded) or RQ workers (services)."""

    def __init__(self, app) -> None:
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.http = requests.Session()

    def post(self, path: str, raw: bytes, headers: dict) -> requests.Response:
        return self.http.post(self.url + path, data=raw, headers=headers, timeout=10)

    def run_jobs(self, timeout: float = 15) -> None:
        """Run queued and scheduled (retry) jobs until none is left."""
        jobs = self.app.extensions["jobs"]
        if hasattr(jobs, "wait_idle"):
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                assert jobs.wait_idle(timeout)
                if not jobs.pending():
                    return
                time.sleep(0.02)
            raise AssertionError("jobs still pending")
        drain_rq(jobs.queue, timeout)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.http.close()


def drain_rq(queue, timeout: float) -> None:
    from rq import SimpleWorker
    from rq.scheduler import RQScheduler

    scheduler = RQScheduler([queue], connection=queue.connection, logging_level="WARNING")
    scheduler.acquire_locks()
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            scheduler.enqueue_scheduled_jobs()  # retries due by now (RQ schedules in whole seconds)
            if queue.count:
                SimpleWorker([queue], connection=queue.connection).work(burst=True, logging_level="WARNING")
                continue
            if not queue.scheduled_job_registry.get_job_ids():
                return
            time.sleep(0.05)
        raise AssertionError("RQ jobs still pending")
    finally:
        scheduler.release_locks()


@pytest.fixture
def live(request, make_app, channel_settings, monkeypatch, database_url, backend) -> Iterator[LiveApp]:
    """The seeded app on a real HTTP server with real background jobs (JOBS_INLINE off).

    In the services run jobs go through RQ on the real Redis; the worker builds its own app from
    the environment, as an `rq worker` process does."""
    if backend == "services":
        import worker

        request.getfixturevalue("restore_signals")
        redis_url = request.getfixturevalue("redis_url")
        for key, value in {**channel_settings, "DATABASE_URL": database_url, "REDIS_URL": redis_url,
                           "SECRET_KEY": "test"}.items():
            monkeypatch.setenv(key, str(value))
        monkeypatch.setattr(worker, "_worker_app", None)
    app = make_app(JOBS_INLINE=False, **channel_settings)
    seed(app)
    server = LiveApp(app)
    yield server
    server.close()
    if backend == "services":
        import worker

        built = worker._worker_app
        if built is not None:
            built.extensions["db_engine"].dispose()


def message_text(message: dict) -> str:
    """The visible text of a Messenger or Zalo message, plain or inside a button template."""
    if "text" in message:
        return message["text"]
    return message["attachment"]["payload"]["text"]
