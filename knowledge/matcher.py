"""Intent matching over residents' phrasings, with a calibrated confidence.

Each phrasing becomes a set of features of its diacritic-free form: syllables and syllable
pairs, so "khai sinh" and "so do" are units. A feature weighs more the fewer intents it is
spread over (by the entropy of its spread, so a word used a lot by one intent and once by
another still counts). A message gets two scores per intent, both cosine similarities:
against its closest phrasing (nearest neighbour: catches a resident's exact turn of phrase)
and against the intent's centroid (all its phrasings pooled: robust to new wording). The
blend of the two is the intent's score.

Scoring walks an inverted index of the message's rarer features, so the cost does not grow
with the knowledge base; common features are added only for the shortlist. Unknown words are
corrected to a known word when rapidfuzz finds one close enough, and otherwise count against
the match: a message about something the bot does not know should not borrow confidence from
the few words it shares with a known question. Numbers the phrasings never use (a year, a house
number) are neither known nor unknown: they say nothing about the topic.
"""
from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import repeat

import numpy as np
from rapidfuzz import fuzz, process

from knowledge.frames import Frame, load_frames
from knowledge.normalize import Normalized, normalize_vietnamese

NONE = "none"


@dataclass(frozen=True)
class Thresholds:
    """Decision bands, calibrated by `flask --app app kb calibrate` (knowledge/data/thresholds.yaml)."""
    answer: float = 0.3  # top score at or above: answer ...
    margin: float = 0.06  # ... if at least this far above the next intent
    clarify: float = 0.2  # between clarify and answer: ask which one was meant
    none_weight: float = 1.0  # the "none" intent's score is multiplied by this before it competes


@dataclass(frozen=True)
class Candidate:
    intent: str
    score: float


@dataclass(frozen=True)
class Match:
    intent: str  # the answered intent; "none" unless decision == "answer"
    score: float
    decision: str  # answer | clarify | none
    candidates: tuple[Candidate, ...] = field(default=())


@dataclass(frozen=True)
class Tuning:
    nearest_share: float = 0.3  # weight of the nearest-phrasing score against the centroid score
    oov_weight: float = 0.8  # share of the rarest weight an unknown word counts for
    typo_cutoff: float = 80  # rapidfuzz ratio for a typo to count as a known word
    depth: int = 25  # strongest items per feature looked at in the first pass
    phrasing_shortlist: int = 15
    intent_shortlist: int = 8
    share_power: float = 0.5  # how a feature's share of an intent's phrasings shapes its centroid
    strong_share: float = 0.4  # features weighing less than this share of the rarest do not find candidates
    clause_tokens: int = 12  # a message at least this long is also scored clause by clause ...
    clause_share: float = 0.9  # ... and a clause's score counts for this share of a whole message's
    clause_windows: int = 3  # the last clauses scored apart: the last one, the last two, the last three


def features(tokens: tuple[str, ...]) -> set[str]:
    feats = set(tokens)
    feats.update(f"{a}_{b}" for a, b in zip(tokens, tokens[1:]))
    return feats


class _ImpactIndex:
    """Items (phrasings or intents) as sparse vectors, searchable by feature.

    Each feature keeps only its `depth` strongest items for the first pass (impact-ordered
    postings), so a word shared by thousands of entries costs no more than a rare one; the
    shortlist that pass finds is then scored exactly from the items' own vectors. The
    postings live in two flat arrays, so the first pass is a few numpy calls.
    """

    def __init__(self, vectors: list[dict[str, float]], depth: int):
        self.vectors = vectors
        ids: dict[str, int] = {}
        features, items, values = [], [], []
        for item, vector in enumerate(vectors):
            features.extend(ids.setdefault(f, len(ids)) for f in vector)
            values.extend(vector.values())
            items.extend(repeat(item, len(vector)))
        feature = np.array(features, dtype=np.int64)
        value = np.array(values, dtype=np.float64)
        order = np.lexsort((-value, feature))  # by feature, strongest first; stable, so ties keep item order
        feature, value, item = feature[order], value[order], np.array(items, dtype=np.int64)[order]
        starts = np.flatnonzero(np.r_[True, feature[1:] != feature[:-1]])
        rank = np.arange(len(feature)) - np.repeat(starts, np.diff(np.r_[starts, len(feature)]))
        keep = rank < depth
        feature, self.items, self.values = feature[keep], item[keep], value[keep]
        bounds = np.flatnonzero(np.r_[True, feature[1:] != feature[:-1], True])
        names = {i: f for f, i in ids.items()}
        self.spans: dict[str, tuple[int, int]] = {
            names[int(feature[a])]: (int(a), int(b)) for a, b in zip(bounds[:-1], bounds[1:])
        }

    def best(self, feats: list[str], strong: Iterable[str], count: int) -> list[tuple[int, float]]:
        """The `count` items most similar to the features, with their exact scores.

        Only the `strong` features (the ones that tell intents apart) find the shortlist;
        all features score it.
        """
        spans = [self.spans[f] for f in strong if f in self.spans]
        if not spans:
            return []
        items = np.concatenate([self.items[a:b] for a, b in spans])
        values = np.concatenate([self.values[a:b] for a, b in spans])
        unique, inverse = np.unique(items, return_inverse=True)
        if len(unique) > count:
            sums = np.bincount(inverse, weights=values)
            unique = unique[np.argpartition(-sums, count - 1)[:count]]
        zeros = repeat(0.0)
        return [(item, sum(map(self.vectors[item].get, feats, zeros))) for item in unique.tolist()]


