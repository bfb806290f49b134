"""Bounds on what anyone can send without an account: web chat rate limits (429 with Retry-After),
bodies capped while they are read (chunked too), any query string a 4xx at worst, one open
handover request per resident, security headers, and /go/<token> links kept out of access logs."""
from __future__ import annotations

import io
import logging
import socket
import threading

import pytest
import requests
from sqlalchemy import func, select
from werkzeug.serving import make_server

from infra.db import get_session
from infra.models import HandoffRequest
from knowledge.store import import_from_files

URL = "/webchat/messages"


@pytest.fixture
def knowledge_app(app):
    with app.app_context():
        import_from_files()
    return app


def from_address(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


# --------------------------------------------------------------------------- rate limits

def test_one_resident_over_the_limit_is_429_with_retry_after(knowledge_app):
    knowledge_app.config["WEBCHAT_RATE_RESIDENT"] = "3/minute"
    client = from_address(knowledge_app, "10.1.0.1")
    statuses = [client.post(URL, json={"user": "u-1", "payload": "MENU"}).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    blocked = client.post(URL, json={"user": "u-1", "text": "xin chào"})
    assert blocked.status_code == 429 and blocked.get_json() == {"error": "too many requests; try again later"}
    assert 0 < int(blocked.headers["Retry-After"]) <= 60
    # another resident behind the same address (an office, a phone network) is not slowed down
    assert client.post(URL, json={"user": "u-2", "payload": "MENU"}).status_code == 200


def test_one_address_over_the_limit_is_429(knowledge_app):
    knowledge_app.config["WEBCHAT_RATE_IP"] = "5/minute"
    client = from_address(knowledge_app, "10.1.0.2")
    statuses = [client.post(URL, json={"user": f"u-{i}", "payload": "MENU"}).status_code for i in range(6)]
    assert statuses == [200] * 5 + [429]
    assert client.get("/chat").status_code == 429  # every web chat route counts for the address
    assert from_address(knowledge_app, "10.1.0.3").get("/chat").status_code == 200


def test_polls_are_limited_per_resident(app):
    app.config["WEBCHAT_POLL_RATE_RESIDENT"] = "2/minute"
    client = from_address(app, "10.1.0.4")
    assert [client.get(URL, query_string={"user": "u-1"}).status_code for _ in range(3)] == [200, 200, 429]
    assert client.get(URL, query_string={"user": "u-2"}).status_code == 200


@pytest.mark.services
def test_limits_are_counted_in_redis_and_survive_an_outage(make_app, redis_url):
    import socket

    app = make_app(WEBCHAT_POLL_RATE_RESIDENT="2/minute")
    first, second = app.test_client(), make_app(WEBCHAT_POLL_RATE_RESIDENT="2/minute").test_client()
    assert first.get(URL, query_string={"user": "u-1"}).status_code == 200
    assert second.get(URL, query_string={"user": "u-1"}).status_code == 200  # another process, same count
    assert first.get(URL, query_string={"user": "u-1"}).status_code == 429
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    down = make_app(REDIS_URL=f"redis://127.0.0.1:{port}/0", WEBCHAT_POLL_RATE_RESIDENT="2/minute").test_client()
    # Redis away: limits are counted in memory (no 500, not switched off); the page itself still needs no store
    statuses = [down.get("/chat").status_code for _ in range(3)]
    assert statuses == [200, 200, 200]


# --------------------------------------------------------------------------- one handover per resident

def test_a_resident_asking_for_staff_again_keeps_one_open_request(knowledge_app):
    client = knowledge_app.test_client()
    for _ in range(5):
        assert client.post(URL, json={"user": "u-staff", "payload": "HANDOFF"}).status_code == 200
    client.post(URL, json={"user": "u-other", "payload": "HANDOFF"})
    with knowledge_app.app_context():
        counts = dict(get_session().execute(select(HandoffRequest.user_id, func.count()).group_by(HandoffRequest.user_id)).all())
    assert counts == {"u-staff": 1, "u-other": 1}


# --------------------------------------------------------------------------- bodies and query strings

def test_a_chunked_body_over_the_limit_is_413_while_read(app):
    """As gunicorn and the dev server pass a chunked body: no length, the server ends the stream."""
    body = b'{"user": "u", "text": "' + b"x" * 200_000 + b'"}'
    stream = io.BytesIO(body)
    response = app.test_client().post(URL, input_stream=stream, headers={"Transfer-Encoding": "chunked",
                                                                          "Content-Type": "application/json"},
                                      environ_overrides={"wsgi.input_terminated": True})
    assert response.status_code == 413 and "larger than" in response.get_json()["error"]
    assert stream.tell() <= 16 * 1024 + 64 * 1024  # read no further than the cap (plus one buffer)


def test_the_app_caps_every_body(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    assert client.post("/admin/login", data={"username": "x" * 4000}).status_code == 413


@pytest.mark.parametrize("after", ["9" * 5000, "²", "١٢", "-1", "1e3", "99999999999999999999"])
def test_any_after_is_a_clear_400(client, after):
    response = client.get(URL, query_string={"user": "u", "after": after})
    assert response.status_code == 400 and response.get_json() == {"error": "'after' must be a message id"}


def test_text_the_database_cannot_store_is_a_4xx_or_cleaned(knowledge_app):
    """Found by the fuzz run on PostgreSQL: NUL characters and ids beyond 32 bits were 500s."""
    client = knowledge_app.test_client()
    assert client.get(URL, query_string={"user": "u\x00"}).status_code == 400
    assert client.get(URL, query_string={"user": "u", "commune": "demo\x00"}).status_code == 400
    assert client.get(URL, query_string={"user": "u", "after": "99999999999"}).get_json() == {"messages": []}
    assert client.post(URL, json={"user": "u", "text": "x"}, query_string={"commune": "\x00"}).status_code == 400
    assert client.post(URL, data=b'{"user": "u\\u0000", "text": "xin\\u0000 chao"}',
                       content_type="application/json").status_code == 200


def test_a_nul_in_the_username_is_a_failed_login(app, client):
    page = client.get("/admin/login").get_data(as_text=True)
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    form = {"username": "clerk\x00", "password": "x", "csrf_token": token}
    assert client.post("/admin/login", data=form).status_code == 401


def test_a_signed_token_naming_no_possible_record_is_404(app, client):
    from procedures.handoff_token import make_token

    with app.test_request_context():
        token = make_token("\x00")
    assert client.get(f"/go/{token}").status_code == 404


def test_deeply_nested_json_is_a_clear_400(client):
    for body in (b"[" * 10_000, b'{"user": "u", "text": ' + b"[" * 500 + b"]" * 500 + b"}"):
        response = client.post(URL, data=body, content_type="application/json")
        assert response.status_code == 400, body[:40]


# --------------------------------------------------------------------------- headers

def test_the_chat_page_carries_the_security_headers(client):
    response = client.get("/chat")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp and response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "<script>" not in response.get_data(as_text=True) and "<style" not in response.get_data(as_text=True)


def test_the_handoff_page_is_strict_even_when_the_link_is_wrong(client):
    response = client.get("/go/not-a-token")
    assert response.status_code == 404
    assert response.headers["Referrer-Policy"] == "no-referrer" and response.headers["Cache-Control"] == "no-store"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert "<style" not in response.get_data(as_text=True)


# --------------------------------------------------------------------------- /go tokens in access logs

def test_go_tokens_never_reach_the_dev_servers_access_log(app, caplog):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    caplog.set_level(logging.INFO, logger="werkzeug")
    try:
        response = requests.get(f"http://127.0.0.1:{server.server_port}/go/SECRET-bearer-TOKEN.abc", timeout=5)
        assert response.status_code == 404
    finally:
        server.shutdown()
        thread.join(5)
    lines = [r.getMessage() for r in caplog.records if r.name == "werkzeug"]
    assert any("GET /go/… HTTP/1.1" in line for line in lines), lines
    assert not any("SECRET-bearer-TOKEN" in line for line in lines)


def test_go_tokens_never_reach_gunicorns_access_log(app, caplog):
    """gunicorn.glogging.Logger.access logs its format with a dict of atoms: the same call here."""
    from gunicorn.config import Config
    from gunicorn.glogging import Logger

    caplog.set_level(logging.INFO, logger="gunicorn.access")
    config = Config()
    config.set("accesslog", "-")
    gunicorn_log = Logger(config)
    gunicorn_log.access_log.propagate = True

    class Response:
        status, sent, headers = "404 NOT FOUND", 0, []

    class Request:
        headers = []
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": "/go/SECRET-bearer-TOKEN/portal", "PATH_INFO": "/go/SECRET-bearer-TOKEN/portal",
               "QUERY_STRING": "", "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "10.0.0.1"}
    from datetime import timedelta

    gunicorn_log.access(Response(), Request(), environ, timedelta(milliseconds=3))
    lines = [r.getMessage() for r in caplog.records if r.name == "gunicorn.access"]
    assert lines and all("SECRET-bearer-TOKEN" not in line and "/go/…/portal" in line for line in lines), lines


# --------------------------------------------------------------------------- chunked bodies over real HTTP

def _chunks(prefix: bytes, size: int):
    yield prefix
    for _ in range(size // 4096):
        yield b"x" * 4096


def _post_chunked(base: str) -> tuple[int, int]:
    """A chunked web chat message of 64 KB and a chunked webhook POST of 64 KB (over a 4 KB cap)."""
    chat = requests.post(f"{base}/webchat/messages", data=_chunks(b'{"user": "u", "text": "', 64 * 1024),
                         headers={"Content-Type": "application/json"}, timeout=20)
    hook = requests.post(f"{base}/webhooks/facebook", data=_chunks(b'{"object": "page", "pad": "', 64 * 1024),
                         headers={"Content-Type": "application/json", "X-Hub-Signature-256": "sha256=00"}, timeout=20)
    return chat.status_code, hook.status_code


def test_chunked_bodies_are_capped_by_the_dev_server(app, serve):
    app.config["WEBHOOK_MAX_BODY"] = 4096
    assert _post_chunked(serve(app)) == (413, 413)


def test_chunked_bodies_are_capped_under_gunicorn(database_url, tmp_path):
    import os
    import subprocess
    import sys
    import time


    port = _free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "gunicorn-test", "WEBHOOK_MAX_BODY": "4096"}
    env.pop("REDIS_URL", None)
    server = subprocess.Popen([os.path.join(os.path.dirname(sys.executable), "gunicorn"), "-b", f"127.0.0.1:{port}",
                               "-w", "1", "app:create_app()"], env=env, stdout=subprocess.DEVNULL,
                              stderr=open(tmp_path / "gunicorn.log", "wb"))
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                requests.get(f"http://127.0.0.1:{port}/chat", timeout=20)
                break
            except requests.RequestException:  # not listening yet, or the worker still booting
                time.sleep(0.2)
        assert _post_chunked(f"http://127.0.0.1:{port}") == (413, 413)
    finally:
        server.terminate()
        server.wait(10)


def _free_port() -> int:
    # not `from conftest import free_port` inside a test: by then "conftest" names the last one collected
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
