"""The two tiers together: the curated intents first, the national catalogue when they do not answer.

`resolve` is what both the bot and `flask --app app kb match` ask, so the contract's
`catalogue` field is exactly the procedure the bot would answer with.
"""
from __future__ import annotations

from dataclasses import dataclass
from rapidfuzz import fuzz

from knowledge.catalogue_audiences import audiences_named, phrased, serves
from knowledge.catalogue_index import CatalogueIndex, CatalogueMatch, Hit
from knowledge.catalogue_terms import is_english, plain
from knowledge.curated_reading import asked_cases, english_reading
from knowledge.matcher import NONE, Match
from knowledge.normalize import normalize_vietnamese
from knowledge.procedure_cases import case_named
from knowledge.store import Snapshot

COMMUNE_PHRASING_CUTOFF = 90  # rapidfuzz token-set ratio for a staff phrasing of the resident's commune
# A curated answer yields to the catalogue when the catalogue's procedure explains this much of the
# message (summed feature weight) that the curated intent's phrasings never use, and at least
# UNEXPLAINED_SHARE of what only the curated intent explains: "người khuyết tật có được luật sư
# miễn phí không" names the disability, but asks for legal aid.
# An out-of-scope match leaves the catalogue's choice of procedures standing when the out-of-scope
# examples explain less than this many of the rarest features' worth that the procedure does not
NONE_UNEXPLAINED = 1.25
UNEXPLAINED_MIN = 12.0
UNEXPLAINED_SHARE = 0.75
# A related procedure of the curated entry is answered instead when the catalogue ranks it this far
# above the curated procedure (and in its own clarify band at least), the message saying words of its
# names that the curated intent's phrasings never use
RELATED_LEAD = 0.03


@dataclass(frozen=True)
class TierAnswer:
    match: Match  # the curated matcher's answer, unchanged
    catalogue: CatalogueMatch | None  # the catalogue's, when it was asked
    code: str | None  # national code of the procedure the bot answers with, if any
    contested: str | None = None  # a curated intent the catalogue overruled: offered in a clarifying choice

    @property
    def from_catalogue(self) -> bool:
        return self.catalogue is not None and self.catalogue.decision == "answer"


def curated_code(snapshot: Snapshot, match: Match, text: str | None = None) -> str | None:
    """A curated procedure intent's own national code, or that of the case of it the message
    names (the replacement of a lost card): the procedure its guide shows."""
    if match.decision != "answer":
        return None
    entry = snapshot.entries.get(match.intent)
    if entry is None or entry.kind != "procedure":
        return None
    content = entry.content or {}
    case = case_named(content, text) if text else None
    return (case or content).get("code")


def out_of_scope(snapshot: Snapshot, match: Match) -> bool:
    """The curated matcher recognised the message as one of its known out-of-scope topics."""
    return match.decision == "none" and match.score >= snapshot.index.thresholds.answer


