"""Unanswered questions: what the bot could not answer, grouped, with attach / new entry / dismiss,
or attach to a procedure of the national catalogue."""
from __future__ import annotations

from dataclasses import dataclass

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from admin.access import commune_page, is_super, load_entry, load_message
from admin.blueprint import bp
from admin.i18n import _
from admin.inbox import resolve_group, unanswered_groups
from admin.tryit import try_text
from admin.views.catalogue import add_catalogue_phrasing, catalogue_entry_or_404, search_catalogue
from admin.views.faq import attach_phrasing
from i18n import N_
from infra.db import get_session
from infra.models import Commune, Entry
from knowledge.catalogue_terms import everyday_title
from knowledge.ownership import visible_to
from knowledge.store import knowledge_base

TARGET_KINDS = ("faq", "procedure")  # never the out-of-scope label or a meta behaviour


def _entries(commune: Commune) -> list[Entry]:
    entries = get_session().scalars(select(Entry).where(Entry.kind.in_(TARGET_KINDS), Entry.enabled.is_(True))
                                    .order_by(Entry.name_vi))
    return [e for e in entries if visible_to(e, commune)]


# How close a suggestion is, in words staff read instead of a raw score
CLOSENESS = {"strong": N_("very close"), "possible": N_("perhaps"), "weak": N_("far")}


@dataclass(frozen=True)
class Suggestion:
    entry: Entry
    closeness: str  # a key of CLOSENESS
    preselect: bool  # only a strong match is chosen in advance


def suggestions_for(text: str, commune: Commune) -> list[Suggestion]:
    """The closest answerable entries for an unanswered text; one is preselected only when the
    bot itself would answer with it."""
    result = try_text(text, commune, limit=6)
    thresholds = knowledge_base().snapshot().index.thresholds
    chosen = []
    for scored in result.top:
        if scored.entry.kind not in TARGET_KINDS:
            continue
        strong = result.answered is not None and scored.entry.id == result.answered.id
        closeness = ("strong" if strong or scored.score >= thresholds.answer
                     else "possible" if scored.score >= thresholds.clarify else "weak")
        chosen.append(Suggestion(scored.entry, closeness, strong))
    return chosen[:3]


@bp.get("/c/<slug>/unanswered")
@commune_page
def unanswered(commune: Commune):
    groups = unanswered_groups(commune)
    suggestions = {g.message_id: suggestions_for(g.text, commune) for g in groups[:50]}
    return render_template("admin/unanswered.html", commune=commune, groups=groups[:50], total=len(groups),
                           suggestions=suggestions, entries=_entries(commune), closeness=CLOSENESS)


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


@bp.get("/c/<slug>/unanswered/<int:message_id>/catalogue")
@commune_page
def attach_catalogue_search(commune: Commune, message_id: int):
    """Search the national catalogue for the procedure an unanswered question asks about; the
    question itself is the first search."""
    message = load_message(commune, message_id)
    query = " ".join((request.args.get("q") or message.text or "").split())[:200]
    rows = [(e, everyday_title(e.name)) for e in search_catalogue(query)]
    return render_template("admin/unanswered_catalogue.html", commune=commune, message=message, q=query,
                           rows=rows, can_national=is_super())


@bp.post("/c/<slug>/unanswered/<int:message_id>/catalogue")
@commune_page
def attach_catalogue(commune: Commune, message_id: int):
    """The question becomes a phrasing of a catalogue procedure: the commune's own (a clerk's),
    or for every commune (a super admin's, as with curated entries), and leaves the inbox."""
    message = load_message(commune, message_id)
    national = request.form.get("national") == "1"
    if national and not is_super():  # only a super admin teaches every commune's bot
        abort(403)
    entry = catalogue_entry_or_404((request.form.get("code") or "").strip()[:40])
    add_catalogue_phrasing(commune, entry.code, message.text, national)
    resolve_group(commune, message.id, "catalogue", entry.code)
    flash(_("Added to “{title}”. The bot answers this question with it now.", title=everyday_title(entry.name)))
    return redirect(url_for("admin.unanswered", slug=commune.slug))
