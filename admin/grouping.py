"""Unanswered questions grouped by similarity, so staff handle "the same question" once."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from rapidfuzz import fuzz, process

from knowledge.normalize import normalize_vietnamese

SIMILAR = 80  # token_sort_ratio of the diacritic-free forms at or above which two questions are one
_PAYLOAD = re.compile(r"^[A-Z_]+(:\S*)?$")  # button payloads are logged as text too


@dataclass
class Group:
    message_id: int  # the newest message: it names the group in URLs
    text: str
    plain: str
    last_at: datetime | None
    message_ids: list[int] = field(default_factory=list)
    plains: set[str] = field(default_factory=set)
    variants: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.message_ids)


def plain_form(text: str | None) -> str:
    if not text or _PAYLOAD.match(text.strip()):
        return ""
    return normalize_vietnamese(text).plain


def group_questions(rows, handled: set[str]) -> list[Group]:
    """rows: (id, text, created_at), newest first. Questions whose plain form is handled are left out."""
    groups: list[Group] = []
    keys: list[str] = []
    for message_id, text, created_at in rows:
        plain = plain_form(text)
        if not plain or plain in handled:
            continue
        found = process.extractOne(plain, keys, scorer=fuzz.token_sort_ratio, score_cutoff=SIMILAR) if keys else None
        if found is None:
            groups.append(Group(message_id, text.strip(), plain, created_at))
            keys.append(plain)
            group = groups[-1]
        else:
            group = groups[found[2]]
        group.message_ids.append(message_id)
        if plain not in group.plains:
            group.plains.add(plain)
            if text.strip() != group.text and len(group.variants) < 3:
                group.variants.append(text.strip())
    return sorted(groups, key=lambda g: (-g.count, -g.message_id))
