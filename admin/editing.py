"""Changing the knowledge base from the admin: answers, commune answers (a FAQ's text, or a
procedure's own facts: procedures/commune_facts.py), phrasings, entries, rollback.

Every change writes an EntryRevision (who, when, before, after), commits, and bumps the
knowledge-base version so every process rebuilds its matcher and answers at once.
"""
from __future__ import annotations

import difflib
import re

from sqlalchemy import select

from knowledge.ownership import OWNER, entry_owner
from admin.models import EntryRevision
from infra.models import CommuneAnswer
from i18n import N_
from infra.db import get_session
from infra.models import Commune, Entry, Phrasing
from knowledge.normalize import normalize_vietnamese
from knowledge.store import bump_version
from procedures.commune_facts import FIELDS as FACT_FIELDS, LIMITS as FACT_LIMITS

MAX_ANSWER = 4000
MAX_PHRASING = 500


class EditError(ValueError):
    """The staff member's input cannot be saved; the text (a msgid) says why."""


def _commit() -> None:
    get_session().commit()
    bump_version()


def _record(entry_id: str, commune_id: int | None, action: str, before, after, username: str) -> None:
    get_session().add(EntryRevision(entry_id=entry_id, commune_id=commune_id, action=action,
                                    before=before, after=after, username=username))


def clean_answer(vi: str | None, en: str | None) -> dict:
    answer = {"vi": (vi or "").strip().replace("\r\n", "\n"), "en": (en or "").strip().replace("\r\n", "\n")}
    if not answer["vi"]:
        raise EditError(N_("The Vietnamese answer is required."))
    if max(len(answer["vi"]), len(answer["en"])) > MAX_ANSWER:
        raise EditError(N_("The answer is too long."))
    return answer


def clean_facts(form) -> dict | None:
    """A commune's facts about a procedure from the form's `<field>_vi` / `<field>_en` boxes:
    {field: {vi, en}} for the fields it wrote, None when it wrote none (the national text again)."""
    facts = {}
    for field in FACT_FIELDS:
        text = {lang: (form.get(f"{field}_{lang}") or "").strip().replace("\r\n", "\n") for lang in ("vi", "en")}
        if text["en"] and not text["vi"]:
            raise EditError(N_("Write the Vietnamese text first; the English one is optional."))
        if max(len(text["vi"]), len(text["en"])) > FACT_LIMITS[field]:
            raise EditError(N_("A text for this commune is too long."))
        if text["vi"]:
            facts[field] = text
    return facts or None


def override_of(commune: Commune, entry: Entry) -> CommuneAnswer | None:
    return get_session().scalar(select(CommuneAnswer).where(
        CommuneAnswer.commune_id == commune.id, CommuneAnswer.entry_id == entry.id))


def save_entry_answer(entry: Entry, answer: dict, username: str) -> None:
    """The entry's own answer: a commune-own entry, or (super admin) a national entry."""
    before = (entry.content or {}).get("answer")
    if before == answer:
        return
    entry.content = {**entry.content, "answer": answer}  # a new dict: JSON columns track assignment
    _record(entry.id, entry_owner(entry), "answer", before, answer, username)
    _commit()


def save_commune_answer(entry: Entry, commune: Commune, answer: dict, username: str) -> None:
    row = override_of(commune, entry)
    before = row.answer if row else None
    if before == answer:
        return
    if row is None:
        get_session().add(CommuneAnswer(commune_id=commune.id, entry_id=entry.id, answer=answer))
    else:
        row.answer = answer
    _record(entry.id, commune.id, "override", before, answer, username)
    _commit()


def remove_commune_answer(entry: Entry, commune: Commune, username: str) -> None:
    row = override_of(commune, entry)
    if row is None:
        return
    _record(entry.id, commune.id, "override", row.answer, None, username)
    get_session().delete(row)
    _commit()


def set_enabled(entry: Entry, enabled: bool, username: str) -> None:
    if entry.enabled == enabled:
        return
    _record(entry.id, entry_owner(entry), "enabled", {"enabled": entry.enabled}, {"enabled": enabled}, username)
    entry.enabled = enabled
    _commit()


def clean_phrasing(text: str | None) -> str:
    text = " ".join((text or "").split())
    if not normalize_vietnamese(text).tokens:
        raise EditError(N_("The phrasing needs at least one word."))
    if len(text) > MAX_PHRASING:
        raise EditError(N_("The phrasing is too long."))
    return text


def phrasings_for(entry: Entry, commune: Commune) -> list[Phrasing]:
    """The phrasings that count for this commune's residents: national ones and its own."""
    return [p for p in entry.phrasings if p.commune_id in (None, commune.id)]


