"""Unanswered questions: what the bot could not answer, grouped, with attach / new entry / dismiss."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from sqlalchemy import select

from admin.access import commune_page, load_entry, load_message
from admin.blueprint import bp
from admin.i18n import _
from admin.inbox import resolve_group, unanswered_groups
from admin.tryit import try_text
from admin.views.faq import attach_phrasing
from infra.db import get_session
from infra.models import Commune, Entry
from knowledge.ownership import visible_to


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
