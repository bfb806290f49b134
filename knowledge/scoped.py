"""Commune-scoped matching: what one commune's staff teach the bot counts only for its residents.

The national index holds national entries and national phrasings only, so nothing a commune's
staff add (a phrasing on a national entry, an entry of their own) moves another commune's
answers, not even by a feature weight. Each commune with content of its own gets a small extra
index over that content, consulted beside the national one: it answers when it finds the
resident's words close to one of the commune's phrasings (at least OVERLAY_ANSWER, and above the
national score). A commune without such content costs one dict lookup per message.

The matcher itself (knowledge/matcher.py) is used as it is: only `MatchIndex(pairs, thresholds)`,
`match` and `score_intents`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from knowledge.matcher import Candidate, Match, MatchIndex, Thresholds

# A commune index is small: its feature weights tell its few entries apart, not a word's rarity in
# the whole knowledge base, so its scores are closeness to the commune's own phrasings. Two thirds of
# the words of one of them (after normalisation) is the bar for answering with it.
OVERLAY_ANSWER = 0.6

Pair = tuple[str, str]  # (intent id, phrasing text)


@dataclass(frozen=True)
class ScopedIndex:
    """The national index and one small index per commune that has content of its own."""
    national: MatchIndex
    communes: dict[int, MatchIndex] = field(default_factory=dict)

    @classmethod
    def build(cls, national: Iterable[Pair], by_commune: dict[int, list[Pair]],
              thresholds: Thresholds | None = None) -> "ScopedIndex":
        overlays = {commune_id: MatchIndex(pairs, thresholds) for commune_id, pairs in by_commune.items() if pairs}
        return cls(MatchIndex(national, thresholds), overlays)

    def match(self, text: str, commune_id: int | None) -> Match:
        """The decision for a resident of `commune_id` (None: no commune, national content only)."""
        national = self.national.match(text)
        overlay = self.communes.get(commune_id) if commune_id is not None else None
        if overlay is None:
            return national
        ranked = overlay.score_intents(text)
        if not ranked:
            return national
        top = ranked[0]
        if top.score >= max(OVERLAY_ANSWER, self.national.thresholds.answer) and top.score > national.score:
            return Match(top.intent, top.score, "answer", _merged(ranked, national.candidates)[:3])
        return national

    def ranked(self, text: str, commune_id: int | None) -> list[Candidate]:
        """Every intent the resident's words come close to, national and the commune's, best first."""
        national = self.national.score_intents(text)
        overlay = self.communes.get(commune_id) if commune_id is not None else None
        return _merged(overlay.score_intents(text), national) if overlay is not None else national


def _merged(first: Iterable[Candidate], second: Iterable[Candidate]) -> list[Candidate]:
    best: dict[str, Candidate] = {}
    for candidate in (*first, *second):
        if candidate.intent not in best or candidate.score > best[candidate.intent].score:
            best[candidate.intent] = candidate
    return sorted(best.values(), key=lambda c: -c.score)
