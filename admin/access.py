"""Who may see what: the one place that turns a URL's commune and object ids into rows the staff member may use.

Every commune page is declared with `@commune_page`; it resolves `<slug>` to a commune the
current staff member may manage (else 404, so other communes are not even confirmed to exist),
and the `load_*` helpers fetch an object only through that commune.
"""
from __future__ import annotations

from functools import wraps
from typing import Callable

from flask import abort, g
from flask_login import current_user, login_required
from sqlalchemy import Select, select

from admin.models import EntryRevision, StaffUser
from channels.models import DeadLetter
from infra.db import get_session
from infra.models import Commune, Entry, HandoffRequest, MessageLog
from knowledge.ownership import entry_owner, visible_to

def communes_of(user: StaffUser) -> Select:
    query = select(Commune).order_by(Commune.name)
    if user.role == "super":
        return query
    if user.role == "province" and user.province:
        return query.where(Commune.province == user.province)
    if user.role == "commune" and user.commune_id is not None:
        return query.where(Commune.id == user.commune_id)
    return query.where(Commune.id.is_(None))  # a misconfigured account sees nothing


def can_manage(user: StaffUser, commune: Commune) -> bool:
    if user.role == "super":
        return True
    if user.role == "province":
        return bool(user.province) and commune.province == user.province
    return user.role == "commune" and user.commune_id == commune.id


def commune_page(view: Callable) -> Callable:
    """Log-in required; `slug` becomes `commune` (also g.commune) if the staff member may manage it."""
    @wraps(view)
    @login_required
    def wrapper(slug: str, **kwargs):
        commune = get_session().scalar(select(Commune).where(Commune.slug == slug))
        if commune is None or not can_manage(current_user, commune):
            abort(404)
        g.commune = commune
        return view(commune=commune, **kwargs)
    return wrapper


def is_super() -> bool:
    return current_user.is_authenticated and current_user.role == "super"


def super_page(view: Callable) -> Callable:
    """Log-in required, and a super admin: for pages that belong to no commune (else 403)."""
    @wraps(view)
    @login_required
    def wrapper(**kwargs):
        if not is_super():
            abort(403)
        return view(**kwargs)
    return wrapper


def may_edit_entry(entry: Entry, commune: Commune) -> bool:
    """Commune staff edit their own entries; national entries change only by a super admin."""
    return entry_owner(entry) == commune.id or is_super()


def load_entry(commune: Commune, entry_id: str) -> Entry:
    entry = get_session().get(Entry, entry_id)
    if entry is None or not visible_to(entry, commune):
        abort(404)
    return entry


def load_handoff(commune: Commune, handoff_id: int) -> HandoffRequest:
    handoff = get_session().get(HandoffRequest, handoff_id)
    if handoff is None or handoff.commune_id != commune.id:
        abort(404)
    return handoff


def load_message(commune: Commune, message_id: int) -> MessageLog:
    message = get_session().get(MessageLog, message_id)
    if message is None or message.commune_id != commune.id:
        abort(404)
    return message


def load_revision(commune: Commune, revision_id: int) -> EntryRevision:
    """A revision of this commune's answers, or of a national entry it can see."""
    revision = get_session().get(EntryRevision, revision_id)
    if revision is None or revision.commune_id not in (None, commune.id):
        abort(404)
    load_entry(commune, revision.entry_id)
    return revision


def load_dead_letter(commune: Commune | None, letter_id: int) -> DeadLetter:
    """A dead letter of this commune, or with None one of no commune (a `super_page`'s)."""
    letter = get_session().get(DeadLetter, letter_id)
    if letter is None or letter.commune_id != (commune.id if commune is not None else None):
        abort(404)
    return letter
