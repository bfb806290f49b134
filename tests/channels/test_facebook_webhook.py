"""webhooks/facebook.py: handshake, signatures, shapes, batching, echoes, referrals, limits (inline jobs)."""
from __future__ import annotations

import json

import pytest
from conftest import PAGE_A, PAGE_B, TOKEN_A, VERIFY_TOKEN, fb_body, fb_text, message_text, now_ms, signed_fb
from sqlalchemy import select

from infra.db import session_scope
from infra.models import Subscriber


def post(client, body, headers=None):
    raw, signed = signed_fb(body)
    return client.post("/webhooks/facebook", data=raw, headers=headers or signed)


def test_verification_handshake_echoes_challenge(client):
    ok = client.get("/webhooks/facebook", query_string={
        "hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1158201444"})
    assert ok.status_code == 200 and ok.get_data(as_text=True) == "1158201444"
    wrong = client.get("/webhooks/facebook", query_string={
        "hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "1"})
    assert wrong.status_code == 403
    assert client.get("/webhooks/facebook").status_code == 403


def test_forged_or_missing_signature_is_403_and_nothing_sent(seeded, client, fake):
    body = fb_body(PAGE_A, fb_text(PAGE_A, "psid-1", "m_forged", "Đăng ký khai sinh"))
    raw, headers = signed_fb(body, secret="not-the-app-secret")
    assert client.post("/webhooks/facebook", data=raw, headers=headers).status_code == 403
    assert client.post("/webhooks/facebook", data=raw, headers={"Content-Type": "application/json"}).status_code == 403
    # a body changed after signing (signature of the re-serialised dict, the classic bug)
    raw, headers = signed_fb(body)
    tampered = json.dumps(body).encode()  # ASCII-escaped: different bytes, same dict
    assert tampered != raw
    assert client.post("/webhooks/facebook", data=tampered, headers=headers).status_code == 403
    assert fake.calls == []


@pytest.mark.parametrize("raw, message", [
    (b"{not json", "not valid JSON"),
    (b"[1, 2]", "JSON object"),
    (json.dumps({"object": "instagram", "entry": []}).encode(), '"object" must be "page"'),
    (json.dumps({"object": "page", "entry": {"id": "1"}}).encode(), '"entry" must be a list'),
    (json.dumps({"object": "page", "entry": [{"messaging": []}]}).encode(), "entry[0].id"),
    (json.dumps({"object": "page", "entry": [{"id": "1", "messaging": [{"recipient": {"id": "1"}}]}]}).encode(),
     "sender.id"),
    (json.dumps({"object": "page", "entry": [{"id": "1", "messaging": [
        {"sender": {"id": "2"}, "recipient": {"id": "1"}, "message": {"mid": "m1"}}]}]}).encode(),
     "neither text nor attachments"),
])
def test_malformed_or_unknown_shape_is_400_with_reason(client, raw, message):
    _, headers = signed_fb(raw)
    response = client.post("/webhooks/facebook", data=raw, headers=headers)
    assert response.status_code == 400
    assert message in response.get_json()["error"]


def test_oversized_body_is_refused(app, client):
    raw = b'{"object": "page", "entry": [], "pad": "' + b"x" * app.config["WEBHOOK_MAX_BODY"] + b'"}'
    _, headers = signed_fb(raw)
    response = client.post("/webhooks/facebook", data=raw, headers=headers)
    assert response.status_code == 413
    assert "larger than" in response.get_json()["error"]


def test_text_answered_to_the_right_user_on_the_right_page(seeded, client, fake):
    response = post(client, fb_body(PAGE_A, fb_text(PAGE_A, "psid-1", "m_1", "Đăng ký khai sinh")))
    assert response.status_code == 200 and response.get_json() == {"queued": 1, "duplicates": 0}
    sends = fake.sends("facebook")
    assert sends, fake.calls
    assert {c.headers["X-Page"] for c in sends} == {PAGE_A}
    assert {c.body["recipient"]["id"] for c in sends} == {"psid-1"}
    assert all(c.body["messaging_type"] == "RESPONSE" for c in sends)
    assert "khai sinh" in message_text(sends[0].body["message"]).lower()
    # the typing indicator (TYPING_INDICATOR_AFTER_MS = 0 here) came before the answer
    first = next(c for c in fake.calls if c.service == "facebook")
    assert first.body == {"recipient": {"id": "psid-1"}, "sender_action": "typing_on"}
    # the page token travelled in a header, never in the URL
    assert all("access_token" not in c.path for c in fake.calls)
    assert all(c.headers.get("Authorization") == f"Bearer {TOKEN_A}" for c in sends)


def test_batched_entries_and_items_are_all_answered_and_echoes_ignored(seeded, client, fake):
    """channels.md sample 1 + sample 3 in one POST, across two Pages."""
    body = {"object": "page", "entry": [
        {"id": PAGE_A, "time": now_ms(), "messaging": [
            {"sender": {"id": "psid-1"}, "recipient": {"id": PAGE_A}, "timestamp": now_ms(),
             "message": {"mid": "m_AbCdEf123", "text": "Đăng ký khai sinh",
                         "quick_reply": {"payload": "ASK:khai-sinh"}}},
            {"sender": {"id": "psid-1"}, "recipient": {"id": PAGE_A}, "timestamp": now_ms(),
             "message": {"mid": "m_GhIjKl456", "attachments": [{"type": "image", "payload": {"url": "https://x/y.jpg"}}]}},
            {"sender": {"id": PAGE_A}, "recipient": {"id": "psid-1"}, "timestamp": now_ms(),
             "message": {"is_echo": True, "app_id": 263902037430900, "mid": "m_StUvWx012",
                         "text": "Cán bộ một cửa sẽ gọi lại cho anh/chị."}},
        ]},
        {"id": PAGE_B, "time": now_ms(), "messaging": [fb_text(PAGE_B, "psid-9", "m_b1", "xin chào")]},
    ]}
    response = post(client, body)
    assert response.get_json() == {"queued": 4, "duplicates": 0}  # the echo too: its time serves the funnel
    sends = fake.sends("facebook")
    by_user = {(c.headers["X-Page"], c.body["recipient"]["id"]) for c in sends}
    assert by_user == {(PAGE_A, "psid-1"), (PAGE_B, "psid-9")}
    texts = [message_text(c.body["message"]) for c in sends]
    assert any("khai sinh" in t.lower() for t in texts)  # quick-reply payload answered
    assert any("Xã Bình Minh" in t for t in texts)  # page B's greeting names commune B
    # nothing was sent to the page itself (echo ignored)
    assert all(c.body["recipient"]["id"] != PAGE_A for c in fake.calls)


def test_duplicate_delivery_is_answered_once(seeded, client, fake):
    body = fb_body(PAGE_A, fb_text(PAGE_A, "psid-1", "m_dup", "xin chào"))
    assert post(client, body).get_json() == {"queued": 1, "duplicates": 0}
    count = len(fake.sends("facebook"))
    assert post(client, body).get_json() == {"queued": 0, "duplicates": 1}
    assert len(fake.sends("facebook")) == count > 0


def test_referral_ref_naming_a_procedure_opens_its_guide(seeded, client, fake):
    """Sample 2: Get Started after m.me/PAGE?ref=khai-sinh (a new thread)."""
    item = {"sender": {"id": "psid-2"}, "recipient": {"id": PAGE_A}, "timestamp": now_ms(),
            "postback": {"mid": "m_MnOpQr789", "title": "Bắt đầu", "payload": "GET_STARTED",
                         "referral": {"ref": "khai-sinh", "source": "SHORTLINK", "type": "OPEN_THREAD"}}}
    post(client, fb_body(PAGE_A, item))
    assert "khai sinh" in message_text(fake.sends("facebook")[0].body["message"]).lower()


def test_referral_in_existing_thread_with_unknown_ref_greets(seeded, client, fake):
    item = {"sender": {"id": "psid-3"}, "recipient": {"id": PAGE_A}, "timestamp": now_ms(),
            "referral": {"ref": "qr_nha_van_hoa", "source": "SHORTLINK", "type": "OPEN_THREAD"}}
    post(client, fb_body(PAGE_A, item))
    texts = [message_text(c.body["message"]) for c in fake.sends("facebook")]
    assert any("Xã An Phú" in t for t in texts)


def test_first_contact_creates_subscriber_record(seeded, client, fake):
    post(client, fb_body(PAGE_A, fb_text(PAGE_A, "psid-new", "m_new", "xin chào")))
    with seeded.app_context(), session_scope() as db:
        sub = db.scalar(select(Subscriber).where(Subscriber.user_id == "psid-new"))
        assert sub is not None and sub.channel == "facebook" and sub.last_message_at is not None


def test_unknown_page_is_acknowledged_and_dropped(seeded, client, fake, caplog):
    caplog.set_level("WARNING", logger="channels.worker")
    response = post(client, fb_body("999999", fb_text("999999", "psid-1", "m_unknown", "xin chào")))
    assert response.status_code == 200
    assert fake.calls == []
    assert any("unknown page/OA 999999" in r.getMessage() for r in caplog.records)


def test_delivery_and_read_items_are_acknowledged_without_reply(seeded, client, fake):
    item = {"sender": {"id": "psid-1"}, "recipient": {"id": PAGE_A}, "timestamp": now_ms(),
            "read": {"watermark": now_ms()}}
    delivered = {"sender": {"id": "psid-1"}, "recipient": {"id": PAGE_A}, "timestamp": now_ms(),
                 "delivery": {"watermark": now_ms()}}
    # the read receipt is queued for the campaign funnel (outreach/receipts.py); nothing is answered
    assert post(client, fb_body(PAGE_A, item, delivered)).get_json() == {"queued": 1, "duplicates": 0}
    assert fake.calls == []


def test_queue_down_is_503_so_the_platform_redelivers(make_app, channel_settings):
    import socket

    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    app = make_app(**channel_settings, REDIS_URL=f"redis://127.0.0.1:{port}/0", JOBS_INLINE=False)
    raw, headers = signed_fb(fb_body(PAGE_A, fb_text(PAGE_A, "psid-1", "m_down", "xin chào")))
    response = app.test_client().post("/webhooks/facebook", data=raw, headers=headers)
    assert response.status_code == 503 and "retry later" in response.get_json()["error"]
