"""Did it work? Per campaign: targeted -> sent -> read (where the platform reports it) -> opened the
link -> started the guide or opened a prepared hand-off page within 7 days of the message. Counts
only: no resident is named."""
from __future__ import annotations

import csv
import io
from datetime import timedelta, timezone

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.consent_models import GuideStart
from bot.privacy import ResidentId
from infra.models import Commune
from outreach.models import SENT, CampaignDelivery
from procedures import page_events, prefill

STEPS = ("targeted", "sent", "read", "opened", "started")
WITHIN = timedelta(days=7)


def funnel(db: Session, campaign_id: int) -> dict[str, int]:
    rows = CampaignDelivery.campaign_id == campaign_id
    count = lambda *where: db.scalar(select(func.count()).select_from(CampaignDelivery).where(rows, *where))  # noqa: E731
    result = {"targeted": count(), "sent": count(CampaignDelivery.status == SENT),
              "read": count(CampaignDelivery.read_at.is_not(None))}
    starts = db.execute(select(GuideStart.channel, GuideStart.user_id, GuideStart.commune_id, GuideStart.created_at)
                        .where(GuideStart.campaign_id == campaign_id)).all()
    sent = {(r.platform, r.user_id, r.commune_id): r.sent_at for r in db.execute(
        select(CampaignDelivery.platform, CampaignDelivery.user_id, CampaignDelivery.commune_id,
               CampaignDelivery.sent_at).where(rows, CampaignDelivery.status == SENT))}
    started = set()
    for channel, user, commune, at in [*starts, *_page_opens(db, sent)]:
        when = sent.get((channel, user, commune))
        if when is not None and _naive(when) <= _naive(at) <= _naive(when) + WITHIN:
            started.add((channel, user, commune))
    clicked = {(r.platform, r.user_id, r.commune_id) for r in db.execute(
        select(CampaignDelivery.platform, CampaignDelivery.user_id, CampaignDelivery.commune_id)
        .where(rows, CampaignDelivery.clicked_at.is_not(None)))}
    # a Zalo button opens the guide in the chat itself: its tap is both "opened" and "started"
    result["opened"] = len(clicked | started)
    result["started"] = len(started)
    return result


def _page_opens(db: Session, sent: dict) -> list[tuple]:
    """Hand-off pages opened after the first message went out, as (channel, user, commune, time): page
    events carry only the resident's keyed hash, so the campaign's residents are hashed to match."""
    slugs = dict(db.execute(select(Commune.id, Commune.slug).where(Commune.id.in_({c for _p, _u, c in sent}))).all())
    who = {(platform, prefill.user_hash(ResidentId(platform, slugs.get(commune, ""), user)), commune):
           (platform, user, commune) for platform, user, commune in sent}
    since = min((moment for moment in sent.values() if moment is not None), default=None)
    if since is None:
        return []
    return [(*who[key], at) for channel, user_hash, commune, at in page_events.opens_since(db, sorted(slugs), since)
            if (key := (channel, user_hash, commune)) in who]


def _naive(moment):
    # PostgreSQL hands back aware datetimes (in the session's zone), SQLite naive UTC ones
    return moment.astimezone(timezone.utc).replace(tzinfo=None) if moment.tzinfo else moment


def funnel_csv(db: Session, campaign_ids: list[int]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["campaign", *STEPS])
    for campaign_id in campaign_ids:
        values = funnel(db, campaign_id)
        writer.writerow([campaign_id, *(values[s] for s in STEPS)])
    return out.getvalue()
