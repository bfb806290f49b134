"""Commune-scoped matching: what one commune's staff teach the bot counts only for its residents.

The national index holds national entries and national phrasings only, so nothing a commune's
staff add (a phrasing on a national entry, an entry of their own) moves another commune's
answers, not even by a feature weight. Each commune with content of its own gets a small extra
index over that content, consulted beside the national one: it answers when it finds the
resident's words close to one of the commune's phrasings (at least OVERLAY_ANSWER, and above the
national score). A commune without such content costs one dict lookup per message; one with it,
one more normalisation of the message and a few dict lookups.

The matcher itself (knowledge/matcher.py) is used as it is: only `MatchIndex(pairs, thresholds)`,
`match`, `score_intents` and its `Candidate`/`Match` types; the commune index is scored here.
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable

from knowledge.matcher import Candidate, Match, MatchIndex, Thresholds
from knowledge.normalize import normalize_vietnamese

# A commune index scores closeness to one of the commune's own phrasings (cosine of syllables and
# syllable pairs): about two thirds in common, after normalisation, is the bar for answering with it.
OVERLAY_ANSWER = 0.6

Pair = tuple[str, str]  # (intent id, phrasing text)


@dataclass(frozen=True)
class CommuneIndex:
    """A commune's own phrasings, scored by closeness: the cosine of the message's syllables and
    syllable pairs (diacritic-free, abbreviations expanded) with each phrasing's. A few dozen
    phrasings: an inverted index of their features, no numpy, no typo search."""
    intents: tuple[str, ...]  # per phrasing
    sizes: tuple[int, ...]  # features per phrasing
    postings: dict[str, tuple[int, ...]]  # feature -> phrasings that have it

    @classmethod
    def build(cls, pairs: list[Pair]) -> "CommuneIndex":
        intents, sizes, postings = [], [], defaultdict(list)
        for intent, text in pairs:
            feats = _features(normalize_vietnamese(text).tokens)
            if not feats:
                continue
            for feat in feats:
                postings[feat].append(len(intents))
            intents.append(intent)
            sizes.append(len(feats))
        return cls(tuple(intents), tuple(sizes), {f: tuple(ids) for f, ids in postings.items()})

    def score_intents(self, text: str) -> list[Candidate]:
        """The commune's intents the message comes close to, best first."""
        feats = _features(normalize_vietnamese(text).tokens)
        shared: dict[int, int] = defaultdict(int)
        for feat in feats:
            for phrasing in self.postings.get(feat, ()):
                shared[phrasing] += 1
        best: dict[str, float] = {}
        for phrasing, count in shared.items():
            score = count / math.sqrt(len(feats) * self.sizes[phrasing])
            intent = self.intents[phrasing]
            best[intent] = max(best.get(intent, 0.0), score)
        return [Candidate(intent, round(score, 4)) for intent, score in sorted(best.items(), key=lambda i: -i[1])]


def _features(tokens: tuple[str, ...]) -> set[str]:
    return set(tokens) | {f"{a}_{b}" for a, b in zip(tokens, tokens[1:])}


@dataclass(frozen=True)
class ScopedIndex:
    """The national index and one small index per commune that has content of its own."""
    national: MatchIndex
    communes: dict[int, CommuneIndex] = field(default_factory=dict)

    @classmethod
    def build(cls, national: Iterable[Pair], by_commune: dict[int, list[Pair]],
              thresholds: Thresholds | None = None, kinds: dict[str, str] | None = None) -> "ScopedIndex":
        """`kinds`: each intent's kind (procedure, faq, meta, none), which the matcher's frames need."""
        overlays = {commune_id: CommuneIndex.build(pairs) for commune_id, pairs in by_commune.items() if pairs}
        return cls(MatchIndex(national, thresholds, kinds=kinds), overlays)

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
