"""Zalo OA access tokens live 25 h and each refresh token works once: refresh ahead of expiry,
store the new pair before using it, and let exactly one worker refresh at a time.

The lock is a store key (set_if_absent with a TTL): Redis across processes, the in-process
store on the embedded default. A worker that finds the lock taken waits for the new token.
"""
from __future__ import annotations

import logging
import time
import uuid
from datetime import datetime, timedelta, timezone

import requests
from flask import current_app
from sqlalchemy import select

from channels import crypto
from channels.models import ChannelAccount
from channels.results import make_session
from channels.tenancy import as_utc
from infra.db import session_scope

log = logging.getLogger(__name__)

LOCK_TTL = 30  # seconds; longer than one OAuth call with its timeout
WAIT_FOR_OTHER = 20  # seconds a worker waits for another's refresh
DEFAULT_LIFETIME = 25 * 60 * 60

session = make_session(pool=4)


class TokenRefreshError(RuntimeError):
    """The refresh failed (code in `.code`); staff must re-authorise the OA in the Zalo console."""

    def __init__(self, message: str, code: str, transient: bool = False) -> None:
        super().__init__(message)
        self.code = code
        self.transient = transient  # the OAuth server was not reached: worth another try later


def _load(account_id: int) -> tuple[str | None, datetime | None]:
    with session_scope() as db:
        row = db.get(ChannelAccount, account_id)
        if row is None:
            raise TokenRefreshError(f"channel account {account_id} no longer exists", "unknown_account")
        return crypto.decrypt(row.access_token), as_utc(row.token_expires_at)


def _fresh(expires_at: datetime | None) -> bool:
    if expires_at is None:
        return True  # no expiry known (set by hand): use it until Zalo says otherwise
    margin = timedelta(seconds=current_app.config["ZALO_REFRESH_MARGIN"])
    return expires_at - datetime.now(timezone.utc) > margin


CACHE_SECONDS = 10  # a token another process refreshed is seen within this time (or at Zalo's first refusal)


def access_token(account_id: int) -> str:
    """A usable access token, refreshed first when it is close to expiry."""
    token, expires_at = _load_cached(account_id)
    if token and _fresh(expires_at):
        return token
    return refresh(account_id, stale=token)


def _load_cached(account_id: int) -> tuple[str | None, datetime | None]:
    """`_load` remembered per process for a few seconds: every send needs the token."""
    cache = current_app.extensions.setdefault("zalo_token_cache", {})
    hit = cache.get(account_id)
    if hit is not None and hit[0] > time.monotonic():
        return hit[1]
    loaded = _load(account_id)
    cache[account_id] = (time.monotonic() + CACHE_SECONDS, loaded)
    return loaded


def refresh(account_id: int, stale: str | None) -> str:
    """Replace `stale` with a new token, unless another worker already did."""
    current_app.extensions.setdefault("zalo_token_cache", {}).pop(account_id, None)
    try:
        return _refresh_once(account_id, stale)
    finally:
        current_app.extensions["zalo_token_cache"].pop(account_id, None)


def _refresh_once(account_id: int, stale: str | None) -> str:
    store = current_app.extensions["store"]
    lock, owner = f"zalo:refresh:{account_id}", uuid.uuid4().hex
    deadline = time.monotonic() + WAIT_FOR_OTHER
    while True:
        token, expires_at = _load(account_id)
        if token and token != stale and _fresh(expires_at):
            return token  # someone else refreshed
        if store.set_if_absent(lock, owner, ttl=LOCK_TTL):
            try:
                token, expires_at = _load(account_id)  # re-read under the lock
                if token and token != stale and _fresh(expires_at):
                    return token
                return _refresh_now(account_id)
            finally:
                if store.get(lock) == owner:
                    store.delete(lock)
        if time.monotonic() > deadline:
            raise TokenRefreshError("timed out waiting for another worker's token refresh", "refresh_timeout",
                                    transient=True)
        time.sleep(0.05)


def _refresh_now(account_id: int) -> str:
    with session_scope() as db:
        row = db.scalar(select(ChannelAccount).where(ChannelAccount.id == account_id).with_for_update())
        refresh_token = crypto.decrypt(row.refresh_token)
        oa = row.external_id
        if not refresh_token:
            raise TokenRefreshError(f"zalo OA {oa} has no refresh token", "no_refresh_token")
        pair = _call_oauth(refresh_token, oa)
        # store the new pair before anyone uses it: the old refresh token is now dead
        row.access_token = crypto.encrypt(pair["access_token"])
        row.refresh_token = crypto.encrypt(pair["refresh_token"])
        row.token_expires_at = datetime.now(timezone.utc) + timedelta(seconds=pair["expires_in"])
    log.info("zalo OA %s: access token refreshed", oa)
    return pair["access_token"]


def _call_oauth(refresh_token: str, oa: str) -> dict:
    config = current_app.config
    try:
        response = session.post(
            f"{config['ZALO_OAUTH_URL']}/v4/oa/access_token",
            data={"refresh_token": refresh_token, "app_id": config.get("ZALO_APP_ID") or "",
                  "grant_type": "refresh_token"},
            headers={"secret_key": config.get("ZALO_APP_SECRET") or ""}, timeout=config["SEND_TIMEOUT"])
        data = response.json()
    except (requests.RequestException, ValueError) as error:
        raise TokenRefreshError(f"zalo OA {oa}: token refresh call failed ({type(error).__name__})",
                                "refresh_unreachable", transient=True) from None
    if not isinstance(data, dict) or not data.get("access_token") or not data.get("refresh_token"):
        code = str(data.get("error", f"http_{response.status_code}")) if isinstance(data, dict) else "bad_body"
        log.error("zalo OA %s: token refresh refused (code %s); re-authorise the OA", oa, code)
        raise TokenRefreshError(f"zalo OA {oa}: token refresh refused (code {code})", code)
    try:
        lifetime = int(data.get("expires_in") or DEFAULT_LIFETIME)  # a string in Zalo's answer
    except (TypeError, ValueError):
        lifetime = DEFAULT_LIFETIME
    return {"access_token": data["access_token"], "refresh_token": data["refresh_token"], "expires_in": lifetime}
