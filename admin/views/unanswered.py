"""Unanswered questions: what the bot could not answer, grouped, with attach / new entry / dismiss."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from admin.access import commune_page, load_entry, load_message, visible_to
from admin.blueprint import bp
from admin.grouping import Group, group_questions, plain_form
from admin.i18n import _
from admin.models import InboxDecision
from admin.tryit import try_text
from admin.views.faq import attach_phrasing
from infra.db import get_session
from infra.models import Commune, Entry, MessageLog

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


def _entries(commune: Commune) -> list[Entry]:
    entries = get_session().scalars(select(Entry).where(Entry.kind.in_(("faq", "procedure")), Entry.enabled.is_(True))
                                    .order_by(Entry.name_vi))
    return [e for e in entries if visible_to(e, commune)]


@bp.get("/c/<slug>/unanswered")
@commune_page
def unanswered(commune: Commune):
    groups = unanswered_groups(commune)
    suggestions = {g.message_id: try_text(g.text, commune).top for g in groups[:50]}
    return render_template("admin/unanswered.html", commune=commune, groups=groups[:50], total=len(groups),
                           suggestions=suggestions, entries=_entries(commune))


@bp.post("/c/<slug>/unanswered/<int:message_id>/dismiss")
@commune_page
def dismiss(commune: Commune, message_id: int):
    resolve_group(commune, message_id, "dismiss", None)
    flash(_("Dismissed."))
    return redirect(url_for("admin.unanswered", slug=commune.slug))


@bp.post("/c/<slug>/unanswered/<int:message_id>/attach")
@commune_page
def attach(commune: Commune, message_id: int):
    message = load_message(commune, message_id)
    entry = load_entry(commune, request.form.get("entry_id") or "")
    return attach_phrasing(commune, entry, message.text, str(message.id), request.form.get("confirm") == "1")
