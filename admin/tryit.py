"""The live matcher as staff see it: the closest entries for a text, and phrasings that point elsewhere."""
from __future__ import annotations

from dataclasses import dataclass

from knowledge.ownership import visible_to
from infra.models import Commune, Entry
from knowledge.store import knowledge_base


@dataclass(frozen=True)
class Scored:
    entry: Entry
    score: float


@dataclass(frozen=True)
class TryResult:
    decision: str  # answer | clarify | none, as the bot would decide
    answered: Entry | None
    top: list[Scored]


def try_text(text: str, commune: Commune, limit: int = 3) -> TryResult:
    snapshot = knowledge_base().snapshot()
    match = snapshot.match(text, commune)  # as this commune's residents are answered
    top = []
    for candidate in snapshot.scoped.ranked(text, commune.id):
        entry = snapshot.entries.get(candidate.intent)
        if entry is not None and visible_to(entry, commune):
            top.append(Scored(entry, candidate.score))
        if len(top) == limit:
            break
    answered = snapshot.entries.get(match.intent) if match.decision == "answer" else None
    if answered is not None and not visible_to(answered, commune):
        answered = None
    return TryResult(match.decision, answered, top)


def better_elsewhere(text: str, entry: Entry, commune: Commune) -> Scored | None:
    """The entry a new phrasing already matches better than the one it is added to, if any."""
    top = try_text(text, commune, limit=10).top
    if not top or top[0].entry.id == entry.id:
        return None
    own = next((s.score for s in top if s.entry.id == entry.id), 0.0)
    return top[0] if top[0].score > own else None
