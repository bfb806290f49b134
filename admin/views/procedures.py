"""Curated procedures "for our commune": the national text (place, fee, papers, hours and time)
beside the commune's own note, place, fee, papers and hours.

Saving writes the commune's answer to the procedure's entry through admin.editing, like a commune's
FAQ answer: the same history (who, when, what) and rollback, and the bot's answers change at once
for this commune's residents only (procedures/commune_facts.py says how the bot uses them).
"""
from __future__ import annotations

from dataclasses import replace

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from admin import editing
from admin.access import commune_page, load_entry
from admin.blueprint import bp
from admin.editing import EditError
from admin.i18n import _, staff_language
from admin.models import EntryRevision
from bot import office_hours
from i18n import N_
from infra.db import get_session
from infra.models import Commune, CommuneAnswer, Entry
from knowledge.ownership import visible_to
from procedures import commune_facts, render

HISTORY_ROWS = 10  # the latest versions on the page; the history page has them all
LABELS = {"note": N_("Note for residents"), "place": N_("Where to apply"), "fee": N_("Fee"),
          "papers": N_("Papers (one per line)"), "hours": N_("Hours and time")}


def _localized(value: dict | str | None) -> str | None:
    """A {vi, en} text in the staff member's language."""
    if value is None or isinstance(value, str):
        return value
    return value.get(staff_language()) or value.get("vi")


def _procedure(commune: Commune, procedure_id: str) -> Entry:
    entry = load_entry(commune, procedure_id)
    if entry.kind != "procedure":
        abort(404)
    return entry


@bp.get("/c/<slug>/procedures")
@commune_page
def procedure_list(commune: Commune):
    entries = [e for e in get_session().scalars(select(Entry).where(Entry.kind == "procedure").order_by(Entry.id))
               if visible_to(e, commune)]
    changed = set(get_session().scalars(select(CommuneAnswer.entry_id).where(CommuneAnswer.commune_id == commune.id)))
    return render_template("admin/procedure_list.html", commune=commune, entries=entries, changed=changed)


def _office(commune: Commune, content: dict) -> render.Office:
    describe = lambda hours: office_hours.describe(hours, staff_language())  # noqa: E731 - render's Describe
    return render.office_for(content, commune, describe, _localized, _)


def national_texts(commune: Commune, content: dict) -> dict[str, str]:
    """What the national text tells this commune's residents, field by field, as the bot words it."""
    office = _office(commune, content)
    hours = _("Opening hours: {hours}", hours=office.hours) if office.hours else _("Opening hours not entered yet.")
    return {"note": "", "place": render.place_line(replace(office, hours=None), _),
            "fee": render.fee_line(content, office, _localized, _),
            "papers": render.documents(content, office, _localized, _),
            "hours": "\n".join([hours, render.time(content, office, _localized, _)])}


def _page(commune: Commune, entry: Entry, status: int = 200, values: dict | None = None, error: str | None = None):
    override = editing.override_of(commune, entry)
    facts = override.answer if override is not None else None
    if values is None:
        values = {f"{field}_{lang}": text.get(lang) or "" for field, text in (facts or {}).items() for lang in ("vi", "en")}
    merged = commune_facts.merged(entry.content, facts)
    preview = render.first_answer(merged, None, False, _office(commune, merged), _localized, _) if facts else None
    revisions = get_session().scalars(select(EntryRevision).where(
        EntryRevision.entry_id == entry.id, EntryRevision.commune_id == commune.id, EntryRevision.action == "override")
        .order_by(EntryRevision.id.desc()).limit(HISTORY_ROWS))
    return render_template(
        "admin/procedure_entry.html", commune=commune, entry=entry, override=override, preview=preview,
        facts=facts or {}, values=values,
        national=national_texts(commune, entry.content), fields=commune_facts.FIELDS, limits=commune_facts.LIMITS,
        labels={field: _(label) for field, label in LABELS.items()},
        rows=[(r, editing.diff(r), True) for r in revisions], error=error), status


@bp.get("/c/<slug>/procedures/<procedure_id>")
@commune_page
def procedure_page(commune: Commune, procedure_id: str):
    return _page(commune, _procedure(commune, procedure_id))


@bp.post("/c/<slug>/procedures/<procedure_id>")
@commune_page
def save_procedure(commune: Commune, procedure_id: str):
    entry = _procedure(commune, procedure_id)
    try:
        facts = None if request.form.get("reset") == "1" else editing.clean_facts(request.form)
    except EditError as exc:
        values = {f"{field}_{lang}": (request.form.get(f"{field}_{lang}") or "")[:5000]
                  for field in commune_facts.FIELDS for lang in ("vi", "en")}
        return _page(commune, entry, 400, values=values, error=_(str(exc)))
    if facts is None:
        editing.remove_commune_answer(entry, commune, current_user.username)
        flash(_("The national text is used again."))
    else:
        editing.save_commune_answer(entry, commune, facts, current_user.username)
        flash(_("Saved. Residents of this commune see it in the next answer."))
    return redirect(url_for("admin.procedure_page", slug=commune.slug, procedure_id=entry.id))
