"""Intent matching over residents' phrasings, with a calibrated confidence.

Each phrasing becomes a set of features of its diacritic-free form (syllables and syllable
pairs, so "khai sinh" and "so do" are units), weighted by how few intents use them. A message
is scored against the phrasings that share its rarer features (an inverted index, so the cost
does not grow with the knowledge base), and each intent takes the score of its closest
phrasing. Words the index has never seen are corrected to a known word when rapidfuzz finds one
close enough, and otherwise count against the match: a message about something the bot does not
know should not borrow confidence from the few words it shares with a known question.
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable

from rapidfuzz import fuzz, process

from knowledge.normalize import normalize_vietnamese

NONE = "none"


@dataclass(frozen=True)
class Thresholds:
    answer: float = 0.55  # top score at or above: answer
    margin: float = 0.08  # ... and at least this far above the next intent
    clarify: float = 0.38  # between clarify and answer: ask which one was meant


@dataclass(frozen=True)
class Candidate:
    intent: str
    score: float


@dataclass(frozen=True)
class Match:
    intent: str  # the answered intent, or "none" unless decision == "answer"
    score: float
    decision: str  # answer | clarify | none
    candidates: tuple[Candidate, ...] = field(default=())


def features(tokens: tuple[str, ...]) -> set[str]:
    feats = set(tokens)
    feats.update(f"{a}_{b}" for a, b in zip(tokens, tokens[1:]))
    return feats


class MatchIndex:
    """An immutable index over (intent, phrasing) pairs."""

    # Features carried by more phrasings than this are scored only for the shortlist:
    # they are common words ("lam", "o dau") that cannot tell intents apart anyway.
    COMMON_POSTINGS = 400
    SHORTLIST = 40
    OOV_WEIGHT = 0.6  # share of the rarest weight an unknown word counts for
    TYPO_CUTOFF = 80

    def __init__(self, phrasings: Iterable[tuple[str, str]], thresholds: Thresholds | None = None):
        self.thresholds = thresholds or Thresholds()
        self.intents: list[str] = []
        self.texts: list[str] = []
        feature_sets: list[set[str]] = []
        for intent, text in phrasings:
            tokens = normalize_vietnamese(text).tokens
            if not tokens:
                continue
            self.intents.append(intent)
            self.texts.append(" ".join(tokens))
            feature_sets.append(features(tokens))
        self.weights = self._weights(feature_sets)
        self.max_weight = max(self.weights.values(), default=1.0)
        self.vocabulary = {f for f in self.weights if "_" not in f}
        self._by_initial = self._vocabulary_by_initial()
        self.postings, self.common = self._postings(feature_sets)

    def _weights(self, feature_sets: list[set[str]]) -> dict[str, float]:
        """Inverse intent frequency: a word used by every intent weighs little."""
        intents_of: dict[str, set[str]] = defaultdict(set)
        for intent, feats in zip(self.intents, feature_sets):
            for f in feats:
                intents_of[f].add(intent)
        n = len(set(self.intents)) or 1
        return {f: math.log(1 + n / len(owners)) for f, owners in intents_of.items()}

    def _postings(self, feature_sets: list[set[str]]):
        postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for pid, feats in enumerate(feature_sets):
            norm = math.sqrt(sum(self.weights[f] ** 2 for f in feats))
            for f in feats:
                postings[f].append((pid, self.weights[f] ** 2 / norm))
        common = {f: dict(p) for f, p in postings.items() if len(p) > self.COMMON_POSTINGS}
        rare = {f: p for f, p in postings.items() if len(p) <= self.COMMON_POSTINGS}
        return rare, common

    def _vocabulary_by_initial(self) -> dict[str, list[str]]:
        groups: dict[str, list[str]] = defaultdict(list)
        for word in self.vocabulary:
            groups[word[0]].append(word)
        return groups

    @lru_cache(maxsize=20000)
    def _correct(self, word: str) -> str | None:
        """The known word a typo most likely stands for, if any."""
        if len(word) < 3 or word.isdigit():
            return None
        found = process.extractOne(
            word, self._by_initial.get(word[0], ()), scorer=fuzz.ratio, score_cutoff=self.TYPO_CUTOFF
        )
        return found[0] if found else None

    def _query_features(self, tokens: tuple[str, ...]) -> tuple[set[str], float]:
        """Known features of the message, and the squared weight of what stays unknown."""
        known: list[str] = []
        unknown = 0.0
        for word in tokens:
            if word in self.vocabulary:
                known.append(word)
                continue
            corrected = self._correct(word)
            if corrected:
                known.append(corrected)
            else:
                known.append("")  # breaks bigrams across the unknown word
                unknown += (self.OOV_WEIGHT * self.max_weight) ** 2
        feats = {w for w in known if w}
        feats.update(f"{a}_{b}" for a, b in zip(known, known[1:]) if a and b)
        return {f for f in feats if f in self.weights}, unknown

    def score_intents(self, text: str) -> list[Candidate]:
        feats, unknown = self._query_features(normalize_vietnamese(text).tokens)
        if not feats:
            return []
        query_norm = math.sqrt(sum(self.weights[f] ** 2 for f in feats) + unknown)
        scores: dict[int, float] = defaultdict(float)
        common = []
        for f in feats:
            posting = self.postings.get(f)
            if posting is None:
                common.append(f)
                continue
            for pid, value in posting:
                scores[pid] += value
        shortlist = sorted(scores, key=scores.__getitem__, reverse=True)[: self.SHORTLIST]
        if not shortlist:  # only common words matched: score the phrasings they occur in
            shortlist = list({pid for f in common for pid in self.common[f]})[: self.SHORTLIST * 10]
        best: dict[str, float] = {}
        for pid in shortlist:
            total = scores.get(pid, 0.0)
            for f in common:
                value = self.common[f].get(pid)
                if value:
                    total += value
            score = total / query_norm
            intent = self.intents[pid]
            if score > best.get(intent, 0.0):
                best[intent] = score
        ranked = sorted(best.items(), key=lambda item: item[1], reverse=True)
        return [Candidate(intent, round(score, 4)) for intent, score in ranked]

    def match(self, text: str) -> Match:
        ranked = self.score_intents(text)
        if not ranked:
            return Match(NONE, 0.0, "none")
        top = ranked[0]
        runner_up = ranked[1].score if len(ranked) > 1 else 0.0
        in_scope = tuple(c for c in ranked if c.intent != NONE)[:3]
        t = self.thresholds
        if top.intent == NONE or top.score < t.clarify:
            return Match(NONE, top.score, "none", in_scope)
        if top.score >= t.answer and top.score - runner_up >= t.margin:
            return Match(top.intent, top.score, "answer", in_scope)
        return Match(NONE, top.score, "clarify", in_scope)