def resolve(snapshot: Snapshot, index: CatalogueIndex | None, text: str, *, match: Match | None = None,
            province: str | None = None, local: list[tuple[str, str]] | None = None) -> TierAnswer:
    """Curated first; the catalogue when no curated intent answers. A message the knowledge base
    knows as out of scope gets a catalogue answer only when the catalogue is confident (never a
    clarifying choice): its out-of-scope examples predate the catalogue. `local`: the commune's
    own phrasings."""
    match = match if match is not None else snapshot.index.match(text)
    if match.decision == "answer" or index is None:
        own = curated_code(snapshot, match, text)
        if index is None:
            return TierAnswer(match, None, own)
        found = index.match(text, province)
        narrower = _named_sibling(found, own) if own else None
        if narrower is not None:
            return TierAnswer(match, narrower, narrower.code)
        other = _other_audience(snapshot, index, text, match, found, own, province) \
            or _other_case(snapshot, index, text, match, found, own)
        if other is not None:
            return TierAnswer(match, other, other.code if other.decision == "answer" else None, match.intent)
        if _overrules(snapshot, index, text, match, found):
            if found.decision == "none":  # the curated intent is offered alone: the catalogue's guesses are too weak to show
                found = CatalogueMatch("none", None, found.score, ())
            return TierAnswer(match, found, found.code if found.decision == "answer" else None, match.intent)
        neighbours = _neighbours(snapshot, index, match, own)
        if neighbours:
            hits = index.search(text, province)  # searched once for both rules
            related = _related_case(index, text, own, neighbours, hits) \
                or _related_ahead(snapshot, index, text, match, own, neighbours, hits)
            if related is not None:
                return TierAnswer(match, related, related.code, match.intent)
        return TierAnswer(match, None, own)
    found = _local_phrasing(text, local or [], index) or index.match(text, province)
    if found.decision == "clarify" and out_of_scope(snapshot, match) and not _about_the_procedure(snapshot, index, text, found):
        found = CatalogueMatch("none", None, found.score, found.hits)
    return TierAnswer(match, found, found.code if found.decision == "answer" else None)


def _other_case(snapshot: Snapshot, index: CatalogueIndex, text: str, match: Match, found: CatalogueMatch,
                own: str | None) -> CatalogueMatch | None:
    """The message asks for a special case (a reissue after a loss, an extension, a withdrawal) that
    the curated procedure is not (its national title does not name it, its phrasings never ask it),
    and the catalogue's first procedure is that case: "mất sổ hồng, cấp lại" is not the first
    registration the curated entry guides. The catalogue's confident
    answer stands; anything less is a choice, the curated intent offered first."""
    entry = snapshot.entries.get(match.intent)
    if own is None or entry is None or not found.hits:
        return None
    asked = index.asked_variants(text) - asked_cases(index, match.intent)
    top = found.hits[0].code
    covered = {own} | {case.get("code") for case in (entry.content or {}).get("cases") or []}
    if not asked & index.variants_of(top) or asked & index.variants_of(own) \
            or any(index.same_procedure(top, code) for code in covered if code):
        return None
    return found if found.decision == "answer" else CatalogueMatch("clarify", None, found.score, found.hits)


def _neighbours(snapshot: Snapshot, index: CatalogueIndex, match: Match, own: str | None) -> list[str]:
    """The separate procedures the curated entry lists as related, but for those its own guide
    shows (its procedure and its cases, at any level)."""
    entry = snapshot.entries.get(match.intent)
    if own is None or entry is None:
        return []
    content = entry.content or {}
    guided = [code for code in [own] + [case.get("code") for case in content.get("cases") or []] if code]
    related = [r.get("code") for r in content.get("related") or [] if r.get("code")]
    return [code for code in related if not any(index.same_procedure(code, shown) for shown in guided)]


def _curated_score(index: CatalogueIndex, own: str, hits: list[Hit]) -> float:
    """The catalogue's score for the curated procedure (its best level variant) in these hits."""
    return max((hit.score for hit in hits if index.same_procedure(hit.code, own)), default=0.0)


def _related_case(index: CatalogueIndex, text: str, own: str, neighbours: list[str], hits: list[Hit]) -> CatalogueMatch | None:
    """The message asks for a special case (an extension, a reissue, a removal) that the curated
    procedure's national title does not name and that one of the separate procedures its entry
    lists as related does: "gia hạn giấy phép xây dựng" is the permit's extension, a procedure of
    its own with its own papers, not the new permit the curated entry guides. Of the related
    procedures naming the case (and serving the people the message names), the one the catalogue
    ranks best for the message (`hits`), when it ranks it above the curated procedure."""
    asked = index.asked_variants(text) - index.variants_of(own)
    named = [code for code in neighbours if asked & index.variants_of(code) and _same_topic(index, code, own)
             and all(serves(index, code, audience) for audience in audiences_named(text))]
    if not named:
        return None
    scores = {hit.code: hit.score for hit in hits}
    best = max(named, key=lambda code: scores.get(code, 0.0))
    if scores.get(best, 0.0) <= _curated_score(index, own, hits):
        return None  # the case's words tell the story ("công ty chấm dứt hợp đồng"), not the request
    return CatalogueMatch("answer", best, scores[best], (Hit(best, scores[best]),))


