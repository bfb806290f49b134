"""Prepared form data at rest: encrypted with Fernet, owned by one resident, expiring.

The key is derived (HKDF-SHA256) from TOKEN_ENCRYPTION_KEY when set, else from SECRET_KEY, so
the embedded default needs no setup. Nothing personal is stored outside the encrypted payload.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from datetime import datetime, timedelta, timezone
from typing import Protocol

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from infra import sealing
from infra.db import get_session
from procedures.prefill_models import PrefillRecord


class Resident(Protocol):
    """Whose records these are: a platform, a commune slug and the platform's user id (an incoming message)."""
    channel: str
    commune: str
    user: str


def _secret() -> bytes:
    return sealing.secret()


def _fernet() -> Fernet:
    return sealing.fernet("prefill")


def user_hash(incoming: Resident) -> str:
    """Keyed hash of channel + commune + user: finds a resident's rows, reveals nobody."""
    message = f"{incoming.channel}:{incoming.commune}:{incoming.user}".encode()
    return hmac.new(_secret(), message, hashlib.sha256).hexdigest()


def _now() -> datetime:
    return datetime.now(timezone.utc)


def as_utc(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; they were written in UTC
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def create(incoming: Resident, commune_id: int | None, flow_id: str, variant: str, lang: str) -> PrefillRecord:
    ttl = int(current_app.config.get("PREFILL_TTL", 7 * 24 * 3600))
    record = PrefillRecord(id=secrets.token_urlsafe(24), channel=incoming.channel, user_hash=user_hash(incoming),
                           commune_id=commune_id, flow_id=flow_id, variant=variant, lang=lang,
                           payload=encrypt({"answers": {}, "fields": {}}), expires_at=_now() + timedelta(seconds=ttl))
    get_session().add(record)
    get_session().flush()
    return record


def encrypt(data: dict) -> str:
    return _fernet().encrypt(json.dumps(data, ensure_ascii=False).encode()).decode()


def decrypt(token: str) -> dict | None:
    try:
        return json.loads(_fernet().decrypt(token.encode()))
    except (InvalidToken, ValueError):
        return None


def load(record_id: str | None) -> PrefillRecord | None:
    """The live record, or None when it is unknown, deleted or expired (expired rows are removed)."""
    if not record_id:
        return None
    record = get_session().get(PrefillRecord, record_id)
    if record is None:
        return None
    if as_utc(record.expires_at) <= _now():
        get_session().delete(record)
        return None
    return record


def read(record: PrefillRecord) -> dict:
    return decrypt(record.payload) or {"answers": {}, "fields": {}}


def write(record: PrefillRecord, data: dict) -> None:
    record.payload = encrypt(data)


def set_field(record: PrefillRecord, name: str, value: str) -> None:
    data = read(record)
    data.setdefault("fields", {})[name] = value
    write(record, data)


def delete_record(record_id: str | None) -> None:
    if record_id:
        get_session().execute(delete(PrefillRecord).where(PrefillRecord.id == record_id))


def delete_for(incoming: Resident, session: Session | None = None) -> int:
    """Erase every record of this resident ("xóa dữ liệu của tôi"); returns how many."""
    result = (session or get_session()).execute(delete(PrefillRecord).where(
        PrefillRecord.channel == incoming.channel, PrefillRecord.user_hash == user_hash(incoming)))
    return result.rowcount or 0


def purge_expired(session: Session | None = None) -> int:
    result = (session or get_session()).execute(delete(PrefillRecord).where(PrefillRecord.expires_at <= _now()))
    return result.rowcount or 0


def count_for(incoming: Resident) -> int:
    rows = get_session().scalars(select(PrefillRecord.id).where(
        PrefillRecord.channel == incoming.channel, PrefillRecord.user_hash == user_hash(incoming)))
    return len(rows.all())


def seal(values: dict) -> str:
    """Personal answers kept in the conversation state are sealed, never in clear."""
    return encrypt(values)


def unseal(token: str | None) -> dict:
    return (decrypt(token) or {}) if token else {}


def export_for(incoming: Resident, session: Session | None = None) -> list[dict]:
    """The resident's live prepared forms, decrypted: their copy of what the bot keeps (an export)."""
    rows = (session or get_session()).scalars(select(PrefillRecord).where(
        PrefillRecord.channel == incoming.channel, PrefillRecord.user_hash == user_hash(incoming),
        PrefillRecord.expires_at > _now()).order_by(PrefillRecord.created_at))
    return [{"flow": r.flow_id, "variant": r.variant, "created_at": as_utc(r.created_at).isoformat(),
             "expires_at": as_utc(r.expires_at).isoformat(), **{k: v for k, v in read(r).items() if k != "order"}}
            for r in rows]
