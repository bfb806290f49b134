"""The "read" step of the funnel, from the platforms' read receipts (channels/receipts.py).

Messenger reports only a watermark, on the platform's clock: every campaign message the platform
timed at or before it counts as read (outreach.md §3). The platform's time of our message comes
from its echo (`message_echoes`: the echo's `timestamp`, matched by the message id the Send API
returned) and is kept on the row; our own clock (taken after the platform answered) is compared
only for a row whose echo has not come, so a message read the moment it arrived is not missed
because our clock or the network ran behind. A read may also arrive before that echo (webhooks
come in any order) while our clock runs ahead: the resident's latest watermark is then kept
(`ReadMark`) and the echo applies it, with the time the watermark was received as the read time.
Zalo names the messages seen (`msg_ids`), matched to the platform message id stored at send time.
A row once read stays read; a duplicated receipt or echo changes nothing.
"""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import and_, delete, exists, or_, select, update
from sqlalchemy.orm import Session

from bot import privacy
from channels.models import FACEBOOK
from channels.receipts import Receipt, listen
from infra.db import dialect_insert, session_scope
from outreach.models import SENDING, SENT, CampaignDelivery, ReadMark


def record(receipt: Receipt) -> None:
    if receipt.sent_ms is not None:
        _platform_time(receipt)
        return
    now = datetime.now(timezone.utc)
    rows = [*_resident_rows(receipt), CampaignDelivery.status == SENT, CampaignDelivery.read_at.is_(None)]
    if receipt.platform == FACEBOOK:
        if receipt.watermark_ms is None:
            return
        watermark = receipt.watermark_ms
        rows.append(or_(CampaignDelivery.platform_sent_ms <= watermark,
                        and_(CampaignDelivery.platform_sent_ms.is_(None),
                             CampaignDelivery.sent_at <= datetime.fromtimestamp(watermark / 1000, timezone.utc))))
    else:
        ids = [i for i in receipt.message_ids if i]
        if not ids:
            return
        rows.append(CampaignDelivery.platform_message_id.in_(ids))
    with session_scope() as db:
        db.execute(update(CampaignDelivery).where(*rows).values(read_at=now))
        if receipt.platform == FACEBOOK:
            _remember(db, receipt, now)


def _resident_rows(receipt: Receipt) -> tuple:
    return (CampaignDelivery.platform == receipt.platform, CampaignDelivery.commune_id == receipt.commune_id,
            CampaignDelivery.user_id == receipt.user)


def _awaiting_echo(receipt: Receipt):
    """The resident's campaign messages sent (or being sent) whose echo has not come, still unread."""
    return exists().where(*_resident_rows(receipt), CampaignDelivery.status.in_((SENDING, SENT)),
                          CampaignDelivery.read_at.is_(None), CampaignDelivery.platform_sent_ms.is_(None))


def _mark_of(receipt: Receipt) -> tuple:
    return (ReadMark.platform == receipt.platform, ReadMark.commune_id == receipt.commune_id,
            ReadMark.user_id == receipt.user)


def _remember(db: Session, receipt: Receipt, now: datetime) -> None:
    """Keep the watermark for the echoes still to come; only for a resident with a campaign message
    awaiting its echo (nothing is kept about anyone else), and only if it is later than the kept one."""
    if not db.scalar(select(_awaiting_echo(receipt))):
        return
    statement = dialect_insert(db.get_bind().dialect.name, ReadMark).values(
        platform=receipt.platform, commune_id=receipt.commune_id, user_id=receipt.user,
        watermark_ms=receipt.watermark_ms, seen_at=now)
    db.execute(statement.on_conflict_do_update(
        index_elements=["platform", "commune_id", "user_id"],
        set_={"watermark_ms": statement.excluded.watermark_ms, "seen_at": statement.excluded.seen_at},
        where=ReadMark.watermark_ms < statement.excluded.watermark_ms))


def _platform_time(receipt: Receipt) -> None:
    """A Messenger echo: the platform's time of one of our messages (most echoes are the bot's own
    replies, which match no campaign row). A watermark received before it and covering it makes the
    message read as of when that watermark came; a mark no message awaits any more is dropped."""
    ids = [i for i in receipt.message_ids if i]
    if not ids:
        return
    message = (*_resident_rows(receipt), CampaignDelivery.platform_message_id == ids[0])
    with session_scope() as db:
        matched = db.execute(update(CampaignDelivery).where(*message)
                             .values(platform_sent_ms=receipt.sent_ms)).rowcount
        if not matched:
            return
        mark = db.scalar(select(ReadMark).where(*_mark_of(receipt)))
        if mark is None:
            return
        if mark.watermark_ms >= receipt.sent_ms:
            db.execute(update(CampaignDelivery).where(*message, CampaignDelivery.status == SENT,
                                                      CampaignDelivery.read_at.is_(None))
                       .values(read_at=mark.seen_at))
        db.execute(delete(ReadMark).where(*_mark_of(receipt), ~_awaiting_echo(receipt)))


# ----------------------------------------------------------------------------- residents' data

def _marks_of(owner: privacy.Owner) -> tuple:
    return ReadMark.platform == owner.channel, ReadMark.commune_id == owner.commune_id, ReadMark.user_id == owner.user


def erase(session: Session, owner: privacy.Owner) -> dict[str, int]:
    if owner.commune_id is None:
        return {}
    return {"read_marks": session.execute(delete(ReadMark).where(*_marks_of(owner))).rowcount or 0}


def export(session: Session, owner: privacy.Owner) -> dict[str, list]:
    marks = [] if owner.commune_id is None else session.scalars(select(ReadMark).where(*_marks_of(owner)))
    return {"reminders_read": [
        {"read_up_to": privacy._iso(datetime.fromtimestamp(m.watermark_ms / 1000, timezone.utc)),
         "received_at": privacy._iso(m.seen_at)} for m in marks]}


def purge(session: Session, cutoff: datetime) -> dict[str, int]:
    return {"read_marks": session.execute(delete(ReadMark).where(ReadMark.seen_at < cutoff)).rowcount or 0}


def install() -> None:
    """Called by the app factory: channels pass read receipts and echoes here; the kept watermarks
    are part of a resident's data (erasure, export, retention: bot.privacy)."""
    listen(record)
    privacy.register(privacy.Part("outreach", erase, export, purge))
