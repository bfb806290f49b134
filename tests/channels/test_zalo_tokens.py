"""channels/zalo_tokens.py: refresh before expiry, new pair stored encrypted, one refresh across workers."""
from __future__ import annotations

import logging
import threading

import pytest
from conftest import OA_A, PAGE_A, TOKEN_A, ZALO_ACCESS, ZALO_REFRESH, fb_body, fb_text, signed_fb, signed_zalo, zalo_text
from sqlalchemy import select

from channels import crypto, zalo_tokens
from channels.accounts import find_account
from channels.models import ZALO, ChannelAccount, DeadLetter
from channels.tenancy import Credentials, get_commune, set_account
from infra.db import session_scope


def expire(app, seconds_left: int = 60) -> int:
    with app.app_context(), session_scope() as db:
        set_account(db, get_commune(db, "xa-a"), ZALO, Credentials(expires_in=seconds_left))
        return find_account(db, ZALO, OA_A).id


def stored(app) -> ChannelAccount:
    with app.app_context(), session_scope() as db:
        return db.scalar(select(ChannelAccount).where(ChannelAccount.platform == ZALO))


def test_token_close_to_expiry_is_refreshed_before_sending(seeded, client, fake):
    expire(seeded, seconds_left=60)  # inside the refresh margin
    raw, headers = signed_zalo(zalo_text("u-1", "msg-refresh", "xin chào"))
    assert client.post("/webhooks/zalo", data=raw, headers=headers).status_code == 200
    (oauth,) = fake.oauth_calls()
    assert oauth.body == {"refresh_token": ZALO_REFRESH, "app_id": "2553928453557884079",
                          "grant_type": "refresh_token"}
    assert oauth.headers["Secret-Key"] == "zalo-app-secret"
    row = stored(seeded)
    with seeded.app_context():
        new_access, new_refresh = crypto.decrypt(row.access_token), crypto.decrypt(row.refresh_token)
    assert new_access.startswith("zat-") and new_refresh.startswith("zrt-")
    assert new_access not in row.access_token  # stored encrypted
    sends = fake.sends("zalo")
    assert sends and {c.headers["Access-Token"] for c in sends} == {new_access}
    assert ZALO_REFRESH not in fake.zalo_refresh  # the old refresh token is spent


def test_revoked_token_is_refreshed_once_and_the_send_retried(seeded, client, fake):
    fake.zalo_tokens.clear()  # Zalo no longer accepts the stored token (-216), expiry looks far
    raw, headers = signed_zalo(zalo_text("u-1", "msg-216", "xin chào"))
    client.post("/webhooks/zalo", data=raw, headers=headers)
    outcomes = [c.outcome for c in fake.attempts("zalo")]
    assert outcomes[:2] == ["invalid_token", "ok"]
    assert len(fake.oauth_calls()) == 1


def test_refused_refresh_is_a_permanent_failure_for_staff(seeded, client, fake):
    expire(seeded, seconds_left=0)
    fake.zalo_refresh.clear()  # the refresh token was used elsewhere or expired
    raw, headers = signed_zalo(zalo_text("u-1", "msg-norefresh", "xin chào"))
    client.post("/webhooks/zalo", data=raw, headers=headers)
    assert fake.attempts("zalo") == []
    with seeded.app_context(), session_scope() as db:
        letter = db.scalars(select(DeadLetter)).first()
    assert (letter.reason, letter.error_code) == ("token_refresh_failed", "-14014")


def _race(apps, account_id, fake) -> list[str]:
    fake.oauth_delay = 0.4  # widen the window in which both workers see an old token
    barrier, results, errors = threading.Barrier(len(apps)), [], []

    def worker(app):
        try:
            with app.app_context():
                barrier.wait()
                results.append(zalo_tokens.access_token(account_id))
        except Exception as error:  # surfaced below
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(a,)) for a in apps]
    for t in threads:
        t.start()
    for t in threads:
        t.join(15)
    assert errors == []
    return results


@pytest.mark.embedded
def test_concurrent_threads_refresh_once(seeded, fake):
    account_id = expire(seeded)
    results = _race([seeded] * 4, account_id, fake)
    assert len(fake.oauth_calls()) == 1
    assert len(set(results)) == 1 and results[0].startswith("zat-")


@pytest.mark.services
def test_two_worker_apps_on_redis_refresh_once(seeded, make_app, channel_settings, fake):
    """Two apps = two workers sharing PostgreSQL and Redis: the Redis lock lets one refresh."""
    other = make_app(**channel_settings)
    account_id = expire(seeded)
    results = _race([seeded, other, seeded, other], account_id, fake)
    assert len(fake.oauth_calls()) == 1
    assert len(set(results)) == 1 and results[0].startswith("zat-")


def test_tokens_never_appear_in_logs(seeded, client, fake, caplog, runner):
    caplog.set_level(logging.DEBUG)
    expire(seeded, seconds_left=0)
    fake.plan = ["http_500", "fb_551"]
    raw, headers = signed_fb(fb_body(PAGE_A, fb_text(PAGE_A, "psid-1", "m_log", "xin chào")))
    client.post("/webhooks/facebook", data=raw, headers=headers)
    raw, headers = signed_zalo(zalo_text("u-1", "msg-log", "xin chào"))
    client.post("/webhooks/zalo", data=raw, headers=headers)
    listing = runner.invoke(args=["communes", "list", "--json"])
    assert listing.exit_code == 0
    with seeded.app_context(), session_scope() as db:
        account_repr = repr(find_account(db, ZALO, OA_A))
    new_tokens = [t for t in fake.zalo_tokens] + [t for t in fake.zalo_refresh]
    secrets = [TOKEN_A, ZALO_ACCESS, ZALO_REFRESH, *new_tokens]
    assert len(fake.oauth_calls()) == 1 and caplog.records
    for secret in secrets:
        assert secret not in caplog.text
        assert secret not in listing.output
        assert secret not in account_repr
