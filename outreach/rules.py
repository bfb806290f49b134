"""Life-event reminders as rules staff switch on per commune (outreach/data/rules.yaml): who each
would reach this week, and the daily run that sends them as ordinary campaigns (same engine, same
platform rules, quiet hours and funnel).

Only the birth YEAR of a resident is kept (bot/consent.py), so an ID-card reminder goes in the week
of 1 December of the year before the birthday that needs a new card. The hand-off page rule reads
procedures/page_events.py: a page sent N days ago, still alive and never opened.
"""
from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.consent import event_date, life_event
from bot.consent_models import LifeEvent, ReminderConsent
from bot.privacy import ResidentId
from infra.models import Commune, Subscriber
from outreach.models import Campaign, ReminderRule
from procedures import page_events, prefill

DATA = Path(__file__).parent / "data" / "rules.yaml"


@lru_cache(maxsize=1)
def definitions() -> dict[str, dict]:
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))


def trigger_day(rule: dict, value: dict) -> date | None:
    """The day a resident's life event triggers the rule, or None."""
    trigger = rule["trigger"]
    if "days_after" in trigger:
        born = event_date(value)
        return born + timedelta(days=int(trigger["days_after"])) if born else None
    if "turning" in trigger and value.get("year"):
        return date(int(value["year"]) + int(trigger["turning"]) - 1, 12, 1)
    return None


def due(db: Session, commune_id: int, rule_id: str, first: date, last: date) -> list[int]:
    """Subscriber ids of the commune's consenting residents whose trigger day is in [first, last]."""
    rule = definitions()[rule_id]
    if "not_opened_days" in rule["trigger"]:
        return _pages_not_opened(db, commune_id, rule, first, last)
    rows = db.execute(select(Subscriber.id, LifeEvent.payload, ReminderConsent.topics)
                      .join(LifeEvent, LifeEvent.subscriber_id == Subscriber.id)
                      .join(ReminderConsent, ReminderConsent.subscriber_id == Subscriber.id)
                      .where(Subscriber.commune_id == commune_id, Subscriber.reminders_opt_in.is_(True),
                             Subscriber.channel != "webchat", LifeEvent.kind == rule["trigger"]["event"]))
    hits = []
    for subscriber_id, payload, topics in rows:
        day = trigger_day(rule, life_event(payload))
        if day is not None and first <= day <= last and rule["topic"] in (topics or []):
            hits.append(subscriber_id)
    return hits


def _pages_not_opened(db: Session, commune_id: int, rule: dict, first: date, last: date) -> list[int]:
    """Consenting residents whose prepared hand-off page is still unopened (and alive) N days after it
    was sent. Page events carry only the resident's keyed hash: the commune's consenting residents
    are hashed the same way to find them."""
    pages = page_events.unopened(db, commune_id, int(rule["trigger"]["not_opened_days"]), first, last)
    if not pages:
        return []
    wanted = {(p.channel, p.user_hash) for p in pages}
    slug = db.scalar(select(Commune.slug).where(Commune.id == commune_id))
    rows = db.execute(select(Subscriber.id, Subscriber.channel, Subscriber.user_id, ReminderConsent.topics)
                      .join(ReminderConsent, ReminderConsent.subscriber_id == Subscriber.id)
                      .where(Subscriber.commune_id == commune_id, Subscriber.reminders_opt_in.is_(True),
                             Subscriber.channel.in_({channel for channel, _hash in wanted})))
    return sorted(subscriber_id for subscriber_id, channel, user, topics in rows
                  if rule["topic"] in (topics or [])
                  and (channel, prefill.user_hash(ResidentId(channel, slug, user))) in wanted)


def this_week(today: date) -> tuple[date, date]:
    monday = today - timedelta(days=today.weekday())
    return monday, monday + timedelta(days=6)


def overview(db: Session, commune_id: int, today: date) -> list[dict]:
    """Every rule with whether it is on and how many residents it reaches this week (before switching on)."""
    enabled = {r.rule: r.enabled for r in db.scalars(select(ReminderRule).where(ReminderRule.commune_id == commune_id))}
    first, last = this_week(today)
    return [{"rule": rule_id, "enabled": enabled.get(rule_id, False),
             "reaches_this_week": len(due(db, commune_id, rule_id, first, last))} for rule_id in definitions()]


def switch(db: Session, commune_id: int, rule_id: str, on: bool) -> None:
    if rule_id not in definitions():
        raise ValueError(f"unknown rule {rule_id}; known: {', '.join(definitions())}")
    row = db.scalar(select(ReminderRule).where(ReminderRule.commune_id == commune_id, ReminderRule.rule == rule_id))
    if row is None:
        row = ReminderRule(commune_id=commune_id, rule=rule_id)
        db.add(row)
    row.enabled = on


def todays_campaigns(db: Session, today: date) -> list[int]:
    """One draft campaign per enabled rule and commune with residents due today (once per day: the
    campaign's name carries the day). The caller starts them."""
    from outreach.campaigns import create

    made = []
    for rule_row in db.scalars(select(ReminderRule).where(ReminderRule.enabled.is_(True))):
        rule = definitions()[rule_row.rule]
        ids = due(db, rule_row.commune_id, rule_row.rule, today, today)
        name = f"rule:{rule_row.rule}:{today.isoformat()}"
        exists = db.scalar(select(Campaign.id).where(Campaign.name == name,
                                                     Campaign.created_by == f"rule:{rule_row.commune_id}"))
        if not ids or exists:
            continue
        slug = db.scalar(select(Commune.slug).where(Commune.id == rule_row.commune_id))
        campaign = create(db, name, [slug], rule["message"], intent=rule.get("intent"),
                          created_by=f"rule:{rule_row.commune_id}")
        campaign.rule, campaign.audience = rule_row.rule, {**campaign.audience, "subscriber_ids": ids}
        made.append(campaign.id)
    return made
