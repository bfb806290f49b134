"""FAQ editor: list and search entries, answers (national, commune, own), phrasings, enable/disable,
history with rollback, new entries, and the "try it" box over the live matcher."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from admin import editing
from admin.access import commune_page, is_super, load_entry, load_message, load_revision, may_edit_entry
from admin.blueprint import bp
from admin.editing import EditError
from admin.i18n import _
from admin.inbox import resolve_group
from admin.models import EntryRevision
from admin.tryit import better_elsewhere, try_text
from infra.db import get_session
from infra.models import Commune, Entry
from knowledge.normalize import normalize_vietnamese
from knowledge.ownership import entry_owner, visible_to

LISTED_KINDS = ("faq", "procedure")


def _search(commune: Commune, query: str) -> list[Entry]:
    entries = get_session().scalars(select(Entry).where(Entry.kind.in_(LISTED_KINDS)).order_by(Entry.kind, Entry.id))
    wanted = normalize_vietnamese(query).plain
    found = []
    for entry in entries:
        if not visible_to(entry, commune):
            continue
        haystack = normalize_vietnamese(f"{entry.id} {entry.name_vi} {entry.name_en}").plain
        if not wanted or wanted in haystack:
            found.append(entry)
    return found


@bp.get("/c/<slug>/faq")
@commune_page
def faq_list(commune: Commune):
    query = (request.args.get("q") or "").strip()[:200]
    overridden = {row.entry_id for row in _overrides(commune)}
    return render_template("admin/faq_list.html", commune=commune, entries=_search(commune, query), q=query,
                           overridden=overridden, entry_owner=entry_owner)


def _overrides(commune: Commune):
    from infra.models import CommuneAnswer

    return get_session().scalars(select(CommuneAnswer).where(CommuneAnswer.commune_id == commune.id))


@bp.get("/c/<slug>/try")
@commune_page
def try_it(commune: Commune):
    text = (request.args.get("text") or "").strip()[:2000]
    result = try_text(text, commune) if text else None
    return render_template("admin/try.html", commune=commune, text=text, result=result)


def _entry_page(commune: Commune, entry: Entry, status: int = 200, **extra):
    override = editing.override_of(commune, entry)
    phrasings = sorted(editing.phrasings_for(entry, commune), key=lambda p: -p.id)
    return render_template(
        "admin/faq_entry.html", commune=commune, entry=entry, override=override,
        national=entry_owner(entry) is None, can_edit=may_edit_entry(entry, commune),
        phrasings=phrasings, removable={p.id for p in phrasings if _may_remove(p, entry, commune)},
        can_national=is_super() and entry_owner(entry) is None,
        answer=(entry.content or {}).get("answer") or {}, **extra), status


def _may_remove(phrasing, entry: Entry, commune: Commune) -> bool:
    """Staff remove their commune's phrasings; national ones only a super admin (seeds never)."""
    if phrasing.origin != "staff":
        return False
    return phrasing.commune_id == commune.id or (phrasing.commune_id is None and may_edit_entry(entry, commune))


@bp.get("/c/<slug>/faq/<entry_id>")
@commune_page
def faq_entry(commune: Commune, entry_id: str):
    return _entry_page(commune, load_entry(commune, entry_id))


def _done(commune: Commune, entry: Entry, message: str):
    flash(message)
    return redirect(url_for("admin.faq_entry", slug=commune.slug, entry_id=entry.id))


@bp.post("/c/<slug>/faq/<entry_id>/answer")
@commune_page
def save_answer(commune: Commune, entry_id: str):
    entry = load_entry(commune, entry_id)
    scope = request.form.get("scope")
    if entry.kind != "faq" or scope not in ("entry", "commune"):
        abort(400, description="only FAQ answers can be edited here")
    if scope == "entry" and not may_edit_entry(entry, commune):
        abort(403)
    if scope == "commune" and entry_owner(entry) is not None:
        abort(400, description="a commune-own entry has no separate commune answer")
    try:
        answer = editing.clean_answer(request.form.get("vi"), request.form.get("en"))
    except EditError as exc:
        return _entry_page(commune, entry, 400, error=_(str(exc)))
    if scope == "entry":
        editing.save_entry_answer(entry, answer, current_user.username)
    else:
        editing.save_commune_answer(entry, commune, answer, current_user.username)
    return _done(commune, entry, _("Saved. The bot answers with it now."))


@bp.post("/c/<slug>/faq/<entry_id>/answer/reset")
@commune_page
def reset_answer(commune: Commune, entry_id: str):
    entry = load_entry(commune, entry_id)
    editing.remove_commune_answer(entry, commune, current_user.username)
    return _done(commune, entry, _("The national answer is used again."))


@bp.post("/c/<slug>/faq/<entry_id>/phrasings")
@commune_page
def add_phrasing(commune: Commune, entry_id: str):
    national = request.form.get("national") == "1"
    if national and not is_super():  # only a super admin teaches every commune's bot
        abort(403)
    return attach_phrasing(commune, load_entry(commune, entry_id), request.form.get("text"),
                           request.form.get("from_message") or "", request.form.get("confirm") == "1", national)


