"""Reminder consent in the conversation: recognising yes and stop, recording them, and keeping the
life-event dates reminders need only while the resident agrees.

Consent is per resident and channel (a Subscriber row): who, when, which wording, which topics.
Opting out withdraws it and deletes the life-event data at once; "xóa dữ liệu của tôi" deletes the
data too. The campaigns that read these rows live in outreach/; this module never sends anything.
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from functools import lru_cache
from pathlib import Path

import yaml
from sqlalchemy import delete, select

from bot.consent_models import GuideStart, LifeEvent, ReminderConsent
from bot.messages import Incoming
from bot.residents import find_commune, find_subscriber, touch_subscriber
from infra.db import get_session
from infra.models import Subscriber
from knowledge.normalize import normalize_vietnamese
from procedures import prefill, validators
from procedures.prefill_models import PrefillRecord

DATA = Path(__file__).parent / "data" / "consent.yaml"
WORDING = "reminders-v1"  # the question's version, recorded with each answer
# life events a prepared form can hold: prefill field -> (kind, what is kept)
LIFE_FIELDS = {"child_birth_date": ("child_birth", "date"), "date_of_birth": ("own_birth", "year")}


@lru_cache(maxsize=1)
def phrases() -> dict[str, frozenset[str]]:
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    return {key: frozenset(normalize_vietnamese(str(p)).plain for p in data[key])
            for key in ("opt_in", "opt_out", "opt_out_when_idle")}


def topics() -> list[str]:
    return list(yaml.safe_load(DATA.read_text(encoding="utf-8"))["topics"])


def wish(text: str | None, guide_open: bool) -> str | None:
    """'in' | 'out' when the WHOLE message asks to start or stop reminders, else None.

    "hủy" and "dừng" alone stop reminders only when no guide is open (inside a guide they stop the
    guide); a sentence that merely contains a stop word is never an opt-out."""
    plain = normalize_vietnamese(text or "").plain
    if not plain:
        return None
    table = phrases()
    if plain in table["opt_out"] or (plain in table["opt_out_when_idle"] and not guide_open):
        return "out"
    if plain in table["opt_in"]:
        return "in"
    return None


def stops_guide(text: str | None) -> bool:
    """"hủy" / "dừng" alone: inside a guide they stop the guide, not the reminders."""
    return normalize_vietnamese(text or "").plain in phrases()["opt_out_when_idle"]


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _subscriber(incoming: Incoming, lang: str) -> Subscriber:
    commune = find_commune(incoming.commune)
    subscriber = find_subscriber(incoming, commune)
    if subscriber is None:  # a first message: create the record so the answer is kept
        touch_subscriber(incoming, commune, lang)
        subscriber = find_subscriber(incoming, commune)
    return subscriber


def _consent_row(subscriber: Subscriber) -> ReminderConsent:
    row = get_session().scalar(select(ReminderConsent).where(ReminderConsent.subscriber_id == subscriber.id))
    if row is None:
        row = ReminderConsent(subscriber_id=subscriber.id, topics=[], wording=WORDING)
        get_session().add(row)
    return row


def opted_in(incoming: Incoming) -> bool:
    subscriber = find_subscriber(incoming, find_commune(incoming.commune))
    return bool(subscriber and subscriber.reminders_opt_in)


def should_ask(incoming: Incoming) -> bool:
    """Ask once per resident: not after a yes, a no or a stop."""
    subscriber = find_subscriber(incoming, find_commune(incoming.commune))
    if subscriber is None:
        return incoming.channel != "webchat"
    if subscriber.reminders_opt_in or subscriber.unsubscribed_at is not None or incoming.channel == "webchat":
        return False
    row = get_session().scalar(select(ReminderConsent).where(ReminderConsent.subscriber_id == subscriber.id))
    return row is None or row.asked_at is None


def mark_asked(incoming: Incoming, lang: str) -> None:
    row = _consent_row(_subscriber(incoming, lang))
    row.asked_at = row.asked_at or _now()


def give(incoming: Incoming, lang: str) -> int:
    """Record a yes (all topics), then keep the life-event dates of the resident's prepared forms.
    Returns how many dates were kept."""
    subscriber = _subscriber(incoming, lang)
    row = _consent_row(subscriber)
    now = _now()
    row.topics, row.wording, row.given_at, row.withdrawn_at = topics(), WORDING, now, None
    row.asked_at = row.asked_at or now
    subscriber.reminders_opt_in, subscriber.unsubscribed_at = True, None
    return keep_life_events(incoming, subscriber)


def decline(incoming: Incoming, lang: str) -> None:
    """A 'no thanks' to the question: remembered so the question is not asked again."""
    row = _consent_row(_subscriber(incoming, lang))
    row.asked_at = row.asked_at or _now()


def withdraw(incoming: Incoming, lang: str) -> None:
    """Stop reminders now and delete the dates kept for them."""
    subscriber = _subscriber(incoming, lang)
    row = _consent_row(subscriber)
    row.withdrawn_at = _now()
    row.asked_at = row.asked_at or row.withdrawn_at
    subscriber.reminders_opt_in, subscriber.unsubscribed_at = False, row.withdrawn_at
    get_session().execute(delete(LifeEvent).where(LifeEvent.subscriber_id == subscriber.id))


def keep_life_events(incoming: Incoming, subscriber: Subscriber | None = None) -> int:
    """Copy the reminder dates of the resident's live prepared forms into LifeEvent rows, encrypted,
    only when the resident has said yes. A birth date of the resident keeps only its year."""
    if incoming.channel == "webchat":
        return 0  # nothing is ever pushed to the web chat: no reason to keep a date
    subscriber = subscriber or find_subscriber(incoming, find_commune(incoming.commune))
    if subscriber is None or not subscriber.reminders_opt_in:
        return 0
    records = get_session().scalars(select(PrefillRecord).where(
        PrefillRecord.channel == incoming.channel, PrefillRecord.user_hash == prefill.user_hash(incoming))
        .order_by(PrefillRecord.created_at))
    kept = {}
    for record in records:
        fields = (prefill.read(record).get("fields") or {})
        for name, (kind, part) in LIFE_FIELDS.items():
            day = validators.parse_date(str(fields.get(name) or ""))
            if day is not None:
                kept[kind] = {"date": day.isoformat()} if part == "date" else {"year": day.year}
    session = get_session()
    for kind, value in kept.items():
        row = session.scalar(select(LifeEvent).where(LifeEvent.subscriber_id == subscriber.id, LifeEvent.kind == kind))
        if row is None:
            row = LifeEvent(subscriber_id=subscriber.id, kind=kind, payload="")
            session.add(row)
        row.payload = prefill.encrypt(value)
    return len(kept)


def erase(incoming: Incoming) -> int:
    """"xóa dữ liệu của tôi": delete the resident's life-event dates (consent itself stays as evidence)."""
    subscriber = find_subscriber(incoming, find_commune(incoming.commune))
    if subscriber is None:
        return 0
    result = get_session().execute(delete(LifeEvent).where(LifeEvent.subscriber_id == subscriber.id))
    return result.rowcount or 0


def life_event(payload: str) -> dict:
    """The decrypted value of a LifeEvent (outreach reads it to find who a rule reaches)."""
    return prefill.decrypt(payload) or {}


def event_date(value: dict) -> date | None:
    if value.get("date"):
        return date.fromisoformat(value["date"])
    return None


def record_guide_start(incoming: Incoming, campaign_id: int, intent: str) -> None:
    """A guide opened from a campaign link: the last step of the campaign's funnel."""
    commune = find_commune(incoming.commune)
    get_session().add(GuideStart(campaign_id=campaign_id, channel=incoming.channel, user_id=incoming.user,
                                 commune_id=commune.id if commune else None, intent=intent))
