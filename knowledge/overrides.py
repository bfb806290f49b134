"""A commune's own answer to a national entry, written by its staff and shown to its residents:
the text of a FAQ answer, or a procedure's own facts (procedures/commune_facts.py).

Each process caches all commune answers and drops the cache when the knowledge-base version
moves; every admin write bumps that version, so all processes see an edit at once.
"""
from __future__ import annotations

import threading

from flask import current_app
from sqlalchemy import select

from infra.db import session_scope
from infra.models import Commune, CommuneAnswer, Entry
from knowledge.store import VERSION_KEY

_lock = threading.Lock()


def _answers() -> dict[tuple[int, str], dict]:
    version = current_app.extensions["store"].get(VERSION_KEY) or "0"
    cached = current_app.extensions.get("commune_answers")
    if cached is not None and cached[0] == version:
        return cached[1]
    with _lock, session_scope() as session:
        rows = session.execute(select(CommuneAnswer.commune_id, CommuneAnswer.entry_id, CommuneAnswer.answer))
        answers = {(commune_id, entry_id): answer for commune_id, entry_id, answer in rows}
    current_app.extensions["commune_answers"] = (version, answers)
    return answers


def commune_answer(commune: Commune | None, entry: Entry) -> dict | None:
    """The commune's answer replacing the national one, or None: {vi, en} for a FAQ entry,
    {field: {vi, en}} (note, place, fee, papers, hours) for a procedure."""
    return commune_answer_of(commune.id if commune is not None else None, entry.id)


def commune_answer_of(commune_id: int | None, entry_id: str) -> dict | None:
    """`commune_answer` by ids (a prepared page knows its commune's id, not the commune)."""
    return None if commune_id is None else _answers().get((commune_id, entry_id))