def attach_phrasing(commune: Commune, entry: Entry, raw_text: str | None, source: str, confirmed: bool,
                    national: bool = False):
    """Add a phrasing for this commune's residents (a super admin's `national` one: for all), first
    warning when it already matches another entry better. `source` is the id of the unanswered
    question it comes from, if any."""
    if source:
        if not source.isdigit():
            abort(400, description="from_message must be a message id")
        load_message(commune, int(source))
    try:
        text = editing.clean_phrasing(raw_text)
    except EditError as exc:
        return _entry_page(commune, entry, 400, error=_(str(exc)))
    better = better_elsewhere(text, entry, commune)
    if better is not None and not confirmed:
        return _entry_page(commune, entry, 200, conflict=better, pending=text, source=source,
                           pending_national=national)
    editing.add_phrasing(entry, text, commune, current_user.username, national=national and entry_owner(entry) is None)
    _mark_inbox(commune, source, "phrasing", entry.id)
    return _done(commune, entry, _("Phrasing added. The bot recognises it now."))


@bp.post("/c/<slug>/faq/<entry_id>/phrasings/<int:phrasing_id>/delete")
@commune_page
def delete_phrasing(commune: Commune, entry_id: str, phrasing_id: int):
    entry = load_entry(commune, entry_id)
    phrasing = next((p for p in editing.phrasings_for(entry, commune) if p.id == phrasing_id), None)
    if phrasing is None:  # another commune's phrasing is not even confirmed to exist
        abort(404)
    if not _may_remove(phrasing, entry, commune):
        abort(403)
    editing.remove_phrasing(entry, phrasing_id, commune, current_user.username)
    return _done(commune, entry, _("Phrasing removed."))


@bp.post("/c/<slug>/faq/<entry_id>/enabled")
@commune_page
def set_enabled(commune: Commune, entry_id: str):
    entry = load_entry(commune, entry_id)
    if not may_edit_entry(entry, commune):
        abort(403)
    enabled = request.form.get("enabled") == "1"
    editing.set_enabled(entry, enabled, current_user.username)
    return _done(commune, entry, _("Entry enabled.") if enabled else _("Entry disabled: the bot no longer uses it."))


@bp.get("/c/<slug>/faq/<entry_id>/history")
@commune_page
def history(commune: Commune, entry_id: str):
    entry = load_entry(commune, entry_id)
    revisions = get_session().scalars(
        select(EntryRevision).where(EntryRevision.entry_id == entry.id,
                                    (EntryRevision.commune_id == commune.id) | EntryRevision.commune_id.is_(None))
        .order_by(EntryRevision.id.desc()))
    rows = [(r, editing.diff(r), _may_roll_back(r)) for r in revisions]
    return render_template("admin/history.html", commune=commune, entry=entry, rows=rows)


def _may_roll_back(revision: EntryRevision) -> bool:
    if revision.action == "create":
        return False
    return revision.commune_id is not None or is_super()


@bp.post("/c/<slug>/revisions/<int:revision_id>/rollback")
@commune_page
def rollback(commune: Commune, revision_id: int):
    revision = load_revision(commune, revision_id)
    entry = load_entry(commune, revision.entry_id)
    if not _may_roll_back(revision):
        abort(403)
    back = url_for("admin.history", slug=commune.slug, entry_id=entry.id)
    if request.form.get("back") == "procedure" and entry.kind == "procedure":  # from its "for our commune" page
        back = url_for("admin.procedure_page", slug=commune.slug, procedure_id=entry.id)
    try:
        editing.rollback(revision, entry, commune, current_user.username)
    except EditError as exc:
        flash(_(str(exc)))
        return redirect(back)
    flash(_("Change rolled back."))
    return redirect(back)


@bp.route("/c/<slug>/faq/new", methods=["GET", "POST"])
@commune_page
def new_entry(commune: Commune):
    form = request.form if request.method == "POST" else request.args
    values = {key: (form.get(key) or "") for key in ("name_vi", "name_en", "vi", "en", "phrasings")}
    if request.method == "GET":
        return render_template("admin/faq_new.html", commune=commune, values=values, can_national=is_super())
    national = form.get("national") == "1"
    if national and not is_super():
        abort(403)
    source = form.get("from_message") or ""
    if source:  # the unanswered question it comes from must be this commune's
        if not source.isdigit():
            abort(400, description="from_message must be a message id")
        load_message(commune, int(source))
    try:
        answer = editing.clean_answer(values["vi"], values["en"])
        phrasings = [editing.clean_phrasing(line) for line in values["phrasings"].splitlines() if line.strip()]
        name = {"vi": " ".join(values["name_vi"].split()), "en": " ".join(values["name_en"].split())}
        entry = editing.create_entry(None if national else commune, name, answer, phrasings, current_user.username)
    except EditError as exc:
        get_session().rollback()
        return render_template("admin/faq_new.html", commune=commune, values=values, can_national=is_super(),
                               error=_(str(exc))), 400
    _mark_inbox(commune, source, "entry", entry.id)
    return _done(commune, entry, _("Entry created. The bot answers with it now."))


def _mark_inbox(commune: Commune, message_id: str | None, action: str, entry_id: str | None) -> None:
    """An entry made from an unanswered question takes that question's group out of the inbox."""
    if message_id and message_id.isdigit():
        resolve_group(commune, int(message_id), action, entry_id)