class MatchIndex:
    """An immutable index over (intent, phrasing) pairs."""

    CANDIDATES = 5  # intents returned, best first

    def __init__(self, phrasings: Iterable[tuple[str, str]], thresholds: Thresholds | None = None,
                 tuning: Tuning | None = None, kinds: Mapping[str, str] | None = None,
                 frames: tuple[Frame, ...] | None = None):
        """`kinds` (intent → procedure | faq | meta | none) lets frames know what they take over;
        `frames` default to knowledge/data/frames.yaml."""
        self.thresholds = thresholds or Thresholds()
        self.tuning = tuning or Tuning()
        self.kinds = dict(kinds or {})
        self.frames = load_frames() if frames is None else frames
        self.phrasing_intent: list[int] = []
        self.intent_ids: list[str] = []
        feature_sets = self._read(phrasings)
        # every word and word pair an intent's phrasings use: what the intent can be said to explain
        words: dict[int, set[str]] = defaultdict(set)
        for at, feats in zip(self.phrasing_intent, feature_sets):
            words[at].update(feats)
        self.intent_features = {self.intent_ids[at]: frozenset(feats) for at, feats in words.items()}
        self.weights = self._weights(feature_sets)
        self.max_weight = max(self.weights.values(), default=1.0)
        self.vocabulary = {f for f in self.weights if "_" not in f}
        self._by_initial = self._vocabulary_by_initial()
        self.nearest = _ImpactIndex(self._phrasing_vectors(feature_sets), self.tuning.depth)
        self.centroids = _ImpactIndex(self._centroid_vectors(), self.tuning.depth)

    def _read(self, phrasings: Iterable[tuple[str, str]]) -> list[list[str]]:
        position: dict[str, int] = {}
        feature_sets = []
        for intent, text in phrasings:
            tokens = normalize_vietnamese(text).tokens
            if not tokens:
                continue
            if intent not in position:
                position[intent] = len(self.intent_ids)
                self.intent_ids.append(intent)
            self.phrasing_intent.append(position[intent])
            feature_sets.append(sorted(features(tokens)))  # a fixed order keeps float sums reproducible
        return feature_sets

    def _feature_shares(self, feature_sets: list[list[str]]) -> dict[str, dict[int, float]]:
        """For each feature, the share of each intent's phrasings that carry it."""
        sizes: dict[int, int] = defaultdict(int)
        for intent in self.phrasing_intent:
            sizes[intent] += 1
        counts: dict[str, dict[int, float]] = defaultdict(lambda: defaultdict(float))
        for intent, feats in zip(self.phrasing_intent, feature_sets):
            for f in feats:
                counts[f][intent] += 1 / sizes[intent]
        return counts

    def _weights(self, feature_sets: list[list[str]]) -> dict[str, float]:
        """log(1 + intents / effective number of intents the feature is spread over)."""
        self._shares = self._feature_shares(feature_sets)
        n = len(self.intent_ids) or 1
        weights = {}
        for f, shares in self._shares.items():
            total = sum(shares.values())
            entropy = -sum(s / total * math.log(s / total) for s in shares.values())
            weights[f] = math.log(1 + n / math.exp(entropy))
        return weights

    def _phrasing_vectors(self, feature_sets: list[list[str]]) -> list[dict[str, float]]:
        vectors = []
        for feats in feature_sets:
            norm = math.sqrt(sum(self.weights[f] ** 2 for f in feats))
            vectors.append({f: self.weights[f] ** 2 / norm for f in feats})
        return vectors

    def _centroid_vectors(self) -> list[dict[str, float]]:
        """Each intent's phrasings pooled: a feature counts by the square root of its share."""
        vectors: list[dict[str, float]] = [{} for _ in self.intent_ids]
        for f, shares in self._shares.items():
            for intent, share in shares.items():
                vectors[intent][f] = self.weights[f] * share ** self.tuning.share_power
        for vector in vectors:
            norm = math.sqrt(sum(v * v for v in vector.values()))
            for f in vector:
                vector[f] = self.weights[f] * vector[f] / norm
        del self._shares  # only needed while building
        return vectors

    def _vocabulary_by_initial(self) -> dict[tuple[str, int], list[str]]:
        """Known words by first letter and length: a typo keeps the first letter and
        changes the length by one at most, so only those words need comparing."""
        groups: dict[tuple[str, int], list[str]] = defaultdict(list)
        for word in sorted(self.vocabulary):
            groups[word[0], len(word)].append(word)
        return groups

    @lru_cache(maxsize=20000)
    def _correct(self, word: str) -> str | None:
        """The known word a typo most likely stands for, if any."""
        if len(word) < 3 or word.isdigit():
            return None
        near = [w for n in (len(word) - 1, len(word), len(word) + 1) for w in self._by_initial.get((word[0], n), ())]
        found = process.extractOne(word, near, scorer=fuzz.ratio, score_cutoff=self.tuning.typo_cutoff)
        return found[0] if found else None

    def _query_features(self, tokens: tuple[str, ...]) -> tuple[list[str], float]:
        """Known features of the message, and the squared weight of what stays unknown."""
        known: list[str] = []
        unknown = 0.0
        for word in tokens:
            corrected = word if word in self.vocabulary else self._correct(word)
            if corrected is None and word.isdigit():
                known.append("")  # a year or a house number: not a topic the bot does not know
                continue
            if corrected is None:
                unknown += (self.tuning.oov_weight * self.max_weight) ** 2
            known.append(corrected or "")  # an unknown word breaks the pairs around it
        feats = {w for w in known if w}
        feats.update(f"{a}_{b}" for a, b in zip(known, known[1:]) if a and b)
        # sorted: the same message always sums its scores in the same order (hash seeds vary)
        return sorted(f for f in feats if f in self.weights), unknown

    def score_intents(self, text: str) -> list[Candidate]:
        """Every intent that shares something with the message, best first."""
        return self.scored(text)[0]

    def scored(self, text: str) -> tuple[list[Candidate], bool]:
        """The candidates, and whether "none" explains a salient word of the message that the
        best intent's phrasings never use (only then does the "none" weight apply)."""
        message = normalize_vietnamese(text)
        candidates = self._candidates(message)
        return candidates, self._none_is_salient(message.tokens, candidates)

    def _none_is_salient(self, tokens: tuple[str, ...], ranked: list[Candidate]) -> bool:
        """"Where can I renew my passport" is out of scope by "passport", not by "where can I
        renew my": a "none" phrasing close only by such words says nothing against "renew my ID card"."""
        top = next((c.intent for c in ranked if c.intent != NONE), None)
        none_words = self.intent_features.get(NONE)
        if top is None or none_words is None:
            return True
        theirs = self.intent_features.get(top, frozenset())
        floor = self.tuning.strong_share * self.max_weight
        feats, _ = self._query_features(tokens)
        return any(self.weights[f] >= floor and f in none_words and f not in theirs for f in feats)

    def _candidates(self, message: Normalized) -> list[Candidate]:
        blended = self._blend(message.tokens)
        share = self.tuning.clause_share
        for window in self._question_windows(message):
            for intent, score in self._blend(window).items():
                if score * share > blended.get(intent, 0.0) and self._asked_in_clauses(intent):
                    blended[intent] = score * share
        ranked = heapq.nlargest(self.CANDIDATES + 2, blended.items(), key=lambda item: item[1])
        candidates = [Candidate(self.intent_ids[i], round(score, 4)) for i, score in ranked]
        return self._framed(message.tokens, candidates)[: self.CANDIDATES]

    def _question_windows(self, message: Normalized) -> list[tuple[str, ...]]:
        """Where a long message asks its question: its last clauses (one, two, three of them).

        Residents tell the family's story first and ask for the procedure near the end; scored
        apart from the story, the question is not diluted by it. Earlier clauses are not scored
        alone: a procedure named in the story ("em mới làm căn cước, giờ muốn ...") is not the
        question, and neither is the greeting that opens the message.
        """
        tokens, starts = message.tokens, message.clauses
        if len(tokens) < self.tuning.clause_tokens or len(starts) < 2:
            return []
        windows = []
        for start in starts[::-1][: self.tuning.clause_windows]:
            if start > 0 and len(tokens) - start >= 2:
                windows.append(tokens[start:])
        return windows

    def _asked_in_clauses(self, intent: int) -> bool:
        """Greetings, thanks and the like are said around a question, not asked in its clause."""
        return self.kinds.get(self.intent_ids[intent], "procedure") not in ("meta", "none")

    def _blend(self, tokens: tuple[str, ...]) -> dict[int, float]:
        feats, unknown = self._query_features(tokens)
        if not feats:
            return {}
        query_norm = math.sqrt(sum(self.weights[f] ** 2 for f in feats) + unknown)
        floor = self.tuning.strong_share * self.max_weight
        strong = [f for f in feats if self.weights[f] >= floor] or feats
        nearest = self._nearest_scores(feats, strong)
        central = self._centroid_scores(feats, strong)
        share = self.tuning.nearest_share
        return {
            intent: (share * nearest.get(intent, 0.0) + (1 - share) * central.get(intent, 0.0)) / query_norm
            for intent in nearest.keys() | central.keys()
        }

    def _taken(self, frame: Frame, intent: str) -> bool:
        """Whether the frame covers this intent: its own, one it names, or one of a kind it names."""
        return intent == frame.intent or intent in frame.takes_over or self.kinds.get(intent) in frame.takes_over

    def _framed(self, tokens: tuple[str, ...], ranked: list[Candidate]) -> list[Candidate]:
        """The candidates a frame takes over become the frame's intent, at the best of their scores."""
        if not ranked or not self.frames:
            return ranked
        for frame in self.frames:
            if not self._taken(frame, ranked[0].intent) or not frame.applies(tokens):
                continue
            taken = [c for c in ranked if self._taken(frame, c.intent)]
            kept = [c for c in ranked if c not in taken]
            return sorted([Candidate(frame.intent, max(c.score for c in taken))] + kept,
                          key=lambda c: c.score, reverse=True)
        return ranked

    def _nearest_scores(self, feats: list[str], strong: list[str]) -> dict[int, float]:
        best: dict[int, float] = {}
        for pid, score in self.nearest.best(feats, strong, self.tuning.phrasing_shortlist):
            intent = self.phrasing_intent[pid]
            if score > best.get(intent, 0.0):
                best[intent] = score
        return best

    def _centroid_scores(self, feats: list[str], strong: list[str]) -> dict[int, float]:
        return dict(self.centroids.best(feats, strong, self.tuning.intent_shortlist))

    def match(self, text: str) -> Match:
        ranked, none_salient = self.scored(text)
        thresholds = self.thresholds if none_salient else replace(self.thresholds, none_weight=1.0)
        return decide(ranked, thresholds)


