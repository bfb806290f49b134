"""Who a campaign reaches: the residents of its communes matching channel, language, topics and
last activity, and — for the preview — what would happen to each of them now."""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Iterator

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.consent_models import ReminderConsent
from channels.models import ChannelAccount
from infra.models import Subscriber
from outreach.models import Campaign, OutreachSettings
from outreach.platform_rules import Fate, Rules, fate


@dataclass(frozen=True)
class Resident:
    subscriber_id: int
    channel: str
    commune_id: int
    user_id: str
    language: str
    last_message_at: datetime | None
    consents: bool  # said yes to reminders covering the campaign's topics


def residents(db: Session, campaign: Campaign, now: datetime | None = None) -> Iterator[Resident]:
    """Everyone the filters select, consenting or not (the preview counts the others as opted out)."""
    audience = campaign.audience or {}
    query = (select(Subscriber.id, Subscriber.channel, Subscriber.commune_id, Subscriber.user_id, Subscriber.language,
                    Subscriber.last_message_at, Subscriber.reminders_opt_in, ReminderConsent.topics)
             .outerjoin(ReminderConsent, ReminderConsent.subscriber_id == Subscriber.id)
             .where(Subscriber.commune_id.in_(campaign.commune_ids)).order_by(Subscriber.id))
    if audience.get("subscriber_ids"):  # a life-event rule's run: exactly the residents due
        query = query.where(Subscriber.id.in_(audience["subscriber_ids"]))
    if audience.get("channels"):
        query = query.where(Subscriber.channel.in_(audience["channels"]))
    if audience.get("languages"):
        query = query.where(Subscriber.language.in_(audience["languages"]))
    if audience.get("active_days"):
        since = (now or datetime.now(timezone.utc)) - timedelta(days=int(audience["active_days"]))
        query = query.where(Subscriber.last_message_at >= since)
    wanted = set(audience.get("topics") or [])
    for row in db.execute(query.execution_options(yield_per=5000)):
        consents = bool(row.reminders_opt_in) and wanted <= set(row.topics or [])
        yield Resident(row.id, row.channel, row.commune_id, row.user_id, row.language or "vi", row.last_message_at,
                       consents)


def commune_options(db: Session, commune_ids: list[int]) -> dict[int, OutreachSettings]:
    return {s.commune_id: s for s in db.scalars(select(OutreachSettings).where(
        OutreachSettings.commune_id.in_(commune_ids)))}


def accounts(db: Session, commune_ids: list[int]) -> dict[tuple[int, str], int]:
    """(commune, platform) -> channel account id."""
    rows = db.execute(select(ChannelAccount.commune_id, ChannelAccount.platform, ChannelAccount.id)
                      .where(ChannelAccount.commune_id.in_(commune_ids)))
    return {(c, p): i for c, p, i in rows}


def fate_of(resident: Resident, options: dict[int, OutreachSettings], accounts_by: dict, now: datetime,
            rules: Rules) -> Fate:
    if not resident.consents:
        return Fate(None, "opted_out")
    if resident.channel != "webchat" and (resident.commune_id, resident.channel) not in accounts_by:
        return Fate(None, "no_page_or_oa")
    settings = options.get(resident.commune_id)
    return fate(resident.channel, resident.last_message_at, now, rules,
                facebook_template=bool(settings and settings.facebook_template),
                zalo_template=bool(settings and settings.zalo_template),
                zalo_paid=bool(settings and settings.zalo_paid_consultation))


def preview(db: Session, campaign: Campaign, now: datetime | None = None) -> dict[str, dict[str, int]]:
    """Counts by channel and by fate now: window, paid_window, template, skipped:<reason>."""
    now = now or datetime.now(timezone.utc)
    rules = Rules.from_config(current_app.config)
    options, accounts_by = commune_options(db, campaign.commune_ids), accounts(db, campaign.commune_ids)
    counts: dict[str, Counter] = defaultdict(Counter)
    for resident in residents(db, campaign, now):
        counts[resident.channel][fate_of(resident, options, accounts_by, now, rules).label] += 1
    return {channel: dict(sorted(c.items())) for channel, c in sorted(counts.items())}
