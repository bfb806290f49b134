"""When a resident's prepared hand-off page (/go/<token>) was sent and when it was first opened.

Two readers need this: the reminder rule "a prepared page not opened after 3 days" (outreach/rules.py)
and the campaign funnel's "opened a hand-off page within 7 days" (outreach/funnel.py). The rows hold
no personal data: the resident's keyed hash (prefill.user_hash), the commune, the procedure, a keyed
hash of the page and the time. Web chat residents are never pushed to, so nothing is kept for them.
"""
from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from infra import sealing
from infra.db import get_session
from procedures import prefill
from procedures.prefill_models import HandoffPageEvent, PrefillRecord

PREPARED, OPENED = "prepared", "opened"
LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")  # reminder days are the commune's days
NEVER_PUSHED = "webchat"


def page_key(record_id: str) -> str:
    """A keyed hash of the prepared record's id: ties an open to its preparation; the id (half of a
    bearer link) is not stored."""
    return hmac.new(sealing.secret(), f"page:{record_id}".encode(), hashlib.sha256).hexdigest()


def prepared(record: PrefillRecord) -> None:
    """The bot has just sent the link to this page (in the caller's transaction)."""
    if record.channel == NEVER_PUSHED:
        return
    get_session().add(HandoffPageEvent(kind=PREPARED, channel=record.channel, user_hash=record.user_hash,
                                       commune_id=record.commune_id, flow_id=record.flow_id,
                                       page_key=page_key(record.id), expires_at=record.expires_at))


def opened(record: PrefillRecord) -> bool:
    """The resident opened the page: recorded once per page (reloads add nothing). True if recorded now."""
    if record.channel == NEVER_PUSHED:
        return False
    session, key = get_session(), page_key(record.id)
    if session.scalar(select(HandoffPageEvent.id).where(HandoffPageEvent.page_key == key,
                                                        HandoffPageEvent.kind == OPENED).limit(1)) is not None:
        return False
    session.add(HandoffPageEvent(kind=OPENED, channel=record.channel, user_hash=record.user_hash,
                                 commune_id=record.commune_id, flow_id=record.flow_id, page_key=key))
    return True


@dataclass(frozen=True)
class Unopened:
    """A page still unopened on its reminder day (and still alive then)."""
    channel: str
    user_hash: str
    flow_id: str
    reminder_day: date


def unopened(db: Session, commune_id: int, days: int, first: date, last: date) -> list[Unopened]:
    """Pages of the commune prepared `days` days before a day in [first, last] (local days), not
    opened (by the time of asking) and not expired on that day."""
    start = datetime.combine(first - timedelta(days=days + 1), time(), tzinfo=timezone.utc)
    end = datetime.combine(last - timedelta(days=days - 1), time(), tzinfo=timezone.utc)
    opened_pages = select(HandoffPageEvent.page_key).where(HandoffPageEvent.kind == OPENED,
                                                           HandoffPageEvent.commune_id == commune_id)
    rows = db.execute(select(HandoffPageEvent.channel, HandoffPageEvent.user_hash, HandoffPageEvent.flow_id,
                             HandoffPageEvent.created_at, HandoffPageEvent.expires_at)
                      .where(HandoffPageEvent.commune_id == commune_id, HandoffPageEvent.kind == PREPARED,
                             HandoffPageEvent.created_at >= start, HandoffPageEvent.created_at < end,
                             HandoffPageEvent.page_key.not_in(opened_pages)))
    found = []
    for channel, user_hash, flow_id, created_at, expires_at in rows:
        due_at = prefill.as_utc(created_at) + timedelta(days=days)
        day = due_at.astimezone(LOCAL).date()
        if first <= day <= last and (expires_at is None or prefill.as_utc(expires_at) > due_at):
            found.append(Unopened(channel, user_hash, flow_id, day))
    return found


def opens_since(db: Session, commune_ids: list[int], since: datetime) -> list[tuple[str, str, int, datetime]]:
    """(channel, user_hash, commune_id, opened_at) of the pages opened since `since` (the funnel)."""
    return [tuple(row) for row in db.execute(
        select(HandoffPageEvent.channel, HandoffPageEvent.user_hash, HandoffPageEvent.commune_id,
               HandoffPageEvent.created_at)
        .where(HandoffPageEvent.kind == OPENED, HandoffPageEvent.commune_id.in_(commune_ids),
               HandoffPageEvent.created_at >= since))]


def delete_for(resident: prefill.Resident, session: Session) -> int:
    """"xóa dữ liệu của tôi": the resident's page events go with their prepared forms."""
    return session.execute(delete(HandoffPageEvent).where(
        HandoffPageEvent.channel == resident.channel,
        HandoffPageEvent.user_hash == prefill.user_hash(resident))).rowcount or 0


def export_for(resident: prefill.Resident, session: Session) -> list[dict]:
    rows = session.scalars(select(HandoffPageEvent).where(
        HandoffPageEvent.channel == resident.channel, HandoffPageEvent.user_hash == prefill.user_hash(resident))
        .order_by(HandoffPageEvent.id))
    return [{"at": prefill.as_utc(r.created_at).isoformat(), "event": r.kind, "procedure": r.flow_id} for r in rows]


def purge(session: Session, cutoff: datetime) -> int:
    """Events older than RETENTION_DAYS go (the rule needs 3 days, the funnel 7)."""
    return session.execute(delete(HandoffPageEvent).where(HandoffPageEvent.created_at < cutoff)).rowcount or 0
