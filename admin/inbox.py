"""The unanswered inbox: what the bot could not answer, grouped, and the staff decisions that empty it."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from flask_login import current_user
from sqlalchemy import func, select

from admin.access import load_message
from admin.grouping import Group, group_questions, plain_form
from admin.models import InboxDecision
from infra.db import get_session
from infra.models import Commune, HandoffRequest, MessageLog

UNANSWERED = ("none", "clarify")
WINDOW_DAYS = 90
MAX_MESSAGES = 3000


def unanswered_groups(commune: Commune) -> list[Group]:
    since = datetime.now(timezone.utc) - timedelta(days=WINDOW_DAYS)
    rows = get_session().execute(
        select(MessageLog.id, MessageLog.text, MessageLog.created_at)
        .where(MessageLog.commune_id == commune.id, MessageLog.decision.in_(UNANSWERED),
               MessageLog.created_at >= since, MessageLog.text.is_not(None))
        .order_by(MessageLog.id.desc()).limit(MAX_MESSAGES)).all()
    handled = set(get_session().scalars(select(InboxDecision.plain).where(InboxDecision.commune_id == commune.id)))
    return group_questions(rows, handled)


def resolve_group(commune: Commune, message_id: int, action: str, entry_id: str | None) -> None:
    """Record the decision for every question of the message's group, so none comes back."""
    message = load_message(commune, message_id)
    group = next((g for g in unanswered_groups(commune) if message.id in g.message_ids), None)
    plains = group.plains if group else {plain_form(message.text)} - {""}
    session = get_session()
    known = set(session.scalars(select(InboxDecision.plain).where(
        InboxDecision.commune_id == commune.id, InboxDecision.plain.in_(plains))))
    for plain in plains - known:
        session.add(InboxDecision(commune_id=commune.id, plain=plain[:2000], action=action, entry_id=entry_id,
                                  username=current_user.username))
    session.commit()


def waiting_count(commune: Commune) -> int:
    """Residents whose request for staff is not closed yet (the navigation shows it on every page)."""
    return get_session().scalar(
        select(func.count(func.distinct(HandoffRequest.channel + ":" + HandoffRequest.user_id)))
        .where(HandoffRequest.commune_id == commune.id, HandoffRequest.status != "closed")) or 0