def decide(ranked: list[Candidate], t: Thresholds) -> Match:
    """Answer, ask, or say "I don't know": a wrong answer is worse than none."""
    ranked = weigh_none(ranked, t.none_weight)
    if not ranked:
        return Match(NONE, 0.0, "none")
    top = ranked[0]
    runner_up = ranked[1].score if len(ranked) > 1 else 0.0
    in_scope = tuple(c for c in ranked if c.intent != NONE)[:3]
    if top.intent == NONE or top.score < t.clarify:
        return Match(NONE, top.score, "none", in_scope)
    if top.score >= t.answer and top.score - runner_up >= t.margin:
        return Match(top.intent, top.score, "answer", in_scope)
    return Match(NONE, top.score, "clarify", in_scope)


def weigh_none(ranked: list[Candidate], weight: float) -> list[Candidate]:
    """The "none" intent's score counts `weight` times against the intents it competes with.

    Its phrasings are many topics the bot does not know, so a message about one of them shares
    less with its nearest "none" phrasing than an in-scope message with its intent: a "none" score
    half as high as the top intent's already says the message may be about something else.
    The weight is chosen by cross-validation with the thresholds (knowledge/calibrate.py).
    """
    if weight == 1.0 or not any(c.intent == NONE for c in ranked):
        return ranked
    weighed = [Candidate(c.intent, round(c.score * weight, 4)) if c.intent == NONE else c for c in ranked]
    return sorted(weighed, key=lambda c: c.score, reverse=True)
