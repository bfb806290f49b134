"""Searching the national catalogue in residents' words (the second tier after the curated intents).

Every procedure is a set of phrases: its everyday keywords (from `catalogue_terms`), its short
title, its official name, its categories and the phrasings staff added. Features are the
diacritic-free syllables and syllable pairs (filler words such as "cho em hỏi" weigh nothing),
weighted by how rare they are across the catalogue.

A procedure's score blends two things:
- containment: how completely one of its phrases occurs in the message ("nuôi heo" whole
  is worth more than "nuôi" alone), the phrase's kind weighing it;
- coverage: how much of the message's known content the procedure explains.
A message that only grazes many procedures (a sale ad that says "bò", a question about
football) gets low containment everywhere and stays "none".

Scoring is a few numpy calls over flat posting arrays (phrase ids per feature), so a query
costs about the same whatever the size of the catalogue.
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from operator import itemgetter

import numpy as np

from knowledge.catalogue_terms import (
    Lexicon,
    actions_in,
    english_in,
    everyday_keywords,
    everyday_title,
    is_english,
    load_lexicon,
    plain,
    province_key,
)
from knowledge.normalize import Normalized, normalize_vietnamese

# how much a phrase of each kind can stand for the procedure on its own
KIND_WEIGHTS = {"staff": 1.0, "keyword": 0.9, "title": 1.0, "name": 1.0, "category": 0.45}
ABROAD = 0.93
RESIDENT_TARGETS = {"Công dân Việt Nam", "Người nước ngoài", "Người Việt Nam định cư ở nước ngoài",
                    "Người nước ngoài cư trú tại Việt Nam"}


@dataclass(frozen=True)
class CatalogueThresholds:
    """Decision bands (knowledge/data/catalogue_thresholds.yaml, chosen by `catalogue calibrate`)."""
    answer: float = 0.55
    margin: float = 0.03
    clarify: float = 0.40
    sure: float = 1.01  # at or above: answer even when a sibling is close behind

    def answers(self, top: float, lead: float) -> bool:
        """Whether a first hit scored `top`, ahead of the first other procedure by `lead`, is the answer."""
        return top >= self.sure or (top >= self.answer and lead >= self.margin)


@dataclass(frozen=True)
class Procedure:
    """What the matcher needs of a catalogue entry (built from the database or a snapshot)."""
    code: str
    name: str
    formality_id: str
    kind: str = "STANDARD"
    province: str | None = None
    categories: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    departments: tuple[str, ...] = ()
    phrasings: tuple[str, ...] = ()  # added by staff for everyone


@dataclass(frozen=True)
class Hit:
    code: str
    score: float


@dataclass(frozen=True)
class CatalogueMatch:
    decision: str  # answer | clarify | none
    code: str | None  # the answered procedure
    score: float
    hits: tuple[Hit, ...] = field(default=())


class CatalogueIndex:
    """An immutable search index over the catalogue's procedures."""

    SHORTLIST = 12
    POOL = 200  # entries, by evidence, whose phrases are scored
    CONTAINMENT = 0.1  # share of the best phrase's containment in the score
    TITLE = 0.15  # share of the title's containment; the rest: all the evidence
    # the evidence counts half at the weight of this many of the rarest features (a feature's
    # weight grows with the catalogue's size: the bar is set in features, not in weight)
    EVIDENCE_HALF = 4.2
    COVERAGE = 0.5  # the weight of the share of the message a procedure explains
    # ... of a message that says at least this many of the rarest features' worth: "bạn tên gì",
    # "em chán quá" are wholly explained by a procedure that has "tên" or "chán", and say nothing
    SAID_AT_LEAST = 1.5
    VARIANT = 0.93
    # a runner-up within this share of the first hit's score that explains all it does and at least
    # RARE_MORE of the rarest features' worth more takes its place (of the first RERANKED runner-ups)
    RUNNER_UP, RARE_MORE, RERANKED = 0.85, 1.0, 3
    ACTION_SHARE = 0.35  # a special case of a procedure (renewal, reissue...) the message does not ask for

    def __init__(self, procedures: Iterable[Procedure], thresholds: CatalogueThresholds | None = None,
                 lexicon: Lexicon | None = None):
        self.thresholds = thresholds or CatalogueThresholds()
        self.lexicon = lexicon or load_lexicon()
        self.procedures: list[Procedure] = [p for p in procedures if p.kind != "STANDARD_INTERNAL"]
        self.titles = [everyday_title(p.name, self.lexicon) for p in self.procedures]
        self.keywords = [everyday_keywords(p.name, list(p.categories), self.lexicon, p.code) for p in self.procedures]
        self.provinces = [province_key(p.province) if p.kind == "SPECIFIC" and p.province else "" for p in self.procedures]
        self.position = {p.code: i for i, p in enumerate(self.procedures)}
        self.variants = [frozenset(self._variants(title)) for title in self.titles]
        self.levels_free = [levels_free_name(p.name) for p in self.procedures]
        self.level = [office_level(p) for p in self.procedures]
        self.families = _families(self.titles, self.levels_free)
        self._variant_set = frozenset(self.lexicon.variants)
        self._build()

    # ------------------------------------------------------------------ building
    def _phrases(self) -> list[tuple[int, str, str]]:
        phrases = []
        for i, proc in enumerate(self.procedures):
            phrases.append((i, "name", proc.name))
            phrases.append((i, "title", self.titles[i]))
            phrases += [(i, "keyword", k) for k in self.keywords[i]]
            phrases += [(i, "category", c) for c in proc.categories]
            phrases += [(i, "staff", t) for t in proc.phrasings]
        return phrases

    def features(self, text: str) -> list[str]:
        """Syllables that are not filler, and syllable pairs with at least one such syllable."""
        normalized = normalize_vietnamese(text)
        return self._features(normalized.tokens, self._meant(normalized))

    def _meant(self, normalized: Normalized) -> frozenset[int]:
        """Positions of syllables that look like filler without diacritics but are written as
        content words: "lễ hội" is not "hỏi", "đi đẻ" is not "để"."""
        only_as = self.lexicon.filler_only_as
        if only_as.keys().isdisjoint(normalized.tokens):
            return frozenset()
        accented = normalized.accented.split()
        if len(accented) != len(normalized.tokens):
            return frozenset()
        return frozenset(i for i, plain_word in enumerate(normalized.tokens)  # the rare filler word first
                         if plain_word in only_as and accented[i] != plain_word and accented[i] not in only_as[plain_word])

    def _features(self, tokens: tuple[str, ...] | list[str], meant: frozenset[int] = frozenset()) -> list[str]:
        filler = self.lexicon.filler
        empty = ([t in filler and i not in meant for i, t in enumerate(tokens)] if meant
                 else [t in filler for t in tokens])
        feats = [t for t, no in zip(tokens, empty) if not no and not t.isdigit()]
        pairs = self.lexicon.kept_pairs
        feats += [f"{a}_{b}" for a, b, no_a, no_b in zip(tokens, tokens[1:], empty, empty[1:])
                  if not no_a or not no_b or f"{a}_{b}" in pairs]
        return list(dict.fromkeys(feats))

    def query_features(self, text: str) -> list[str]:
        """The message's features, with the official words of the actions it expresses. An English
        message has the official words its English phrases name, and nothing else: its own words
        are no Vietnamese ("the" is no "thẻ", "in an" no "in ấn")."""
        return self._read(text)[0]

    def _read(self, text: str) -> tuple[list[str], str, str]:
        """The features, the plain words the message says (for an English message: the official
        words it names) and the official words of the actions it expresses."""
        normalized = normalize_vietnamese(text)
        tokens = list(normalized.tokens)
        if is_english(normalized, self.lexicon):
            named = english_in(tokens, self.lexicon)
            feats = list(dict.fromkeys(f for official in named for f in self._features(official.split())))
            return feats, " ".join(named), ""
        said = normalized.plain  # the tokens, one space apart
        added = actions_in(said, self.lexicon)
        feats = self._features(tokens + ([""] + added.split() if added else []), self._meant(normalized))
        return feats, said, added

    def _build(self) -> None:
        phrase_entry, phrase_kind, phrase_text = [], [], []
        self.title_phrase = np.zeros(len(self.procedures), dtype=np.int64)
        # keywords and categories repeat across siblings: each text is read once, and a query adds
        # up each text's features once (phrases with the same text have the same sums)
        texts: dict[str, int] = {}
        text_feats: list[list[str]] = []
        for entry, kind, text in self._phrases():
            if text not in texts:
                texts[text] = len(text_feats)
                text_feats.append(self.features(text))
            if text_feats[texts[text]]:
                if kind == "title":
                    self.title_phrase[entry] = len(phrase_entry)
                phrase_entry.append(entry)
                phrase_kind.append(KIND_WEIGHTS[kind])
                phrase_text.append(texts[text])
        # every (text, feature) pair in one flat array; features numbered as they first occur
        flat = [f for feats in text_feats for f in feats]
        self.feature_id = {f: i for i, f in enumerate(dict.fromkeys(flat))}
        count = len(self.feature_id)
        pair_feature = np.fromiter(map(self.feature_id.__getitem__, flat), dtype=np.int64, count=len(flat))
        text_size = np.array([len(feats) for feats in text_feats], dtype=np.int64)
        pair_text = np.repeat(np.arange(len(text_feats)), text_size)
        self.phrase_entry = np.array(phrase_entry, dtype=np.int64)
        self.phrase_text = np.array(phrase_text, dtype=np.int64)
        # an entry's features: its phrases' (entry, feature) pairs, once each, by entry then feature
        phrase_size = text_size[self.phrase_text]
        heads = np.cumsum(phrase_size) - phrase_size
        at = np.repeat((np.cumsum(text_size) - text_size)[self.phrase_text] - heads, phrase_size) + np.arange(int(phrase_size.sum()))
        entry_pairs = np.unique(np.repeat(self.phrase_entry, phrase_size) * max(count, 1) + pair_feature[at])
        entry_of, feature_of = np.divmod(entry_pairs, max(count, 1))
        df = np.bincount(feature_of, minlength=count)
        n = max(len(self.procedures), 1)
        self.weights = {f: math.log(1 + n / d) for f, d in zip(self.feature_id, df.tolist())}
        self.rarest = math.log(1 + n)
        self.feature_weight = np.array(list(self.weights.values()), dtype=np.float64)
        # phrases are in entry order: each entry's phrases are one range
        everyone = np.arange(len(self.procedures))
        self.entry_phrases = (np.searchsorted(self.phrase_entry, everyone, side="left"),
                              np.searchsorted(self.phrase_entry, everyone, side="right"))
        # a text's total weight, summed in the order of its features (bincount adds in order)
        totals = np.bincount(pair_text, weights=self.feature_weight[pair_feature], minlength=len(text_feats))
        self.phrase_factor = np.array(phrase_kind, dtype=np.float64) / np.square(totals[self.phrase_text])  # kind / total²
        # per feature, the entries that carry it, then (after the entries' ids) the texts
        entry_lists, entry_counts = self._postings(feature_of, entry_of)
        text_lists, text_counts = self._postings(pair_feature, pair_text + len(self.procedures))
        # 32-bit ids: half the memory a query reads (widened to the platform's index type as they are joined)
        self._postings_of = [np.concatenate(lists).astype(np.int32) for lists in zip(entry_lists, text_lists)]
        self._postings_count = entry_counts + text_counts
        self._postings_size = len(self.procedures) + len(text_feats)
        names = np.array(list(self.feature_id), dtype=object)
        bounds = np.searchsorted(entry_of, np.arange(len(self.procedures) + 1))
        self.entry_features = [frozenset(names[feature_of[a:b]].tolist()) for a, b in zip(bounds[:-1], bounds[1:])]
        self.prior = np.array([self._prior(p) for p in self.procedures])
        self._searching()

    def _searching(self) -> None:
        """What a query reads besides the postings, gathered once."""
        self._codes = [p.code for p in self.procedures]
        starts, ends = self.entry_phrases
        # where the title is among the entry's own phrases (-1: the title has no feature)
        title_at = np.where((self.title_phrase >= starts) & (self.title_phrase < ends), self.title_phrase - starts, -1)
        # what a query reads of each candidate and of each of its phrases, side by side: one record
        # fetched, not a cache line in each of several arrays (fewer memory reads per query)
        self._entry_rows = _records(start=starts, count=ends - starts, title_at=title_at, prior=self.prior)
        self._phrase_rows = _records(text=self.phrase_text, factor=self.phrase_factor)
        # an entry whose title has no feature points at phrase 0, as it always did
        self._title_text = self.phrase_text[self.title_phrase] if len(self.phrase_text) else self.title_phrase
        self._title_factor = self.phrase_factor[self.title_phrase] if len(self.phrase_text) else np.zeros(0)
        self._titles_elsewhere = bool((title_at < 0).any())
        heads: dict[str, list[tuple[str, str]]] = {}
        for variant in self._variant_set:
            words = variant.split("_")
            heads.setdefault(words[0], []).append((variant, f" {' '.join(words)} "))
        self._variant_heads = {word: tuple(found) for word, found in heads.items()}
        # the factor for so many unasked special cases (at most a title's variants and one more)
        self._lowered = tuple(self.VARIANT ** min(unasked, 2) for unasked in range(len(self._variant_set) + 2))

    def _postings(self, features: np.ndarray, items: np.ndarray) -> tuple[list[np.ndarray], np.ndarray]:
        """For each feature, the ids of the items that carry it, ascending (`features` and `items`
        are the pairs, items ascending), and their numbers."""
        count = len(self.feature_id)
        by_feature = np.argsort(features, kind="stable")  # items stay ascending within a feature
        counts = np.bincount(features, minlength=count)
        return np.split(items[by_feature], np.cumsum(counts)[:-1].tolist()), counts

    def _variants(self, title: str) -> list[str]:
        """The special cases a title names; "Cấp, cấp lại ..." covers the plain case too."""
        head = title.split(",", 1)[0]
        if head != title and len(head.split()) <= 3 and not self._variants(head):
            return []  # "Thực hiện, điều chỉnh, thôi hưởng…": the plain case comes first in the list
        padded = f" {plain(title)} "
        found = []
        for v in self.lexicon.variants:
            words = v.split("_")
            if f" {' '.join(words)} " in padded and f" {words[0]} {' '.join(words)} " not in padded:
                found.append(v)
        return found

    @staticmethod
    def _prior(proc: Procedure) -> float:
        """Residents ask about their own affairs, mostly at the commune: procedures for
        organisations, or handled by ministries, count a little less; shorter (more general)
        names a little more, so ties go to the everyday case."""
        prior = 1.0 if set(proc.targets) & RESIDENT_TARGETS or not proc.targets else 0.85
        desks = " ".join(proc.departments).lower()
        if "cấp xã" in desks or "xã" in desks:
            prior *= 1.0
        elif "tỉnh" in desks or "sở " in desks or not desks.strip():
            prior *= 0.97  # a procedure that names no office is not a ministry's own
        else:
            prior *= 0.93
        if proc.departments and all("nước ngoài" in d.lower() for d in proc.departments):
            prior *= ABROAD  # an embassy's own procedure: the resident writes from a commune in Viet Nam
        return prior * (1.0 - 0.002 * min(len(proc.name.split()), 40))

    # ------------------------------------------------------------------ searching
    def search(self, text: str, province: str | None = None) -> list[Hit]:
        """The best procedures for the message, best first; SPECIFIC ones only of `province`."""
        feats, said, acted = self._read(text)
        ids = [i for i in map(self.feature_id.get, feats) if i is not None]
        if not ids:
            return []
        weights = self.feature_weight[ids]
        if acted:  # otherwise every share is 1
            weights = weights * self._action_shares(feats, said, acted)
        # one pass over the postings: the entries' evidence, then each phrase text's matched weight
        counts = _weighted_counts(self._postings_of, self._postings_count, ids, weights, self._postings_size)
        evidence, matched = counts[:len(self.procedures)], counts[len(self.procedures):]
        # the entries with the most evidence are the only ones whose phrases are looked at
        pool = min(self.POOL, len(evidence))
        candidates = np.argpartition(-evidence, pool - 1)[:pool]
        kept = evidence[candidates]
        if not kept.all():  # entries without evidence are no candidates (evidence is never negative)
            candidates, kept = candidates[kept > 0], kept[kept > 0]
            if len(candidates) == 0:
                return []
        scores = self._scores(candidates, kept, matched, float(weights.sum()))
        count = min(self.SHORTLIST + 8, len(scores))  # a few more, for the province filter
        lower = -scores
        best = np.argpartition(lower, count - 1)[:count]
        order = best[np.argsort(lower[best], kind="stable")]
        hits = self._hits(candidates[order].tolist(), scores[order].tolist(), province, f" {said} {acted} ")
        return self._explaining_more_first(hits, feats)

    def _explaining_more_first(self, hits: list[Hit], feats: list[str]) -> list[Hit]:
        """A close runner-up that explains every word of the message the first hit explains, and
        a rare word more, is the better answer: "đổi bằng lái quốc tế" is the international
        permit, though "đổi bằng lái" is wholly the exchange's own keyword. The two swap places
        and scores, so the decision's confidence is unchanged."""
        if len(hits) < 2:
            return hits
        said, top = set(feats), hits[0]
        first = said & self.explains(top.code)
        for at, hit in enumerate(hits[1:self.RERANKED + 1], 1):
            if hit.score < self.RUNNER_UP * top.score:
                break
            more = said & self.explains(hit.code)
            if first < more and not self.same_procedure(hit.code, top.code) \
                    and self.evidence(more - first) >= self.RARE_MORE * self.rarest:
                return [Hit(hit.code, top.score), *hits[1:at], Hit(top.code, hit.score), *hits[at + 1:]]
        return hits

    def _scores(self, candidates: np.ndarray, kept: np.ndarray, matched: np.ndarray, said: float) -> np.ndarray:
        """The candidates' scores from their evidence (`kept`), their phrase texts' matched weight
        and the weight of all the message says."""
        rows = self._entry_rows.take(candidates)  # take: much quicker than indexing for records
        counts = rows["count"]
        ends = np.cumsum(counts)
        offsets = ends - counts  # where each candidate's phrases start in `phrases`
        phrases = np.repeat(rows["start"] - offsets, counts)
        phrases += np.arange(ends[-1])
        phrase_rows = self._phrase_rows.take(phrases)
        # squared: a phrase half present is worth a quarter, so grazing many topics finds none
        containment = matched[phrase_rows["text"]]
        np.square(containment, out=containment)
        containment *= phrase_rows["factor"]
        # the title's own words tell siblings apart ("nhập" or "thôi" quốc tịch) when a keyword fits them all
        titled = self._titled(containment, offsets, rows["title_at"], candidates, matched)
        contained = np.maximum.reduceat(containment, offsets)
        # evidence saturates: a long message that tells a story first is not diluted by it;
        # a short question counts by what it all says
        support = np.maximum(kept / (kept + self.EVIDENCE_HALF * self.rarest),
                             self.COVERAGE * kept / max(said, self.SAID_AT_LEAST * self.rarest))
        scores = self.CONTAINMENT * contained
        scores += self.TITLE * titled
        scores += (1 - self.CONTAINMENT - self.TITLE) * support
        scores *= rows["prior"]
        return scores

    def _titled(self, containment: np.ndarray, offsets: np.ndarray, title_at: np.ndarray, candidates: np.ndarray,
                matched: np.ndarray) -> np.ndarray:
        """The containment of each candidate's title, read where it already is among the candidates'
        phrases; a title without features reads phrase 0's, as it always did."""
        titled = containment[offsets + title_at]
        if self._titles_elsewhere:
            lost = title_at < 0
            elsewhere = candidates[lost]
            titled[lost] = np.square(matched[self._title_text[elsewhere]]) * self._title_factor[elsewhere]
        return titled

    def _hits(self, top: list[int], scores: list[float], province: str | None, said: str) -> list[Hit]:
        """The shortlist: other provinces' own procedures left out, special cases the message does
        not ask for (or not the one it asks for) a little lower."""
        wanted = province_key(province) if province else ""
        asked = self._asked_variants(said)
        hits: list[tuple[str, float]] = []
        provinces, variants_of, codes, lowered = self.provinces, self.variants, self._codes, self._lowered
        for entry, score in zip(top, scores):
            if score <= 0:
                break
            own = provinces[entry]
            if own and own != wanted:
                continue  # another province's own procedure
            variants = variants_of[entry]
            if variants or asked:  # neither: nothing unasked
                unasked = len(variants - asked if asked else variants)
                unasked += bool(asked) and not (asked & variants)
                if unasked:
                    score = score * lowered[unasked]
            hits.append((codes[entry], score))
        hits.sort(key=itemgetter(1), reverse=True)  # stable: equal scores keep their order
        return [Hit(code, round(score, 4)) for code, score in hits[:self.SHORTLIST]]

    def asked_variants(self, text: str) -> frozenset[str]:
        """The special cases (cấp lại, gia hạn, thu hồi…) a message asks for, in words or by its actions."""
        _, said, acted = self._read(text)
        return self._asked_variants(f" {said} {acted} ")

    def _asked_variants(self, said: str) -> frozenset[str]:
        """The special cases the message (plain, padded, with its actions' words) names in
        words or by the actions it expresses ("xóa đăng ký" is three syllables: no single
        feature carries it): each variant is looked up by its first word."""
        words = said.split()
        heads = self._variant_heads
        asked = set()
        if not heads.keys().isdisjoint(words):
            # the words one space apart, padded: a variant is asked when its padded words occur in them
            spaced = f" {' '.join(words)} "
            for word in heads.keys() & words:
                asked.update(variant for variant, padded in heads[word] if padded in spaced)
        if "" in self._variant_set and "  " in said:
            asked.add("")
        return frozenset(asked)

    def _action_shares(self, feats: list[str], said: str, acted: str) -> np.ndarray:
        """Words an action adds ("chuyển vào" → "chuyển đi") modify a topic, they do not name one:
        they count for ACTION_SHARE of their weight unless the message says them itself."""
        if not acted:
            return np.ones(sum(f in self.feature_id for f in feats))
        own = set(self._features(said.split()))
        return np.array([1.0 if f in own else self.ACTION_SHARE for f in feats if f in self.feature_id])

    def match(self, text: str, province: str | None = None) -> CatalogueMatch:
        return self.decide(self.search(text, province))

    def decide(self, hits: list[Hit]) -> CatalogueMatch:
        """Answer, ask to choose, or none. The same procedure at several levels ("... (thực hiện
        tại cấp xã)", "... cấp tỉnh") is one procedure to a resident: its variants neither compete
        with each other nor fill a clarifying choice, and the answer is the variant nearest the
        resident (the commune's before the province's before a ministry's)."""
        hits = self.distinct(hits)
        t = self.thresholds
        if not hits or hits[0].score < t.clarify:
            return CatalogueMatch("none", None, hits[0].score if hits else 0.0, tuple(hits[:3]))
        top = hits[0]
        if t.answers(top.score, self.lead(hits)):
            return CatalogueMatch("answer", top.code, top.score, tuple(hits[:3]))
        return CatalogueMatch("clarify", None, top.score, tuple(hits[:3]))

    def lead(self, hits: Sequence[Hit]) -> float:
        """How far the first hit is ahead of the first one that is another procedure."""
        if not hits:
            return 0.0
        top = hits[0].code
        return hits[0].score - next((h.score for h in hits[1:] if not self.same_procedure(h.code, top)), 0.0)

    def same_procedure(self, a: str, b: str) -> bool:
        """The same title, or the same name but for the level, office or online method that handles it."""
        return self._family(a) == self._family(b)

    def _family(self, code: str) -> int | str:
        at = self.position.get(code)
        return self.families[at] if at is not None else code

    def distinct(self, hits: Sequence[Hit]) -> list[Hit]:
        """One hit per procedure, at the place of its best variant, coded as its variant nearest
        the resident among those found."""
        kept: dict[int | str, list[Hit]] = {}
        position, families = self.position, self.families
        for hit in hits:
            at = position.get(hit.code)
            kept.setdefault(families[at] if at is not None else hit.code, []).append(hit)
        return [variants[0] if len(variants) == 1 else Hit(min(variants, key=self._level_of).code, variants[0].score)
                for variants in kept.values()]

    def _level_of(self, hit: Hit) -> int:
        at = self.position.get(hit.code)
        return self.level[at] if at is not None else 9

    def evidence(self, feats: Iterable[str]) -> float:
        """The summed weight of features: how much a part of a message says."""
        return sum(self.weights.get(f, 0.0) for f in feats)

    # ------------------------------------------------------------------ reading
    def procedure(self, code: str) -> Procedure | None:
        at = self.position.get(code)
        return self.procedures[at] if at is not None else None

    def explains(self, code: str) -> frozenset[str]:
        """Every feature the procedure's phrases carry."""
        at = self.position.get(code)
        return self.entry_features[at] if at is not None else frozenset()

    def variants_of(self, code: str) -> frozenset[str]:
        """The special cases the procedure's title names."""
        at = self.position.get(code)
        return self.variants[at] if at is not None else frozenset()

    def title(self, code: str) -> str:
        at = self.position.get(code)
        return self.titles[at] if at is not None else code