def phrasing_scope(entry: Entry, commune: Commune, national: bool) -> int | None:
    """Whose a new phrasing is: the commune's (it counts only for its residents), or national (None)
    when a super admin asks for it on a national entry. A commune-own entry's phrasings are its commune's."""
    if entry_owner(entry) is not None:
        return entry_owner(entry)
    return None if national else commune.id


def add_phrasing(entry: Entry, text: str, commune: Commune, username: str, national: bool = False) -> bool:
    """Add a staff phrasing for this commune (or, `national`, for all); False when it counts already."""
    scope = phrasing_scope(entry, commune, national)
    if any(p.text == text and p.commune_id in (None, scope) for p in entry.phrasings):
        return False
    entry.phrasings.append(Phrasing(text=text, origin="staff", commune_id=scope))
    _record(entry.id, scope, "phrasing-add", None, {"text": text}, username)
    _commit()
    return True


def remove_phrasing(entry: Entry, phrasing_id: int, commune: Commune, username: str) -> None:
    phrasing = next((p for p in phrasings_for(entry, commune) if p.id == phrasing_id), None)
    if phrasing is None:
        raise EditError(N_("This phrasing does not exist."))
    _record(entry.id, phrasing.commune_id, "phrasing-remove", {"text": phrasing.text}, None, username)
    entry.phrasings.remove(phrasing)
    _commit()


def new_entry_id(commune: Commune | None, name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", normalize_vietnamese(name).plain).strip("-")[:50] or "entry"
    base = f"{commune.slug if commune else 'faq'}-{slug}"[:72]
    candidate, n = base, 1
    while get_session().get(Entry, candidate) is not None:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def create_entry(commune: Commune | None, name: dict, answer: dict, phrasings: list[str], username: str) -> Entry:
    """A new FAQ entry: the commune's own, or national when commune is None (super admin)."""
    if not name.get("vi"):
        raise EditError(N_("The Vietnamese title is required."))
    name = {"vi": name["vi"][:300], "en": (name.get("en") or name["vi"])[:300]}
    entry_id = new_entry_id(commune, name["vi"])
    content = {"id": entry_id, "kind": "faq", "name": name, "answer": answer, "origin": "staff"}
    if commune is not None:
        content[OWNER] = commune.id
    entry = Entry(id=entry_id, kind="faq", name_vi=name["vi"], name_en=name["en"], content=content, enabled=True)
    entry.phrasings = [Phrasing(text=t, origin="staff", commune_id=commune.id if commune else None)
                       for t in dict.fromkeys(phrasings)]
    get_session().add(entry)
    _record(entry_id, commune.id if commune else None, "create", None,
            {"name": name, "answer": answer, "phrasings": list(dict.fromkeys(phrasings))}, username)
    _commit()
    return entry


def rollback(revision: EntryRevision, entry: Entry, commune: Commune, username: str) -> None:
    """Undo one change: put back what was there before it."""
    if revision.action == "answer":
        if revision.before is None:
            raise EditError(N_("There is no earlier answer to go back to."))
        save_entry_answer(entry, revision.before, username)
    elif revision.action == "override":
        if revision.before is None:
            remove_commune_answer(entry, commune, username)
        else:
            save_commune_answer(entry, commune, revision.before, username)
    elif revision.action == "enabled":
        set_enabled(entry, bool(revision.before["enabled"]), username)
    elif revision.action == "phrasing-add":
        phrasing = next((p for p in entry.phrasings if p.text == revision.after["text"]
                         and p.commune_id == revision.commune_id), None)
        if phrasing is None:
            raise EditError(N_("This phrasing was already removed."))
        remove_phrasing(entry, phrasing.id, commune, username)
    elif revision.action == "phrasing-remove":
        add_phrasing(entry, revision.before["text"], commune, username, national=revision.commune_id is None)
    else:
        raise EditError(N_("This change cannot be rolled back."))


def _lines(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, dict) and set(value) <= {"vi", "en"}:
        return [f"[{lang}] {line}" for lang in ("vi", "en") for line in (value.get(lang) or "").splitlines()]
    if isinstance(value, dict) and all(isinstance(v, dict) for v in value.values()):  # a procedure's facts
        return [f"{key} {line}" for key in sorted(value) for line in _lines(value[key])]
    if isinstance(value, dict):
        return [f"{key}: {value[key]}" for key in sorted(value)]
    return [str(value)]


def diff(revision: EntryRevision) -> list[tuple[str, str]]:
    """(kind, line) pairs of a unified diff, kind '+', '-' or ' ', for the history page."""
    lines = difflib.unified_diff(_lines(revision.before), _lines(revision.after), lineterm="", n=2)
    out = []
    for line in lines:
        if line.startswith(("---", "+++", "@@")):
            continue
        out.append((line[:1] or " ", line[1:]))
    return out
