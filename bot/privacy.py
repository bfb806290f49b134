"""A resident's personal data: erase it ("xóa dữ liệu của tôi"), export it (staff, on request), and
purge conversation text older than RETENTION_DAYS.

What the bot keeps about a resident lives in several parts: prepared forms (procedures), the
conversation state (the store), transcripts, the message log, handover requests and subscriber
records (here), reply deliveries and dead letters (channels, above this part). Parts above register
their share with `register`, so "everywhere" means every part the app has loaded; nothing here
knows the platforms. Viet Nam's personal data protection law (in force 2026) is the frame: data
kept for a purpose, as long as that purpose needs, erased and handed over on request.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Callable, Protocol

from flask import current_app
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from bot.consent_models import GuideStart
from bot.state import state_key
from infra.models import Commune, HandoffRequest, MessageLog, Subscriber, TranscriptLine
from procedures import page_events, prefill


class Resident(Protocol):
    """A resident on one channel of one commune (an incoming message, or `ResidentId`)."""
    channel: str
    commune: str
    user: str


@dataclass(frozen=True)
class ResidentId:
    channel: str
    commune: str  # slug
    user: str


@dataclass(frozen=True)
class Owner:
    """The keys a resident's rows carry: channel, commune id, platform user id, keyed user hash."""
    channel: str
    commune_id: int | None
    user: str
    user_hash: str


@dataclass
class Part:
    """A part above this one that keeps resident data (channels: deliveries, dead letters)."""
    name: str
    erase: Callable[[Session, Owner], dict[str, int]]
    export: Callable[[Session, Owner], dict[str, list]]
    purge: Callable[[Session, datetime], dict[str, int]]


_PARTS: dict[str, Part] = {}


def register(part: Part) -> None:
    """Called once by each part above that keeps resident data (idempotent: by name)."""
    _PARTS[part.name] = part


@dataclass
class Erased:
    counts: dict[str, int] = field(default_factory=dict)
    kept_opt_out: bool = False  # a record that the resident opted out of reminders is kept

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def owner_of(session: Session, resident: Resident) -> Owner:
    commune_id = session.scalar(select(Commune.id).where(Commune.slug == resident.commune))
    return Owner(resident.channel, commune_id, resident.user, prefill.user_hash(resident))


def _same_commune(column, commune_id: int | None):
    return column.is_(None) if commune_id is None else column == commune_id


def erase(session: Session, resident: Resident, forget_state: bool = True) -> Erased:
    """Erase what is kept about the resident, in the caller's transaction. `forget_state`: drop the
    conversation state from the store too (the engine clears the turn's own state instead)."""
    owner = owner_of(session, resident)
    result = Erased()
    counts = result.counts
    counts["prepared_forms"] = prefill.delete_for(resident, session)
    counts["handoff_page_events"] = page_events.delete_for(resident, session)
    counts["transcript_lines"] = session.execute(delete(TranscriptLine).where(
        TranscriptLine.channel == owner.channel, _same_commune(TranscriptLine.commune_id, owner.commune_id),
        TranscriptLine.user_id == owner.user)).rowcount or 0
    counts["logged_messages"] = session.execute(update(MessageLog).where(MessageLog.user_hash == owner.user_hash)
                                                .values(text=None, user_hash=None)).rowcount or 0
    counts["handover_texts"] = session.execute(update(HandoffRequest).where(
        HandoffRequest.channel == owner.channel, _same_commune(HandoffRequest.commune_id, owner.commune_id),
        HandoffRequest.user_id == owner.user, HandoffRequest.text.is_not(None)).values(text=None)).rowcount or 0
    counts["campaign_guide_starts"] = session.execute(delete(GuideStart).where(
        *_guide_starts_of(owner))).rowcount or 0
    result.kept_opt_out = _erase_subscriber(session, owner, counts)
    for part in _PARTS.values():
        counts.update(part.erase(session, owner))
    if forget_state:
        current_app.extensions["store"].delete(state_key(resident))
    return result


def _guide_starts_of(owner: Owner) -> tuple:
    return (GuideStart.channel == owner.channel, _same_commune(GuideStart.commune_id, owner.commune_id),
            GuideStart.user_id == owner.user)