# "(thực hiện tại cấp xã)", "thẩm quyền của UBND cấp tỉnh", "tại Công an cấp huyện": the level that
# handles a procedure, which residents never name
_LEVEL = re.compile(r"\b(?:thuc hien |giai quyet )?(?:tai |o |thuoc )?(?:tham quyen (?:giai quyet )?(?:cua )?)?"
                    r"(?:ubnd |uy ban nhan dan |cong an |so )?cap (?:trung uong|tinh|huyen|xa)\b")
# "... thực hiện bằng dịch vụ công trực tuyến toàn trình": the same procedure, submitted online
_METHOD = re.compile(r"\b(?:thuc hien )?(?:bang )?dich vu cong (?:truc tuyen(?: toan trinh| mot phan)?|toan trinh|mot phan)"
                     r"(?: hoac truc tiep)?\b|\b(?:thuc hien )?truc tuyen (?:toan trinh|mot phan)(?: hoac truc tiep)?\b")
_LEVELS = (("cap xa", 0), ("cap huyen", 1), ("cap tinh", 2), ("trung uong", 3))
_OFFICES = (("so", 2), ("bo", 3))  # a department named "Sở ..." or "Bộ ..."


def levels_free_name(name: str) -> str:
    """The official name without its level, office or online method: the key of a procedure's variants."""
    words = _METHOD.sub(" ", _LEVEL.sub(" ", plain(name))).split()
    return " ".join(words[2:] if words[:2] == ["thu", "tuc"] else words)


