"""End to end over real HTTP on 127.0.0.1: platform → our webhook server → job queue (ThreadQueue
embedded, RQ on real Redis in the services run) → engine → the fake platform's Send APIs."""
from __future__ import annotations

import threading

from conftest import (OA_A, PAGE_A, PAGE_B, TOKEN_B, fb_body, fb_text, message_text, signed_fb, signed_zalo,
                      zalo_text)
from sqlalchemy import select

from channels.models import ZALO, DeadLetter, Delivery
from channels.tenancy import Credentials, get_commune, set_account
from infra.db import session_scope


def fb(live, *items, page=PAGE_A):
    raw, headers = signed_fb(fb_body(page, *items))
    return live.post("/webhooks/facebook", raw, headers)


def zl(live, body):
    raw, headers = signed_zalo(body)
    return live.post("/webhooks/zalo", raw, headers)


def test_messenger_and_zalo_messages_get_the_right_answer(live, fake):
    assert fb(live, fb_text(PAGE_B, "psid-b", "m_e2e_fb", "Đăng ký khai sinh"), page=PAGE_B).json() == \
        {"queued": 1, "duplicates": 0}
    assert zl(live, zalo_text("zalo-user-7", "msg-e2e", "Đăng ký khai sinh")).json() == {"queued": 1, "duplicates": 0}
    live.run_jobs()
    fb_sends, zalo_sends = fake.sends("facebook"), fake.sends("zalo")
    assert {(c.headers["X-Page"], c.body["recipient"]["id"]) for c in fb_sends} == {(PAGE_B, "psid-b")}
    assert {c.headers["Authorization"] for c in fb_sends} == {f"Bearer {TOKEN_B}"}
    assert {(c.headers["X-OA"], c.body["recipient"]["user_id"]) for c in zalo_sends} == {(OA_A, "zalo-user-7")}
    assert "khai sinh" in message_text(fb_sends[0].body["message"]).lower()
    assert "khai sinh" in message_text(zalo_sends[0].body["message"]).lower()


def test_forged_signature_is_403(live, fake):
    raw, headers = signed_fb(fb_body(PAGE_A, fb_text(PAGE_A, "p", "m_forged", "hi")), secret="forged")
    assert live.post("/webhooks/facebook", raw, headers).status_code == 403
    raw, headers = signed_zalo(zalo_text("u", "msg-forged", "hi"), secret="forged")
    assert live.post("/webhooks/zalo", raw, headers).status_code == 403
    response = live.post("/webhooks/facebook", b"{", signed_fb(b"{")[1])
    assert response.status_code == 400 and "JSON" in response.json()["error"]
    live.run_jobs()
    assert fake.calls == []


def test_concurrent_duplicate_deliveries_are_answered_once(live, fake):
    raw, headers = signed_fb(fb_body(PAGE_A, fb_text(PAGE_A, "psid-dup", "m_e2e_dup", "xin chào")))
    answers = []
    threads = [threading.Thread(target=lambda: answers.append(live.post("/webhooks/facebook", raw, headers).json()))
               for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(a["queued"] for a in answers) == [0, 0, 0, 0, 0, 1]
    live.run_jobs()
    sends = fake.sends("facebook")
    with live.app.app_context(), session_scope() as db:
        parts = db.scalars(select(Delivery).where(Delivery.event_key.like("%m_e2e_dup"))).all()
    assert len(sends) == len(parts) > 0


def test_failure_injection_retries_then_success_and_permanent_errors_recorded(live, fake):
    fake.plan = ["http_500", "timeout", "fb_rate_limit"]
    fb(live, fb_text(PAGE_A, "psid-retry", "m_e2e_retry", "xin chào"))
    live.run_jobs(30)
    attempts = [c.outcome for c in fake.attempts("facebook")]
    assert attempts[:4] == ["http_500", "timeout", "fb_rate_limit", "ok"]
    fake.blocked.add("psid-gone")
    fb(live, fb_text(PAGE_A, "psid-gone", "m_e2e_gone", "xin chào"))
    live.run_jobs()
    assert [c.outcome for c in fake.attempts("facebook") if c.body["recipient"]["id"] == "psid-gone"] == ["fb_551"]
    with live.app.app_context(), session_scope() as db:
        letters = db.scalars(select(DeadLetter)).all()
        retried = db.scalars(select(Delivery).where(Delivery.event_key.like("%m_e2e_retry"))).all()
    assert {letter.user_id for letter in letters} == {"psid-gone"}
    assert letters[0].error_code == "551/1545041"
    assert retried[0].attempts == 4 and {d.status for d in retried} == {"sent"}


def test_expired_zalo_token_is_refreshed_by_the_worker(live, fake):
    with live.app.app_context(), session_scope() as db:
        set_account(db, get_commune(db, "xa-a"), ZALO, Credentials(expires_in=0))
    zl(live, zalo_text("zalo-user-8", "msg-e2e-refresh", "xin chào"))
    live.run_jobs()
    assert len(fake.oauth_calls()) == 1
    assert {c.headers["Access-Token"] for c in fake.sends("zalo")} == set(fake.zalo_tokens)


def test_batch_of_many_users_all_answered(live, fake):
    items = [fb_text(PAGE_A, f"psid-{i}", f"m_batch_{i}", "xin chào") for i in range(20)]
    assert fb(live, *items).json() == {"queued": 20, "duplicates": 0}
    live.run_jobs(60)
    assert {c.body["recipient"]["id"] for c in fake.sends("facebook")} == {f"psid-{i}" for i in range(20)}
