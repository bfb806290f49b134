"""The "read" step of the funnel, from the platforms' read receipts (channels/receipts.py).

Messenger reports only a watermark, on the platform's clock: every campaign message the platform
timed at or before it counts as read (outreach.md §3). The platform's time of our message comes
from its echo (`message_echoes`: the echo's `timestamp`, matched by the message id the Send API
returned) and is kept on the row; our own clock (taken after the platform answered) is compared
only for a row whose echo has not come, so a message read the moment it arrived is not missed
because our clock or the network ran behind. Zalo names the messages seen (`msg_ids`), matched to
the platform message id stored at send time. A row once read stays read.
"""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import and_, or_, update

from channels.models import FACEBOOK
from channels.receipts import Receipt, listen
from infra.db import session_scope
from outreach.models import SENT, CampaignDelivery


def record(receipt: Receipt) -> None:
    if receipt.sent_ms is not None:
        _platform_time(receipt)
        return
    now = datetime.now(timezone.utc)
    rows = [CampaignDelivery.platform == receipt.platform, CampaignDelivery.commune_id == receipt.commune_id,
            CampaignDelivery.user_id == receipt.user, CampaignDelivery.status == SENT,
            CampaignDelivery.read_at.is_(None)]
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


def _platform_time(receipt: Receipt) -> None:
    """A Messenger echo: the platform's time of one of our messages (most echoes are the bot's own
    replies, which match no campaign row)."""
    ids = [i for i in receipt.message_ids if i]
    if not ids:
        return
    with session_scope() as db:
        db.execute(update(CampaignDelivery).where(
            CampaignDelivery.platform_message_id == ids[0], CampaignDelivery.platform == receipt.platform,
            CampaignDelivery.commune_id == receipt.commune_id, CampaignDelivery.user_id == receipt.user)
            .values(platform_sent_ms=receipt.sent_ms))


def install() -> None:
    """Called by the app factory: channels pass read receipts and echoes here."""
    listen(record)
