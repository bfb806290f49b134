"""What the bot records about residents: subscriber records, staff requests, opt-outs, the message log."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import select

from bot.messages import Incoming
from bot.personal import DAY, NUMBER
from bot.records import TurnRecords, subscriber_row, write_records
from infra.db import get_session
from infra.models import Commune, HandoffRequest, Subscriber

def mask_personal_numbers(text: str | None) -> str | None:
    """Long digit runs (ID, phone or account numbers) and full dates (a birth date) are never kept."""
    return DAY.sub("[…]", NUMBER.sub("[…]", text)) if text else text


def find_commune(slug: str) -> Commune | None:
    return get_session().scalar(select(Commune).where(Commune.slug == slug))


def find_subscriber(incoming: Incoming, commune: Commune | None) -> Subscriber | None:
    return get_session().scalar(select(Subscriber).where(
        Subscriber.channel == incoming.channel, Subscriber.user_id == incoming.user,
        Subscriber.commune_id == (commune.id if commune else None)))


def touch_subscriber(incoming: Incoming, commune: Commune | None, lang: str) -> None:
    """Create or update the resident's record now: language and the time they last wrote."""
    row = subscriber_row(incoming.channel, incoming.user, commune.id if commune else None, lang, incoming.time)
    write_records(get_session(), TurnRecords(subscribers=[row]))


def open_handoff(incoming: Incoming, commune: Commune | None, question: str | None) -> None:
    get_session().add(HandoffRequest(channel=incoming.channel, user_id=incoming.user,
                                     commune_id=commune.id if commune else None,
                                     text=mask_personal_numbers(question)))


def unsubscribe(incoming: Incoming) -> None:
    commune = find_commune(incoming.commune)
    subscriber = find_subscriber(incoming, commune)
    if subscriber is not None:
        subscriber.reminders_opt_in = False
        subscriber.unsubscribed_at = datetime.now(timezone.utc)


def log_message(incoming: Incoming, commune: Commune | None, outcome: dict) -> None:
    write_records(get_session(), TurnRecords(messages=[message_row(incoming, commune, outcome)]))


def message_row(incoming: Incoming, commune: Commune | None, outcome: dict) -> dict:
    text = incoming.text if incoming.kind == "text" else incoming.payload
    if outcome.get("private"):  # form details typed during a guided flow: never logged
        text = None
    return {"channel": incoming.channel, "commune_id": commune.id if commune else None,
            "text": mask_personal_numbers(text)[:2000] if text else None,
            "intent": outcome.get("intent"), "score": outcome.get("score"),
            "decision": outcome.get("decision") or "none"}
