"""Create and change communes and their Page / OA credentials (used by the CLI, later the admin)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from channels import crypto
from channels.models import FACEBOOK, ZALO, ChannelAccount
from infra.models import Commune

COMMUNE_FIELDS = ("name", "province", "address", "phone", "office_hours",
                  "police_name", "police_address", "police_phone", "police_hours")


class TenancyError(ValueError):
    """A request the data cannot satisfy; the text says why."""


class AccountTaken(TenancyError):
    """The Page / OA id is already another commune's (the session must be rolled back)."""


@dataclass
class Credentials:
    """What the caller wants to change on one platform account; None = leave as is."""
    external_id: str | None = None
    access_token: str | None = None
    refresh_token: str | None = None
    expires_in: int | None = None  # seconds from now (Zalo tokens live 25 h)


def as_utc(moment: datetime | None) -> datetime | None:
    """SQLite gives naive datetimes back: they were stored in UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=timezone.utc)


def get_commune(session: Session, slug: str) -> Commune:
    commune = session.scalar(select(Commune).where(Commune.slug == slug))
    if commune is None:
        raise TenancyError(f"no commune with slug {slug!r}")
    return commune


def add_commune(session: Session, slug: str, fields: dict) -> Commune:
    if session.scalar(select(Commune.id).where(Commune.slug == slug)) is not None:
        raise TenancyError(f"a commune with slug {slug!r} already exists; use `communes set`")
    if not fields.get("name"):
        raise TenancyError("a new commune needs --name")
    commune = Commune(slug=slug)
    session.add(commune)
    update_commune(commune, fields)
    session.flush()
    return commune


def update_commune(commune: Commune, fields: dict) -> None:
    for name in COMMUNE_FIELDS:
        if fields.get(name) is not None:
            setattr(commune, name, fields[name])


def set_account(session: Session, commune: Commune, platform: str, creds: Credentials) -> ChannelAccount | None:
    """Create or update the commune's account on `platform`; None when nothing was asked."""
    if all(v is None for v in vars(creds).values()):
        return None
    account = session.scalar(select(ChannelAccount).where(
        ChannelAccount.commune_id == commune.id, ChannelAccount.platform == platform))
    if account is None:
        if not creds.external_id:
            raise TenancyError(f"the {platform} account of {commune.slug!r} needs its id first")
        account = ChannelAccount(commune_id=commune.id, platform=platform)
        session.add(account)
    _apply(account, platform, creds)
    try:
        session.flush()
    except IntegrityError:
        raise AccountTaken(f"{platform} id {creds.external_id} already belongs to another commune") from None
    return account


def _apply(account: ChannelAccount, platform: str, creds: Credentials) -> None:
    if creds.external_id:
        account.external_id = creds.external_id.strip()
    if creds.access_token is not None:
        account.access_token = crypto.encrypt(creds.access_token)
    if creds.refresh_token is not None:
        if platform != ZALO:
            raise TenancyError("only Zalo accounts have a refresh token")
        account.refresh_token = crypto.encrypt(creds.refresh_token)
    if creds.expires_in is not None:
        account.token_expires_at = datetime.now(timezone.utc) + timedelta(seconds=creds.expires_in)


def describe(session: Session) -> list[dict]:
    """Every commune with its accounts, tokens shown only as present or not."""
    accounts: dict[int, dict[str, ChannelAccount]] = {}
    for account in session.scalars(select(ChannelAccount)):
        accounts.setdefault(account.commune_id, {})[account.platform] = account
    rows = []
    for commune in session.scalars(select(Commune).order_by(Commune.slug)):
        mine = accounts.get(commune.id, {})
        rows.append({
            "slug": commune.slug, "name": commune.name, "province": commune.province,
            "address": commune.address, "phone": commune.phone, "office_hours": commune.office_hours,
            "police": {"name": commune.police_name, "address": commune.police_address,
                       "phone": commune.police_phone, "hours": commune.police_hours},
            FACEBOOK: _account_summary(mine.get(FACEBOOK)), ZALO: _account_summary(mine.get(ZALO)),
        })
    return rows


def _account_summary(account: ChannelAccount | None) -> dict | None:
    if account is None:
        return None
    expires = as_utc(account.token_expires_at)
    return {"id": account.external_id, "access_token": "set" if account.access_token else "missing",
            "refresh_token": "set" if account.refresh_token else None,
            "expires_at": expires.isoformat() if expires else None}
