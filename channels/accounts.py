"""Which commune a Page / OA belongs to, and its decrypted tokens (never logged)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

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
