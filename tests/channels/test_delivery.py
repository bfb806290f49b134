"""channels/delivery.py: retries with backoff, permanent failures, dead letters, messaging windows."""
from __future__ import annotations

from conftest import PAGE_A, fb_body, fb_text, signed_fb, signed_zalo, zalo_text
from sqlalchemy import select

from channels.delivery import backoff
from channels.models import DeadLetter, Delivery
from infra.db import session_scope


def post_fb(client, *items):
    raw, headers = signed_fb(fb_body(PAGE_A, *items))
    assert client.post("/webhooks/facebook", data=raw, headers=headers).status_code == 200


def post_zalo(client, body):
    raw, headers = signed_zalo(body)
    assert client.post("/webhooks/zalo", data=raw, headers=headers).status_code == 200


def rows(app, model):
    with app.app_context(), session_scope() as db:
        return list(db.scalars(select(model).order_by(model.id)))


def test_transient_failures_are_retried_then_succeed(seeded, client, fake):
    fake.plan = ["http_500", "timeout", "fb_rate_limit", "fb_temporary"]
    post_fb(client, fb_text(PAGE_A, "psid-1", "m_retry", "Đăng ký khai sinh"))
    attempts = fake.attempts("facebook")
    assert [c.outcome for c in attempts[:5]] == ["http_500", "timeout", "fb_rate_limit", "fb_temporary", "ok"]
    first = attempts[0].body
    assert all(c.body == first for c in attempts[:5])  # the same message each time
    deliveries = rows(seeded, Delivery)
    assert deliveries[0].status == "sent" and deliveries[0].attempts == 5
    assert all(d.status == "sent" for d in deliveries)
    assert rows(seeded, DeadLetter) == []
    # every part arrived exactly once, in order
    sent = [c.body["message"] for c in fake.sends("facebook")]
    assert sent == [d.body for d in deliveries]


def test_permanent_failure_is_recorded_not_retried(seeded, client, fake):
    fake.blocked.add("psid-blocked")
    post_fb(client, fb_text(PAGE_A, "psid-blocked", "m_blocked", "Đăng ký khai sinh"))
    assert [c.outcome for c in fake.attempts("facebook")] == ["fb_551"]
    deliveries = rows(seeded, Delivery)
    assert deliveries[0].status == "failed" and deliveries[0].error_code == "551/1545041"
    assert deliveries[0].attempts == 1
    letters = rows(seeded, DeadLetter)
    assert letters[0].reason == "user_unreachable" and letters[0].error_code == "551/1545041"
    assert "isn't available" in letters[0].detail
    assert {d.status for d in deliveries[1:]} <= {"failed"}
    assert len(letters) == len(deliveries)  # every part not delivered is visible to staff


def test_retries_end_in_the_dead_letter_table(seeded, client, fake):
    fake.plan = ["http_503"] * 10
    post_fb(client, fb_text(PAGE_A, "psid-1", "m_exhaust", "xin chào"))
    limit = seeded.config["DELIVERY_MAX_ATTEMPTS"]
    assert [c.outcome for c in fake.attempts("facebook")] == ["http_503"] * limit
    letter = rows(seeded, DeadLetter)[0]
    assert (letter.reason, letter.error_code, letter.attempts) == ("retries_exhausted", "http_503", limit)


def test_reply_outside_messenger_window_is_skipped_with_reason(seeded, client, fake):
    post_fb(client, fb_text(PAGE_A, "psid-old", "m_old", "xin chào", hours_ago=25))
    assert fake.attempts("facebook") == []
    deliveries = rows(seeded, Delivery)
    assert deliveries and {d.status for d in deliveries} == {"skipped"}
    letter = rows(seeded, DeadLetter)[0]
    assert letter.reason == "outside_window"
    assert "24 h messaging window" in letter.detail and "25.0 h ago" in letter.detail


def test_zalo_window_is_seven_days(seeded, client, fake):
    seeded.config["ZALO_EVENT_MAX_AGE"] = 0  # old events are refused at the door otherwise (a replay)
    post_zalo(client, zalo_text("u-30h", "msg-30h", "xin chào", hours_ago=30))
    assert fake.sends("zalo")
    before = len(fake.calls)
    post_zalo(client, zalo_text("u-8d", "msg-8d", "xin chào", hours_ago=8 * 24))
    assert len(fake.calls) == before
    letter = rows(seeded, DeadLetter)[-1]
    assert letter.reason == "outside_window" and "168 h" in letter.detail


def test_zalo_platform_window_error_is_permanent(seeded, client, fake):
    fake.plan = ["zalo_-230"]
    post_zalo(client, zalo_text("u-1", "msg-230", "xin chào"))
    assert [c.outcome for c in fake.attempts("zalo")] == ["zalo_-230"]
    letter = rows(seeded, DeadLetter)[0]
    assert (letter.reason, letter.error_code) == ("outside_window", "-230")


def test_zalo_rate_limit_is_retried(seeded, client, fake):
    fake.plan = ["zalo_-32", "http_500"]
    post_zalo(client, zalo_text("u-1", "msg-32", "xin chào"))
    assert [c.outcome for c in fake.attempts("zalo")][:3] == ["zalo_-32", "http_500", "ok"]
    assert rows(seeded, DeadLetter) == []


def test_backoff_grows_exponentially_with_jitter(app):
    with app.app_context():
        base, cap = app.config["DELIVERY_RETRY_BASE_MS"] / 1000, app.config["DELIVERY_RETRY_MAX_MS"] / 1000
        for attempts in range(1, 8):
            ceiling = min(cap, base * 2 ** (attempts - 1))
            samples = [backoff(attempts) for _ in range(200)]
            assert all(ceiling / 2 <= s <= ceiling for s in samples)
            assert len(set(samples)) > 100  # jittered, not a fixed ladder
