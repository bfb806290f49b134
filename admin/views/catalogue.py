"""The national catalogue in the admin: list and search procedures, and add the commune's own
note (desk, local fee, local papers) and phrasings to any of them. A note or phrasing is the
commune's: it shows in the answers to that commune's residents from the next message on."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import or_, select

from admin.access import commune_page
from admin.blueprint import bp
from admin.i18n import _
from infra.db import get_session
from infra.models import CatalogueEntry, CatalogueNote, CataloguePhrasing, Commune
from knowledge.catalogue_store import bump_version, catalogue
from knowledge.catalogue_terms import everyday_title

PAGE = 50
MAX_NOTE = 1000


def search_catalogue(query: str) -> list[CatalogueEntry]:
    """Residents' words find procedures through the catalogue index; a code or official words by name."""
    session = get_session()
    if not query:
        return list(session.scalars(select(CatalogueEntry).where(CatalogueEntry.active.is_(True))
                                    .order_by(CatalogueEntry.code).limit(PAGE)))
    codes: list[str] = []
    index = catalogue().index()
    if index is not None:
        codes = [h.code for h in index.search(query)]
    like = f"%{query}%"
    codes += session.scalars(select(CatalogueEntry.code).where(
        or_(CatalogueEntry.code == query, CatalogueEntry.name.ilike(like))).limit(PAGE))
    codes = list(dict.fromkeys(codes))[:PAGE]
    found = {e.code: e for e in session.scalars(select(CatalogueEntry).where(CatalogueEntry.code.in_(codes)))}
    return [found[c] for c in codes if c in found]


def catalogue_entry_or_404(code: str) -> CatalogueEntry:
    entry = get_session().get(CatalogueEntry, code)
    if entry is None:
        abort(404)
    return entry


@bp.get("/c/<slug>/catalogue")
@commune_page
def catalogue_list(commune: Commune):
    query = (request.args.get("q") or "").strip()[:200]
    entries = search_catalogue(query)
    noted = set(get_session().scalars(select(CatalogueNote.code).where(CatalogueNote.commune_id == commune.id)))
    return render_template("admin/catalogue_list.html", commune=commune, q=query, noted=noted,
                           rows=[(e, everyday_title(e.name)) for e in entries])


@bp.get("/c/<slug>/catalogue/<code>")
@commune_page
def catalogue_entry(commune: Commune, code: str):
    entry = catalogue_entry_or_404(code)
    session = get_session()
    note = session.scalar(select(CatalogueNote).where(CatalogueNote.code == code, CatalogueNote.commune_id == commune.id))
    phrasings = session.scalars(select(CataloguePhrasing).where(
        CataloguePhrasing.code == code, CataloguePhrasing.commune_id == commune.id).order_by(CataloguePhrasing.id))
    return render_template("admin/catalogue_entry.html", commune=commune, entry=entry, title=everyday_title(entry.name),
                           note=note, phrasings=list(phrasings))


def _field(name: str) -> str | None:
    value = (request.form.get(name) or "").strip()
    if len(value) > MAX_NOTE:
        abort(400, _("A note field may hold at most {n} characters.", n=MAX_NOTE))
    return value or None


@bp.post("/c/<slug>/catalogue/<code>/note")
@commune_page
def catalogue_note(commune: Commune, code: str):
    catalogue_entry_or_404(code)
    session = get_session()
    note = session.scalar(select(CatalogueNote).where(CatalogueNote.code == code, CatalogueNote.commune_id == commune.id))
    desk, fee, papers = _field("desk"), _field("fee"), _field("papers")
    if not (desk or fee or papers):
        if note is not None:
            session.delete(note)
    else:
        if note is None:
            note = CatalogueNote(code=code, commune_id=commune.id)
            session.add(note)
        note.desk, note.fee, note.papers, note.updated_by = desk, fee, papers, current_user.username
    session.commit()
    flash(_("Saved. Residents of this commune see it in the next answer."))
    return redirect(url_for("admin.catalogue_entry", slug=commune.slug, code=code))


@bp.post("/c/<slug>/catalogue/<code>/phrasing")
@commune_page
def catalogue_phrasing(commune: Commune, code: str):
    catalogue_entry_or_404(code)
    add_catalogue_phrasing(commune, code, request.form.get("text"))
    flash(_("Saved. Residents of this commune see it in the next answer."))
    return redirect(url_for("admin.catalogue_entry", slug=commune.slug, code=code))


def add_catalogue_phrasing(commune: Commune, code: str, raw_text: str | None, national: bool = False) -> None:
    """The commune's own phrasing of a catalogue procedure (read at answer time, so its residents
    are answered from the next message on); a super admin's `national` one goes into every
    process's index, for every commune. The caller checks who may add a national one."""
    text = " ".join((raw_text or "").split())
    if not text or len(text) > 500:
        abort(400, _("A phrasing needs 1 to 500 characters."))
    owner = None if national else commune.id
    session = get_session()
    exists = session.scalar(select(CataloguePhrasing.id).where(
        CataloguePhrasing.code == code, CataloguePhrasing.text == text,
        CataloguePhrasing.commune_id.is_(None) if owner is None else CataloguePhrasing.commune_id == owner))
    if exists is None:
        session.add(CataloguePhrasing(code=code, commune_id=owner, text=text))
        session.commit()
        if owner is None:
            bump_version()
