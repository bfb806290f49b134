"""Webhooks on any bytes: non-ASCII signatures and verify tokens, nesting that breaks json.loads,
giant numbers, replayed (stale) Zalo events — each a clear 4xx with no traceback in the log."""
from __future__ import annotations

import json
import logging

import pytest
from conftest import PAGE_A, VERIFY_TOKEN, fb_body, fb_text, signed_fb, signed_zalo, zalo_text


@pytest.fixture(autouse=True)
def no_traceback(caplog):
    caplog.set_level(logging.DEBUG)
    yield
    assert not [r for r in caplog.records if r.exc_info], "a traceback was logged"


@pytest.mark.parametrize("path, header", [("/webhooks/facebook", "X-Hub-Signature-256"),
                                          ("/webhooks/zalo", "X-ZEvent-Signature")])
@pytest.mark.parametrize("value", ["sha256=ñññ", "mac=chữ ký", "sha256=\u00e9" * 40, "mac=\udc80"])
def test_non_ascii_signatures_are_403(client, path, header, value):
    raw = json.dumps(zalo_text("u-1", "msg-1", "xin chào")).encode()
    response = client.post(path, data=raw, headers={header: value.encode("utf-8", "surrogateescape").decode("latin-1")})
    assert response.status_code == 403


@pytest.mark.parametrize("token", ["chữ", "\u00ff" * 3, VERIFY_TOKEN + "é", ""])
def test_a_non_ascii_verify_token_is_403(client, token):
    response = client.get("/webhooks/facebook", query_string={"hub.mode": "subscribe", "hub.verify_token": token,
                                                              "hub.challenge": "42"})
    assert response.status_code == 403


def test_the_right_verify_token_still_echoes_the_challenge(client):
    response = client.get("/webhooks/facebook", query_string={"hub.mode": "subscribe",
                                                              "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "42"})
    assert (response.status_code, response.get_data()) == (200, b"42")


def test_nesting_before_the_signature_is_checked_is_400(client):
    response = client.post("/webhooks/zalo", data=b"[" * 100_000, headers={"X-ZEvent-Signature": "mac=00"})
    assert response.status_code == 400 and "nested deeper" in response.get_json()["error"]


@pytest.mark.parametrize("depth", [40, 900, 5000])
def test_nesting_with_a_valid_signature_is_400(seeded, client, depth):
    nested = "[" * depth + "]" * depth
    raw, headers = signed_fb(('{"object": "page", "entry": [{"id": "%s", "messaging": [{"sender": {"id": "p"},'
                              ' "message": {"mid": "m", "text": "x", "quick_reply": {"payload": %s}}}]}]}'
                              % (PAGE_A, nested)).encode())
    response = client.post("/webhooks/facebook", data=raw, headers=headers)
    assert response.status_code == 400 and "nested deeper" in response.get_json()["error"]
    body = zalo_text("u-1", "msg-deep", "x")
    body["message"]["attachments"] = json.loads(nested) if depth < 900 else []
    raw, headers = signed_zalo(body)
    assert client.post("/webhooks/zalo", data=raw, headers=headers).status_code in (200, 400)


def test_huge_numbers_and_odd_digits_are_400_or_ignored(seeded, client):
    raw, headers = signed_fb(b'{"object": "page", "entry": [{"id": 1' + b"9" * 5000 + b'}]}')
    assert client.post("/webhooks/facebook", data=raw, headers=headers).status_code == 400
    item = fb_text(PAGE_A, "psid-n", "m_n", "xin chào")
    item["timestamp"] = "²³"
    raw, headers = signed_fb(fb_body(PAGE_A, item))
    assert client.post("/webhooks/facebook", data=raw, headers=headers).status_code == 200


def test_lone_surrogates_in_a_signed_body_are_queued_not_a_5xx(seeded, client):
    raw, headers = signed_fb(b'{"object": "page", "entry": [{"id": "%s", "messaging": [{"sender": {"id": "p"},'
                             b' "message": {"mid": "m_sur", "text": "\\ud800 xin"}}]}]}' % PAGE_A.encode())
    assert client.post("/webhooks/facebook", data=raw, headers=headers).status_code == 200


@pytest.mark.parametrize("minutes, status", [(0, 200), (5, 200), (11, 403), (-11, 403), (60 * 24, 403)])
def test_zalo_events_older_than_the_max_age_are_refused(seeded, client, minutes, status):
    raw, headers = signed_zalo(zalo_text("u-age", f"msg-age-{minutes}", "xin chào", hours_ago=minutes / 60))
    response = client.post("/webhooks/zalo", data=raw, headers=headers)
    assert response.status_code == status
    if status == 403:
        assert response.get_json() == {"error": "the event is not from the last 600 seconds"}


def test_the_max_age_is_a_setting(seeded, client):
    seeded.config["ZALO_EVENT_MAX_AGE"] = 60
    raw, headers = signed_zalo(zalo_text("u-age", "msg-age-2m", "xin chào", hours_ago=2 / 60))
    assert client.post("/webhooks/zalo", data=raw, headers=headers).status_code == 403
