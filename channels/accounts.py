"""Which commune a Page / OA belongs to, and its decrypted tokens (never logged)."""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app

from sqlalchemy import select
from sqlalchemy.orm import Session

from channels import crypto
from channels.models import ChannelAccount
from infra.models import Commune


@dataclass(frozen=True)
class Account:
    """A platform account resolved for one job; `repr` hides the tokens."""
    id: int
    platform: str
    external_id: str
    commune_id: int
    commune_slug: str
    access_token: str | None = field(repr=False)
    refresh_token: str | None = field(repr=False, default=None)
    token_expires_at: datetime | None = None


def find_account(session: Session, platform: str, external_id: str) -> Account | None:
    row = session.execute(
        select(ChannelAccount, Commune.slug).join(Commune, Commune.id == ChannelAccount.commune_id)
        .where(ChannelAccount.platform == platform, ChannelAccount.external_id == external_id)
    ).first()
    return None if row is None else _resolved(row[0], row[1])


CACHE_SECONDS = 30  # a changed Page token or a new commune is picked up within this time


def cached_account(platform: str, external_id: str) -> Account | None:
    """`find_account` remembered per process for CACHE_SECONDS: it is read for every event and rarely changes.

    Zalo sends re-read their access token (channels.zalo_tokens), so a refresh is seen at once."""
    cache = current_app.extensions.setdefault("account_cache", {})
    key = (platform, external_id)
    hit = cache.get(key)
    if hit is not None and hit[0] > time.monotonic():
        return hit[1]
    from infra.db import session_scope

    with session_scope() as db:
        account = find_account(db, platform, external_id)
    with _cache_lock:
        cache[key] = (time.monotonic() + CACHE_SECONDS, account)
    return account


_cache_lock = threading.Lock()


def commune_id_of(platform: str, external_id: str) -> int | None:
    """The commune of a Page / OA without decrypting its tokens: for a dead letter staff must see
    even when the tokens cannot be read (TOKEN_ENCRYPTION_KEY replaced)."""
    from infra.db import session_scope

    with session_scope() as db:
        return db.scalar(select(ChannelAccount.commune_id).where(
            ChannelAccount.platform == platform, ChannelAccount.external_id == external_id))


def get_account(session: Session, account_id: int) -> Account | None:
    row = session.execute(
        select(ChannelAccount, Commune.slug).join(Commune, Commune.id == ChannelAccount.commune_id)
        .where(ChannelAccount.id == account_id)
    ).first()
    return None if row is None else _resolved(row[0], row[1])


def _resolved(row: ChannelAccount, slug: str) -> Account:
    return Account(id=row.id, platform=row.platform, external_id=row.external_id, commune_id=row.commune_id,
                   commune_slug=slug, access_token=crypto.decrypt(row.access_token),
                   refresh_token=crypto.decrypt(row.refresh_token), token_expires_at=row.token_expires_at)
