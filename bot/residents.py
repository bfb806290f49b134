"""What the bot records about residents: subscriber records, staff requests, opt-outs, the message log."""
from __future__ import annotations

import re
from datetime import datetime, timezone

from sqlalchemy import select

from bot.messages import Incoming
from bot.personal import DAY
from bot.records import TurnRecords, subscriber_row, write_records
from infra.db import get_session
from infra.models import Commune, HandoffRequest, Subscriber
from procedures.prefill import user_hash

# Long digit runs are ID, phone or account numbers: never kept in clear in the log or a transcript.
_DIGITS = re.compile(r"\+?\d[\d .-]{7,}\d")


def _masked(found: re.Match) -> str:
    """0912345678 → 0912***678; a 12-digit ID number keeps fewer digits (001095012345 → 00***345)."""
    digits = re.sub(r"\D", "", found.group())
    head = 4 if 10 <= len(digits) <= 11 else 2
    return f"{digits[:head]}***{digits[-3:]}"


def mask_personal_numbers(text: str | None) -> str | None:
    """Long digit runs (ID, phone or account numbers) masked, full dates (a birth date) left out."""
    return _DIGITS.sub(_masked, DAY.sub("[…]", text)) if text else text


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
    """One open request per resident: asking again refreshes its question instead of adding
    another, so a resident (or a script) repeating "gặp cán bộ" never floods the staff inbox."""
    session, commune_id, text = get_session(), commune.id if commune else None, mask_personal_numbers(question)
    existing = session.scalar(select(HandoffRequest).where(
        HandoffRequest.channel == incoming.channel, HandoffRequest.user_id == incoming.user,
        HandoffRequest.commune_id == commune_id, HandoffRequest.status == "open").limit(1))
    if existing is not None:
        existing.text = text or existing.text
        return
    session.add(HandoffRequest(channel=incoming.channel, user_id=incoming.user, commune_id=commune_id, text=text))


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
    if outcome.get("private") or outcome.get("erased"):  # form details typed during a guided flow: never logged
        text = None
    return {"channel": incoming.channel, "commune_id": commune.id if commune else None,
            "text": mask_personal_numbers(text)[:2000] if text else None,
            # whose text it is, as a keyed hash: "xóa dữ liệu của tôi" and an export find it
            "user_hash": user_hash(incoming) if text else None,
            "intent": outcome.get("intent"), "score": outcome.get("score"),
            "decision": outcome.get("decision") or "none"}