def _related_ahead(snapshot: Snapshot, index: CatalogueIndex, text: str, match: Match, own: str,
                   neighbours: list[str], hits: list[Hit]) -> CatalogueMatch | None:
    """A neighbouring procedure the curated entry lists as related (the one residents confuse it
    with: the parcel split beside the land change, the household business's tax return beside its
    registration) that the catalogue ranks clearly above the curated procedure, reading the same
    message (`hits`), when the message says words of that procedure's names that the curated
    intent's phrasings never use ("tách thửa", "khai thuế"): the curated answer fits the topic, the
    related procedure the request. Of several, the one ranked best."""
    ours = _curated_score(index, own, hits)
    said = set(index.query_features(text))
    phrased = snapshot.index.intent_features.get(match.intent, frozenset())
    audiences = audiences_named(text)
    for hit in hits:
        if hit.score - ours < RELATED_LEAD or hit.score < index.thresholds.clarify:
            return None  # below the curated procedure, or too weak for the catalogue itself to offer
        code = next((code for code in neighbours if index.same_procedure(hit.code, code)), None)
        if code is None or not said & _named(index, code) - phrased \
                or not all(serves(index, code, audience) for audience in audiences):
            continue
        return CatalogueMatch("answer", code, hit.score, (Hit(code, hit.score),))
    return None


def _same_topic(index: CatalogueIndex, code: str, own: str) -> bool:
    """The two procedures' names share a phrase (two syllables: "tạm trú", "sổ đỏ"), not only
    single words: the extension of the permit is a case of the permit, the correction of a land
    certificate no case of the civil-status correction."""
    return any("_" in feature for feature in _named(index, code) & _named(index, own))


def _named(index: CatalogueIndex, code: str) -> frozenset[str]:
    """The features of the procedure's names (its official name and everyday title): what it is,
    not the stories its everyday keywords anticipate."""
    proc = index.procedure(code)
    return frozenset(index.features(index.title(code))) | frozenset(index.features(proc.name) if proc else ())


def _about_the_procedure(snapshot: Snapshot, index: CatalogueIndex, text: str, found: CatalogueMatch) -> bool:
    """The knowledge base's out-of-scope examples predate the catalogue: many ask about national
    procedures ("làm hộ chiếu ở đâu"). When the catalogue's first procedure explains nearly every
    word the message shares with them, the message is about that procedure, not out of scope."""
    said = set(index.query_features(text))
    only_theirs = said & snapshot.index.intent_features.get(NONE, frozenset()) - index.explains(found.hits[0].code)
    return index.evidence(only_theirs) < NONE_UNEXPLAINED * index.rarest


