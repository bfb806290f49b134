"""Generated requests for every public endpoint: never a 5xx, never a traceback in the log.

hypothesis writes 10,000 requests per run (EXAMPLES below) through the WSGI app — the webhook
ingress and Flask — with the test client, no sockets: Messenger and Zalo POSTs correctly signed
and not (arbitrary bytes, nesting bombs, well-shaped events with hostile fields), the Messenger
handshake, the web chat (messages, polls, page), /go/<token> (random and genuinely signed
tokens) and the admin login form. TESTING is on, so an exception raised anywhere fails the test
rather than hiding behind a 500 page; the log is checked for tracebacks too.

Rate limits are raised out of the way here (tests/test_webchat_security.py tests them) so that
every example reaches the code under it; login throttling stays as configured.
"""
from __future__ import annotations

import json
import logging
import time

import pytest
from cryptography.fernet import Fernet
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from channels.signatures import facebook_signature, zalo_mac

APP_SECRET, VERIFY_TOKEN = "fuzz-app-secret", "fuzz-verify"
ZALO_APP_ID, ZALO_OA_SECRET = "2553928453557884079", "fuzz-oa-secret"
PASSWORD = "a fuzzing password"

# examples per endpoint: 10,000 in all
EXAMPLES = {
    "facebook_post": 2200, "zalo_post": 2200, "facebook_handshake": 800, "webchat_post": 1500,
    "webchat_poll": 1200, "chat_page": 500, "handoff_page": 1000, "admin_login": 600,
}
assert sum(EXAMPLES.values()) == 10_000
RUN = {"requests": 0, "statuses": {}, "seconds": 0.0}


def fuzz(endpoint: str):
    return settings(max_examples=EXAMPLES[endpoint], deadline=None, derandomize=True, database=None,
                    suppress_health_check=list(HealthCheck), print_blob=True)


@pytest.fixture
def app_config() -> dict:
    unlimited = "1000000/minute"
    return {"FACEBOOK_APP_SECRET": APP_SECRET, "FACEBOOK_VERIFY_TOKEN": VERIFY_TOKEN, "ZALO_APP_ID": ZALO_APP_ID,
            "ZALO_OA_SECRET_KEY": ZALO_OA_SECRET, "TOKEN_ENCRYPTION_KEY": Fernet.generate_key().decode(),
            "FACEBOOK_GRAPH_URL": "http://127.0.0.1:9", "ZALO_OPENAPI_URL": "http://127.0.0.1:9",
            "WEBCHAT_RATE_RESIDENT": unlimited, "WEBCHAT_POLL_RATE_RESIDENT": unlimited,
            "WEBCHAT_RATE_IP": unlimited, "ADMIN_RATE_USER": unlimited, "ADMIN_RATE_IP": unlimited}


def _seed_world(app) -> None:
    """The web chat's commune and one clerk; no Page or OA, so queued events are dropped by the worker."""
    from admin.auth import hash_password
    from admin.models import StaffUser
    from channels.tenancy import add_commune
    from infra.db import session_scope
    from knowledge.store import import_from_files

    import_from_files()
    with session_scope() as db:
        commune = add_commune(db, "demo", {"name": "Xã Thử"})
        db.flush()
        db.add(StaffUser(username="clerk", password_hash=hash_password(PASSWORD), role="commune",
                         commune_id=commune.id, language="vi", active=True))


@pytest.fixture
def database_seed():
    return _seed_world  # made once per session, copied for each test


@pytest.fixture
def world(app):
    return app


@pytest.fixture
def checked(world, caplog):
    """The client, and after the test: no traceback, nothing logged at ERROR or above."""
    caplog.set_level(logging.INFO)
    started = time.perf_counter()
    yield world.test_client()
    RUN["seconds"] += time.perf_counter() - started
    bad = [f"{r.name}: {r.getMessage()}" for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert not bad, bad[:5]


def answer(response) -> int:
    RUN["requests"] += 1
    RUN["statuses"][response.status_code] = RUN["statuses"].get(response.status_code, 0) + 1
    assert response.status_code < 500, response.get_data()[:300]
    return response.status_code


# --------------------------------------------------------------------------- strategies

header_text = st.text(st.characters(max_codepoint=255, blacklist_categories=("Cc",)), max_size=80)
ids = st.one_of(st.text(max_size=20), st.integers(), st.none(), st.booleans(), st.floats(allow_nan=False))
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=16)
bombs = st.builds(lambda n, opener: opener * n, st.integers(1, 60_000), st.sampled_from([b"[", b'{"a":', b"[{", b'"']))
giant_numbers = st.integers(300, 6000).map(lambda n: b'{"object": "page", "entry": [{"id": ' + b"7" * n + b"}]}")
surrogates = st.sampled_from([b'{"object": "page", "entry": [{"id": "\\ud800"}]}', b'"\\udfff"', b'{"\\ud83d": 1}'])


