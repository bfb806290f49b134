"""Our own redirect for a campaign's button: /o/<token> records that the link was opened (on the
delivery row: the campaign, never anything personal; the token is random) and sends the resident
on to the guide: m.me/<PAGE>?ref=<intent>__c<campaign> on Messenger, the web chat elsewhere."""
from __future__ import annotations

from datetime import datetime, timezone
from urllib.parse import urlencode

from flask import Blueprint, abort, redirect
from sqlalchemy import select, update

from bot.campaign_links import ref_for
from channels.models import FACEBOOK, ChannelAccount
from infra.db import session_scope
from infra.models import Commune
from outreach.models import Campaign, CampaignDelivery

bp = Blueprint("outreach_links", __name__)


@bp.get("/o/<token>")
def opened(token: str):
    if len(token) > 24:
        abort(404)
    with session_scope() as db:
        row = db.execute(select(CampaignDelivery.id, CampaignDelivery.platform, CampaignDelivery.commune_id,
                                CampaignDelivery.clicked_at, Campaign.id, Campaign.intent)
                         .join(Campaign, Campaign.id == CampaignDelivery.campaign_id)
                         .where(CampaignDelivery.link_token == token)).first()
        if row is None:
            abort(404)
        delivery_id, platform, commune_id, clicked_at, campaign_id, intent = row
        if clicked_at is None:
            db.execute(update(CampaignDelivery).where(CampaignDelivery.id == delivery_id)
                       .values(clicked_at=datetime.now(timezone.utc)))
        page = db.scalar(select(ChannelAccount.external_id).where(ChannelAccount.commune_id == commune_id,
                                                                  ChannelAccount.platform == FACEBOOK))
        slug = db.scalar(select(Commune.slug).where(Commune.id == commune_id))
    ref = ref_for(intent, campaign_id) if intent else None
    if platform == FACEBOOK and page:
        return redirect(f"https://m.me/{page}" + (f"?ref={ref}" if ref else ""), 302)
    query = {"commune": slug, **({"start": ref} if ref else {})}
    return redirect(f"/chat?{urlencode(query)}", 302)
