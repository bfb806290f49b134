"""Everyday words for the national catalogue: short titles and keywords per procedure.

Residents never use the official names ("Cấp giấy chứng nhận cơ sở đủ điều kiện an toàn thực
phẩm đối với cơ sở kinh doanh dịch vụ ăn uống..."), they say "mở quán ăn". The rules and the
data files `knowledge/data/catalogue_terms/*.yaml` (one per domain, read in name order) give every procedure a title of at most 60
characters for a phone screen and the everyday keywords that find it.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from knowledge.normalize import Normalized, normalize_vietnamese, strip_diacritics

TERMS = Path(__file__).parent / "data" / "catalogue_terms"
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when there: the files are large
TITLE_LIMIT = 60
_PARENTHESES = re.compile(r"\s*\([^)]*\)")
_PREFIX = re.compile(r"^\s*thủ\s+tục\s*:?\s*", re.IGNORECASE)
# where an official name turns from what the procedure is to whom and under which rule
_CLAUSE_CUTS = (" đối với ", " trong trường hợp ", " trường hợp ", " theo quy định", " thuộc thẩm quyền",
                " thuộc phạm vi", " quy định tại", " do ", " tại ", " cho ", " của ", ";", ":", " - ", ", ")


@dataclass(frozen=True)
class Term:
    official: tuple[str, ...]  # diacritic-free, padded with spaces for whole-word search
    everyday: tuple[str, ...]
    # national codes the words belong to whatever their names say: official names are often too
    # short to carry the words ("Cấp lại Giấy chứng nhận do bị mất" is about the land certificate)
    codes: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Lexicon:
    terms: tuple[Term, ...]
    titles: tuple[tuple[str, str], ...]
    filler: frozenset[str]
    actions: tuple[tuple[tuple[str, ...], str], ...] = ()  # everyday (plain, padded) → official words
    variants: tuple[str, ...] = ()  # plain, words joined by "_" (the index's pair features)
    kept_pairs: frozenset[str] = frozenset()  # pairs of filler words that still tell procedures apart
    # English phrase by its first word: (its words, plain) → the official words it names
    english: Mapping[str, tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]] = field(default_factory=dict)
    english_stop: frozenset[str] = frozenset()  # English function words: they tell English from bare Vietnamese
    # filler words (plain) → the only written forms in which they are filler ("hoi" → {"hỏi"}: "hội" is not)
    filler_only_as: dict[str, frozenset[str]] = field(default_factory=dict)
    action_index: Mapping[str, tuple[tuple[str, int], ...]] = field(default_factory=dict)  # padded phrases by first word


@lru_cache(maxsize=65536)  # official names and categories repeat across the catalogue
def plain(text: str) -> str:
    """Lower-case, diacritic-free, one space between words: the form rules are compared in."""
    return " ".join(normalize_vietnamese(text).tokens)


def _read_terms(path: Path) -> dict[str, list]:
    """One file, or every `*.yaml` of a directory merged: lists of the same section are joined."""
    files = sorted(path.glob("*.yaml")) if path.is_dir() else [path]
    merged: dict[str, list] = {}
    for file in files:
        for section, items in (yaml.load(file.read_text(encoding="utf-8"), Loader=_YAML_LOADER) or {}).items():
            merged.setdefault(section, []).extend(items or [])
    return merged


@lru_cache(maxsize=4)
def load_lexicon(path: Path = TERMS) -> Lexicon:
    data = _read_terms(path)
    terms = tuple(
        Term(tuple(f" {plain(o)} " for o in item.get("official") or []), tuple(item["everyday"]),
             frozenset(_code(c) for c in item.get("codes") or []))
        for item in data.get("terms") or []
    )
    titles = tuple((str(t["official"]).lower(), str(t["everyday"])) for t in data.get("titles") or [])
    filler = frozenset(strip_diacritics(str(w)).lower() for w in data.get("filler") or [])
    actions = tuple(
        (tuple(f" {plain(e)} " for e in item["everyday"]), plain(" ; ".join(item["official"])))
        for item in data.get("actions") or []
    )
    variants = tuple(plain(v).replace(" ", "_") for v in data.get("variants") or [])
    kept_pairs = frozenset(plain(p).replace(" ", "_") for p in data.get("kept_pairs") or [])
    by_first: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
    for item in data.get("english") or []:
        official = tuple(plain(v) for v in item["vi"])
        for phrase in item["en"]:
            words = tuple(plain(str(phrase)).split())
            by_first.setdefault(words[0], []).append((words, official))
    english = {first: tuple(phrases) for first, phrases in by_first.items()}
    english_stop = frozenset(w for s in data.get("english_stop") or [] for w in plain(str(s)).split())
    only_as = {}
    for item in data.get("filler_only_as") or []:
        for word, forms in item.items():
            only_as[plain(str(word))] = frozenset(normalize_vietnamese(str(f)).accented for f in forms)
    return Lexicon(terms, titles, filler, actions, variants, kept_pairs, english, english_stop, only_as,
                   _actions_by_first_word(actions))


def _code(value: object) -> str:
    """A national code as the portal writes it. Unquoted, YAML reads 1.001440 as the number 1.00144;
    every portal code has at least six decimals, so a number is written back with them."""
    if isinstance(value, float):
        text = repr(value)
        decimals = len(text.partition(".")[2])
        return f"{value:.6f}" if decimals < 6 else text
    return str(value).strip()


def actions_in(plain_text: str, lexicon: Lexicon) -> str:
    """The official words of the actions a (plain, diacritic-free) message expresses:
    "giấy phép hết hạn" asks for "gia hạn"."""
    tokens = plain_text.split()
    index = lexicon.action_index
    if index.keys().isdisjoint(tokens):  # the usual case
        return ""
    spaced = f" {' '.join(tokens)} "  # a phrase is said when its padded words occur in the padded words
    found = {action for first in index.keys() & tokens for padded, action in index[first] if padded in spaced}
    return " ".join(lexicon.actions[action][1] for action in sorted(found))


def _actions_by_first_word(actions: tuple) -> dict[str, tuple[tuple[str, int], ...]]:
    """Each action's everyday phrases (their words one space apart, padded) by their first word:
    only the phrases whose first word the message says are looked for."""
    by_first: dict[str, list[tuple[str, int]]] = {}
    for action, (everyday, _) in enumerate(actions):
        for phrase in everyday:
            words = phrase.split()
            if words:
                by_first.setdefault(words[0], []).append((f" {' '.join(words)} ", action))
    return {first: tuple(phrases) for first, phrases in by_first.items()}


# One Vietnamese syllable, written without diacritics (as `plain` writes it): an optional initial
# consonant, a vowel cluster Vietnamese has, an optional final consonant. English words mostly
# do not fit it ("how", "work", "permit"), Vietnamese ones always do.
_SYLLABLE = re.compile(
    r"(?:ngh|ch|gh|gi|kh|ng|nh|ph|qu|th|tr|[bcdghklmnprstvx])?"
    r"(?:oai|oao|oay|oeo|uai|uay|uoi|uou|uya|uye|uyu|ieu|yeu|ai|ao|au|ay|eo|eu|ia|ie|iu|oa|oe|oi|oo|ua|ue|ui|uo|uu"
    r"|uy|ya|ye|[aeiouy])(?:ch|ng|nh|[cmnpt])?")
ENGLISH_SHARE = 0.6  # share of a message's words that are English for it to be read as English


def is_english(normalized: Normalized, lexicon: Lexicon) -> bool:
    """The message is (mostly) written in English: most of its words are no Vietnamese syllable
    ("how", "permit") or are English function words ("do", "my"). Words typed with diacritics
    are Vietnamese ("thẻ" is no "the"); a Vietnamese message with a loanword or two ("mở shop
    online") stays Vietnamese."""
    if all(map(_syllable, normalized.tokens)):  # the usual case: no foreign word, so no English
        return False
    words = foreign = function = 0
    for t, accented in zip(normalized.tokens, normalized.accented.split()):
        if t.isdigit():
            continue
        words += 1
        if accented.isascii():  # typed bare
            if not _syllable(t):
                foreign += 1
            elif t in lexicon.english_stop:
                function += 1
    return foreign >= min(2, words) > 0 and foreign + function >= ENGLISH_SHARE * words


@lru_cache(maxsize=32768)  # residents reuse the same few thousand words
def _syllable(word: str) -> bool:
    return _SYLLABLE.fullmatch(word) is not None


def english_in(tokens: Sequence[str], lexicon: Lexicon) -> list[str]:
    """The official words of the English phrases a (plain) message uses, the longest phrase
    first: "work permit" names "giấy phép lao động", "renew" asks for "gia hạn", and in
    "temporary residence card" the card is meant, not "temporary residence"."""
    found = []
    for at, token in enumerate(tokens):
        for words, official in lexicon.english.get(token, ()):
            if tuple(tokens[at:at + len(words)]) == words:
                found.append((-len(words), at, official))
    taken: set[int] = set()
    named: list[str] = []
    for minus_length, at, official in sorted(found):  # longest first, then leftmost
        span = set(range(at, at - minus_length))
        if not span & taken:
            taken |= span
            named.extend(o for o in official if o not in named)
    return named


def everyday_keywords(name: str, categories: list[str], lexicon: Lexicon | None = None,
                      code: str | None = None) -> list[str]:
    """The everyday wordings of every term whose official words occur in the name or categories,
    or that names the procedure's code."""
    lexicon = lexicon or load_lexicon()
    haystack = f" {plain(name)} | {' | '.join(plain(c) for c in categories)} "
    by_word, by_code, always = _term_index(lexicon)
    # only terms one of whose official wordings starts with a word of the haystack can occur in it
    maybe = {at for word in set(haystack.split()) for at in by_word.get(word, ())}
    maybe.update(by_code.get(code, ()), always)
    found: dict[str, None] = {}  # ordered, and membership in constant time
    for at in sorted(maybe):
        term = lexicon.terms[at]
        if code in term.codes or any(o in haystack for o in term.official):
            found.update(dict.fromkeys(term.everyday))
    return list(found)


_TERM_INDEXES: dict[int, tuple[Lexicon, tuple]] = {}


def _term_index(lexicon: Lexicon) -> tuple[dict[str, tuple[int, ...]], dict[str, tuple[int, ...]], tuple[int, ...]]:
    """The lexicon's terms by the first word of each official wording and by code, and those
    whose wording has no word (checked for every name): built once per lexicon."""
    cached = _TERM_INDEXES.get(id(lexicon))
    if cached and cached[0] is lexicon:
        return cached[1]
    by_word: dict[str, list[int]] = {}
    by_code: dict[str, list[int]] = {}
    always = []
    for at, term in enumerate(lexicon.terms):
        for official in term.official:
            words = official.split()
            if words and official == f" {' '.join(words)} ":
                by_word.setdefault(words[0], []).append(at)
            else:
                always.append(at)
        for code in term.codes:
            by_code.setdefault(code, []).append(at)
    index = ({w: tuple(ats) for w, ats in by_word.items()}, {c: tuple(ats) for c, ats in by_code.items()}, tuple(always))
    if len(_TERM_INDEXES) >= 8:
        _TERM_INDEXES.clear()
    _TERM_INDEXES[id(lexicon)] = (lexicon, index)
    return index


def everyday_title(name: str, lexicon: Lexicon | None = None) -> str:
    """A heading of at most 60 characters: the official name shortened and in plain words."""
    lexicon = lexicon or load_lexicon()
    text = _PREFIX.sub("", " ".join(name.split()))
    text = _PARENTHESES.sub("", text).strip(" .;,")
    if text.isupper():
        text = text.lower()
    lowered = text.lower()
    for official, everyday in lexicon.titles:
        lowered = lowered.replace(official, everyday)
    text = " ".join(lowered.split())
    if len(text) > TITLE_LIMIT:
        text = _cut_clause(text)
    if len(text) > TITLE_LIMIT:
        text = text[:TITLE_LIMIT - 1].rsplit(" ", 1)[0].rstrip(" ,;:-") + "…"
    return text[:1].upper() + text[1:]


def _cut_clause(text: str) -> str:
    """Drop the tail at a clause marker: the longest head that fits, else the shortest meaningful one."""
    cuts = sorted({at for marker in _CLAUSE_CUTS for at in _positions(text, marker) if at >= 18})
    fitting = [at for at in cuts if at <= TITLE_LIMIT]
    if fitting:
        return text[:fitting[-1]].strip(" ,;:-")
    return text[:cuts[0]].strip(" ,;:-") if cuts else text


def _positions(text: str, marker: str) -> list[int]:
    return [m.start() for m in re.finditer(re.escape(marker), text)]


@lru_cache(maxsize=1024)  # asked for every query with the resident's province: a handful of names
def province_key(name: str) -> str:
    """'Tỉnh Bắc Ninh', 'UBND tỉnh Bắc Ninh', 'bac ninh' → 'bac ninh'; '' when nothing is left."""
    words = plain(name).split()
    drop = {"ubnd", "uy", "ban", "nhan", "dan", "tinh", "thanh", "pho", "tp"}
    while words and words[0] in drop:
        words = words[1:]
    return " ".join(words)