def _erase_subscriber(session: Session, owner: Owner, counts: dict[str, int]) -> bool:
    """Delete the subscriber record, except that an opt-out is remembered (reminders must stay off)."""
    mine = (Subscriber.channel == owner.channel, _same_commune(Subscriber.commune_id, owner.commune_id),
            Subscriber.user_id == owner.user)
    opted_out = session.execute(update(Subscriber).where(*mine, Subscriber.unsubscribed_at.is_not(None))
                                .values(language="vi", last_message_at=None, reminders_opt_in=False)).rowcount or 0
    counts["subscriber_records"] = session.execute(delete(Subscriber).where(
        *mine, Subscriber.unsubscribed_at.is_(None))).rowcount or 0
    return bool(opted_out)


def export(session: Session, resident: Resident) -> dict:
    """Everything kept about the resident, as JSON-able data (the prepared forms decrypted)."""
    owner = owner_of(session, resident)
    lines = session.scalars(select(TranscriptLine).where(
        TranscriptLine.channel == owner.channel, _same_commune(TranscriptLine.commune_id, owner.commune_id),
        TranscriptLine.user_id == owner.user).order_by(TranscriptLine.id))
    messages = session.scalars(select(MessageLog).where(MessageLog.user_hash == owner.user_hash)
                               .order_by(MessageLog.id))
    handoffs = session.scalars(select(HandoffRequest).where(
        HandoffRequest.channel == owner.channel, _same_commune(HandoffRequest.commune_id, owner.commune_id),
        HandoffRequest.user_id == owner.user).order_by(HandoffRequest.id))
    subscribers = session.scalars(select(Subscriber).where(
        Subscriber.channel == owner.channel, _same_commune(Subscriber.commune_id, owner.commune_id),
        Subscriber.user_id == owner.user))
    data = {
        "resident": {"channel": resident.channel, "commune": resident.commune, "user": resident.user},
        "exported_at": _iso(datetime.now(timezone.utc)),
        "subscriber": [{"language": s.language, "reminders_opt_in": s.reminders_opt_in,
                        "unsubscribed_at": _iso(s.unsubscribed_at), "first_seen_at": _iso(s.first_seen_at),
                        "last_message_at": _iso(s.last_message_at)} for s in subscribers],
        "conversation": [{"at": _iso(line.created_at), "from": line.direction, "kind": line.kind,
                          "text": line.text} for line in lines],
        "logged_questions": [{"at": _iso(m.created_at), "text": m.text, "decision": m.decision} for m in messages],
        "handover_requests": [{"at": _iso(h.created_at), "text": h.text, "status": h.status} for h in handoffs],
        "prepared_forms": prefill.export_for(resident, session),
        "prepared_pages": page_events.export_for(resident, session),
        "guides_opened_from_reminders": [
            {"at": _iso(g.created_at), "campaign": g.campaign_id, "guide": g.intent}
            for g in session.scalars(select(GuideStart).where(*_guide_starts_of(owner)).order_by(GuideStart.id))],
        "conversation_state": _state(resident),
    }
    for part in _PARTS.values():
        data.update(part.export(session, owner))
    return data


def _state(resident: Resident) -> dict | None:
    from bot.state import parse_state

    raw = current_app.extensions["store"].get(state_key(resident))
    state = parse_state(raw)
    return {key: value for key, value in state.items() if key not in ("sealed",)} or None


def _iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).isoformat()


def retention_cutoff() -> datetime:
    return datetime.now(timezone.utc) - timedelta(days=int(current_app.config["RETENTION_DAYS"]))


def purge(session: Session, cutoff: datetime | None = None) -> dict[str, int]:
    """Conversation text older than RETENTION_DAYS goes; counts for statistics stay (without text)."""
    cutoff = cutoff or retention_cutoff()
    counts = {
        "transcript_lines": session.execute(delete(TranscriptLine).where(TranscriptLine.created_at < cutoff))
        .rowcount or 0,
        "logged_messages": session.execute(update(MessageLog).where(
            MessageLog.created_at < cutoff, (MessageLog.text.is_not(None)) | (MessageLog.user_hash.is_not(None)))
            .values(text=None, user_hash=None)).rowcount or 0,
        "handover_texts": session.execute(update(HandoffRequest).where(
            HandoffRequest.created_at < cutoff, HandoffRequest.text.is_not(None)).values(text=None)).rowcount or 0,
        "prepared_forms": prefill.purge_expired(session),
        "handoff_page_events": page_events.purge(session, cutoff),
        "campaign_guide_starts": session.execute(delete(GuideStart).where(GuideStart.created_at < cutoff))
        .rowcount or 0,
    }
    for part in _PARTS.values():
        counts.update(part.purge(session, cutoff))
    return counts