def messenger_item():
    message = st.fixed_dictionaries({}, optional={
        "mid": ids, "text": st.one_of(st.text(max_size=200), json_values), "is_echo": st.booleans(),
        "quick_reply": st.one_of(json_values, st.fixed_dictionaries({"payload": st.one_of(st.text(), json_values)})),
        "attachments": st.one_of(json_values, st.lists(json_values, max_size=2)), "sticker_id": ids})
    return st.fixed_dictionaries({"sender": st.one_of(json_values, st.fixed_dictionaries({"id": ids}))}, optional={
        "timestamp": st.one_of(ids, st.text(st.characters(categories=("Nd", "No")), max_size=30)),
        "message": st.one_of(message, json_values), "postback": json_values,
        "referral": st.one_of(json_values, st.fixed_dictionaries({"ref": ids})), "recipient": json_values})


messenger_bodies = st.fixed_dictionaries({
    "object": st.one_of(st.just("page"), json_values),
    "entry": st.one_of(json_values, st.lists(st.fixed_dictionaries({"id": ids}, optional={
        "time": ids, "messaging": st.one_of(json_values, st.lists(messenger_item(), max_size=3))}), max_size=3)),
})
zalo_bodies = st.fixed_dictionaries({
    "event_name": st.one_of(st.sampled_from(["user_send_text", "user_send_image", "follow", "unfollow",
                                              "user_send_location", "oa_send_text"]), json_values),
    "timestamp": st.one_of(st.just("now"), ids, st.text(st.characters(categories=("Nd", "No")), max_size=40)),
}, optional={
    "sender": st.one_of(json_values, st.fixed_dictionaries({"id": ids})),
    "recipient": st.one_of(json_values, st.fixed_dictionaries({"id": ids})),
    "follower": st.one_of(json_values, st.fixed_dictionaries({"id": ids})), "oa_id": ids, "app_id": ids,
    "message": st.one_of(json_values, st.fixed_dictionaries({"msg_id": ids}, optional={
        "text": st.one_of(st.text(max_size=200), st.text(max_size=20).map(lambda t: "#p:" + t), json_values)})),
})


