"""The "read" step of the funnel, from the platforms' read receipts (channels/receipts.py).

Messenger reports only a watermark: every campaign message sent to that resident at or before it
counts as read (outreach.md §3; our send time stands in for the echo's timestamp). Zalo names the
messages seen (`msg_ids`), matched to the platform message id stored at send time. A row once read
stays read."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import update

from channels.models import FACEBOOK
from channels.receipts import Receipt, listen
from infra.db import session_scope
from outreach.models import SENT, CampaignDelivery


def record(receipt: Receipt) -> None:
    now = datetime.now(timezone.utc)
    rows = [CampaignDelivery.platform == receipt.platform, CampaignDelivery.commune_id == receipt.commune_id,
            CampaignDelivery.user_id == receipt.user, CampaignDelivery.status == SENT,
            CampaignDelivery.read_at.is_(None)]
    if receipt.platform == FACEBOOK:
        if receipt.watermark_ms is None:
            return
        rows.append(CampaignDelivery.sent_at <= datetime.fromtimestamp(receipt.watermark_ms / 1000, timezone.utc))
    else:
        ids = [i for i in receipt.message_ids if i]
        if not ids:
            return
        rows.append(CampaignDelivery.platform_message_id.in_(ids))
    with session_scope() as db:
        db.execute(update(CampaignDelivery).where(*rows).values(read_at=now))


def install() -> None:
    """Called by the app factory: channels pass read receipts here."""
    listen(record)