def _overrules(snapshot: Snapshot, index: CatalogueIndex, text: str, match: Match, found: CatalogueMatch) -> bool:
    """The catalogue's best procedure explains a large part of the message that the curated
    intent's phrasings never use: the curated answer fits a side detail, not the request. This
    holds even when the catalogue is unsure of its procedure (the resident is then asked to
    choose, the curated intent offered first): a curated answer built on a word or two of a
    message about something else is wrong whatever the catalogue's confidence. Or
    the catalogue is confident and the message says nothing the curated intent explains that
    the catalogue's procedure does not ("thẻ bảo hiểm y tế rách, cấp lại" is the card's
    reissue, not the newborn's joint registration that also issues one)."""
    entry = snapshot.entries.get(match.intent)
    if not found.hits or entry is None:
        return False
    if entry.kind != "procedure":
        return False  # office facts and the bot's own behaviours are not procedures to compete with
    own = curated_code(snapshot, match)
    if own is not None and _agrees(index, found, own):
        return False  # the catalogue agrees, or cannot tell its procedure from the curated one
    said = set(index.query_features(text))
    theirs = said & index.explains(found.hits[0].code)
    english = is_english(normalize_vietnamese(text), index.lexicon)
    if english:
        # the catalogue reads English as the official words it translates to, which the curated
        # phrasings need not use: the common measure is the official words of the curated
        # procedure's own national entry and of the curated intent's English phrasings
        if own is None:
            return False
        ours = said & (index.explains(own) | english_reading(index, match.intent))
    else:
        ours = said & snapshot.index.intent_features.get(match.intent, frozenset())
    unexplained, only_ours = index.evidence(theirs - ours), index.evidence(ours - theirs)
    if not english and found.decision == "answer" and unexplained > 0 and only_ours == 0:
        return True
    return unexplained >= UNEXPLAINED_MIN and unexplained >= UNEXPLAINED_SHARE * only_ours


def _other_audience(snapshot: Snapshot, index: CatalogueIndex, text: str, match: Match, found: CatalogueMatch,
                    own: str | None, province: str | None) -> CatalogueMatch | None:
    """The message names people the curated procedure does not serve (a foreigner for the
    citizens' temporary residence): the catalogue's procedures for them, when it has some.
    The curated procedure serves them when its national entry lists them or its phrasings
    name them. The catalogue must put a procedure for them first, reading the whole message
    (a Korean tenant whose landlord registers his stay is still the curated case when the
    catalogue says so), with a score that clears its own answer threshold (only siblings too
    close to tell apart may keep it from answering); then its confident answer stands, and
    anything less is a choice among its procedures for them (the curated one offered first)."""
    entry = snapshot.entries.get(match.intent)
    if own is None or entry is None or entry.kind != "procedure":
        return None
    ours = snapshot.index.intent_features.get(match.intent, frozenset())
    for audience in audiences_named(text):
        if serves(index, own, audience) or any(phrased(ours, cue) for cue in audience.cues):
            continue
        if not found.hits or found.hits[0].score < index.thresholds.answer \
                or index.same_procedure(found.hits[0].code, own) or not serves(index, found.hits[0].code, audience):
            continue  # the catalogue, reading the whole message, puts a procedure for them first, surely
        if found.decision == "answer":
            return found
        serving = [h for h in index.search(text, province) if serves(index, h.code, audience)]
        return CatalogueMatch("clarify", None, serving[0].score, tuple(serving[:3]))
    return None


def _agrees(index: CatalogueIndex, found: CatalogueMatch, own: str) -> bool:
    """The curated procedure is the catalogue's first, a level variant of it, or within the margin of it."""
    ours = next((h.score for h in found.hits if index.same_procedure(h.code, own)), None)
    return ours is not None and found.hits[0].score - ours < index.thresholds.margin


def _named_sibling(found: CatalogueMatch, own: str) -> CatalogueMatch | None:
    """The catalogue's confident answer when it is a sibling of the curated procedure that the
    message names: the curated entry covers the common case ("đổi bằng lái", "đăng ký hộ kinh
    doanh"), the message asks for another one of the same family ("bằng lái quốc tế", "trợ cấp
    tuất"), and the catalogue ranks the curated procedure itself below the one it answers."""
    if found.decision != "answer" or found.code == own:
        return None
    return found if own in {h.code for h in found.hits[1:]} else None


def _local_phrasing(text: str, local: list[tuple[str, str]], index: CatalogueIndex) -> CatalogueMatch | None:
    message = plain(text)
    for code, phrasing in local:
        if index.procedure(code) is not None and fuzz.token_set_ratio(message, plain(phrasing)) >= COMMUNE_PHRASING_CUTOFF:
            return CatalogueMatch("answer", code, 1.0, (Hit(code, 1.0),))
    return None