def as_bytes(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass")


bodies = st.one_of(st.binary(max_size=400), bombs, giant_numbers, surrogates, json_values.map(as_bytes))


# --------------------------------------------------------------------------- webhooks

@fuzz("facebook_post")
@given(body=st.one_of(messenger_bodies.map(as_bytes), bodies), signing=st.sampled_from(["valid", "forged", "none"]),
       forged=header_text, chunked=st.booleans())
def test_messenger_posts(checked, body, signing, forged, chunked):
    headers = {"X-Hub-Signature-256": facebook_signature(body, APP_SECRET) if signing == "valid" else forged}
    if signing == "none":
        headers = {}
    if chunked:
        headers["Transfer-Encoding"] = "chunked"
    response = checked.post("/webhooks/facebook", data=body, headers=headers,
                            environ_overrides={"wsgi.input_terminated": True})
    status = answer(response)
    if signing != "valid":
        assert status in (403, 413) or (signing == "forged" and forged.startswith("sha256=") and status != 200)


@fuzz("zalo_post")
@given(data=st.one_of(zalo_bodies, json_values), raw=bodies, signing=st.sampled_from(["valid", "forged", "raw"]),
       forged=header_text, first=st.sampled_from([ZALO_APP_ID, ""]))
def test_zalo_posts(checked, data, raw, signing, forged, first):
    if isinstance(data, dict) and data.get("timestamp") == "now":
        data["timestamp"] = str(int(time.time() * 1000))
    body = raw if signing == "raw" else as_bytes(data)
    timestamp = str(data.get("timestamp")) if isinstance(data, dict) else ""
    mac = zalo_mac(first, body, timestamp, ZALO_OA_SECRET) if signing == "valid" else forged
    answer(checked.post("/webhooks/zalo", data=body, headers={"X-ZEvent-Signature": f"mac={mac}"}))


@fuzz("facebook_handshake")
@given(mode=st.one_of(st.just("subscribe"), st.text(max_size=20)),
       token=st.one_of(st.just(VERIFY_TOKEN), st.text(max_size=40)), challenge=st.text(max_size=60))
def test_messenger_handshake(checked, mode, token, challenge):
    response = checked.get("/webhooks/facebook", query_string={"hub.mode": mode, "hub.verify_token": token,
                                                                "hub.challenge": challenge})
    status = answer(response)
    assert status == (200 if (mode, token) == ("subscribe", VERIFY_TOKEN) else 403)


# --------------------------------------------------------------------------- web chat

users = st.one_of(st.text(min_size=1, max_size=12), st.sampled_from(["u-1", "u-2"]), json_values)
messages = st.fixed_dictionaries({"user": users}, optional={
    "text": st.one_of(st.text(max_size=300), st.sampled_from(["xin chào", "gặp cán bộ", "khai sinh", "menu",
                                                               "xóa dữ liệu của tôi"]), json_values),
    "payload": st.one_of(st.sampled_from(["START", "MENU", "HANDOFF", "LANG:en"]), st.text(max_size=40), json_values)})
query_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


@fuzz("webchat_post")
@given(body=st.one_of(messages.map(as_bytes), bodies), commune=st.one_of(st.none(), st.just("demo"), query_text),
       content_type=st.sampled_from(["application/json", "text/plain", "application/x-www-form-urlencoded"]))
def test_web_chat_messages(checked, body, commune, content_type):
    path = "/webchat/messages"
    response = checked.post(path, data=body, content_type=content_type,
                            query_string={"commune": commune} if commune is not None else None)
    answer(response)


@fuzz("webchat_poll")
@given(user=query_text, after=st.one_of(query_text, st.integers(-10, 10 ** 30).map(str),
                                        st.integers(1, 6000).map(lambda n: "9" * n)),
       commune=st.one_of(st.none(), st.just("demo"), query_text))
def test_web_chat_polls(checked, user, after, commune):
    query = {"user": user, "after": after, **({"commune": commune} if commune is not None else {})}
    answer(checked.get("/webchat/messages", query_string=query))


@fuzz("chat_page")
@given(lang=query_text, commune=query_text, accept=header_text)
def test_chat_page(checked, lang, commune, accept):
    answer(checked.get("/chat", query_string={"lang": lang, "commune": commune}, headers={"Accept-Language": accept}))


# --------------------------------------------------------------------------- /go and the login form

@fuzz("handoff_page")
@given(token=st.one_of(st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=120),
                       st.text(max_size=40)), signed=st.booleans(), portal=st.booleans())
def test_handoff_links(checked, world, token, signed, portal):
    from procedures.handoff_token import make_token

    if signed:
        with world.test_request_context():
            token = make_token(token)
    path = "/go/" + token.replace("/", "%2F").replace("?", "%3F").replace("#", "%23") + ("/portal" if portal else "")
    answer(checked.get(path))


@fuzz("admin_login")
@given(username=st.one_of(st.just("clerk"), query_text), password=st.one_of(st.just(PASSWORD), query_text),
       next_=st.one_of(st.just("/admin/"), query_text, st.just("//evil.example")), with_token=st.booleans())
def test_admin_login(checked, username, password, next_, with_token):
    form = {"username": username, "password": password, "next": next_}
    if with_token:
        form["csrf_token"] = csrf_token(checked, "/admin/login")
    response = checked.post("/admin/login", data=form)
    status = answer(response)
    if status == 302:
        assert response.headers["Location"].startswith("/admin")
        assert answer(checked.post("/admin/logout", data={"csrf_token": csrf_token(checked, "/admin/c/demo/faq")})) == 302


def csrf_token(client, path: str) -> str:
    page = client.get(path).get_data(as_text=True)
    return page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def test_report(capsys):
    """Prints what the run did (read it with -s): requests, statuses, seconds in the fuzz tests."""
    with capsys.disabled():
        print(f"\nfuzz: {RUN['requests']} requests, statuses {dict(sorted(RUN['statuses'].items()))}, "
              f"{RUN['seconds']:.1f} s")