def _families(*keys: list[str]) -> list[int]:
    """For every entry, the first entry it shares any of the keys with, directly or through others."""
    parent = list(range(len(keys[0])))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for key in keys:
        first: dict[str, int] = {}
        for i, value in enumerate(key):
            parent[root(i)] = root(first.setdefault(value, i))
    return [root(i) for i in range(len(parent))]


def office_level(proc: Procedure) -> int:
    """0 commune, 1 district, 2 province, 3 ministry, 4 not said: how near the resident it is handled."""
    said = f" {plain(' '.join((proc.name, *proc.departments)))} "
    offices = {plain(d).split(" ", 1)[0] for d in proc.departments if d.strip()}
    return min([level for words, level in _LEVELS if f" {words} " in said]
               + [level for first, level in _OFFICES if first in offices], default=4)


def _records(**columns: np.ndarray) -> np.ndarray:
    """The columns as one array of records (a record's fields sit together in memory)."""
    table = np.empty(len(next(iter(columns.values()))), dtype=[(name, column.dtype) for name, column in columns.items()])
    for name, column in columns.items():
        table[name] = column
    return table


def _weighted_counts(postings: list[np.ndarray], counts: np.ndarray, ids: list[int], weights: np.ndarray,
                     size: int) -> np.ndarray:
    """For every item, the summed weight of the features it carries among `ids` (added in the
    order of `ids`: the same sums, to the last bit, whatever the layout of the postings)."""
    found = np.concatenate([postings[i] for i in ids], dtype=np.intp)
    return np.bincount(found, weights=np.repeat(weights, counts[ids]), minlength=size)
