"""Vietnamese text normalisation for matching what residents type.

Residents type with and without diacritics, in NFC or NFD, with old or new tone placement,
in teencode and abbreviations, with emoji, links and stretched letters. `normalize_vietnamese`
turns all of that into two canonical keys: an accented one and a diacritic-free one.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data"

_URL = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+", re.IGNORECASE)
# Anything that is not a letter, digit or combining mark becomes a separator: emoji,
# punctuation, symbols, control and private-use characters.
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_TONE_MARKS = {"\u0300", "\u0301", "\u0309", "\u0303", "\u0323"}  # huyền sắc hỏi ngã nặng
_CONSONANT_Y = re.compile(r"^([bcdghklmnprstvx]+)y$")  # kí/ký, lí/lý; "quy" keeps its y
_CONSONANT_Y_IN_TEXT = re.compile(r"\b([bcdghklmnprstvx]+)y\b")


@dataclass(frozen=True)
class Normalized:
    accented: str  # lower-case, NFC, old tone placement, abbreviations expanded
    plain: str  # the same without diacritics, đ→d, i/y unified
    tokens: tuple[str, ...]  # syllables of `plain`
    clauses: tuple[int, ...] = (0,)  # index in `tokens` where each clause starts


def _old_style_nuclei() -> dict[str, str]:
    """'oà' → 'òa', 'uý' → 'úy', ...: new-style tone placement → old style, for every tone."""
    table = {}
    for tone in _TONE_MARKS:
        for first, second in (("o", "a"), ("o", "e"), ("u", "y")):
            new = first + unicodedata.normalize("NFC", second + tone)
            table[new] = unicodedata.normalize("NFC", first + tone) + second
    return table


_OLD_STYLE = _old_style_nuclei()
# A syllable ending in oa/oe/uy with the tone on the second vowel and no final consonant;
# after 'q' the u belongs to the consonant, so 'quý' is left alone.
_NEW_STYLE = re.compile(r"(?<!q)(" + "|".join(_OLD_STYLE) + r")(?!\w)")
_NUCLEUS = re.compile("|".join(_OLD_STYLE))


def canonical_tone_placement(text: str) -> str:
    """'hoà', 'thuỷ', 'khoẻ' → 'hòa', 'thủy', 'khỏe' (one spelling per word)."""
    if text.isascii():  # every new-style nucleus carries a tone mark
        return text
    if not _NUCLEUS.search(text):  # the usual case: none of the nuclei (a quicker pattern than the rewrite's)
        return text
    return _NEW_STYLE.sub(lambda m: _OLD_STYLE[m.group(1)], text)


def _base_letter_table() -> dict[int, str]:
    """Every precomposed Latin letter → its bare letter; đ has no decomposition, so it is added by hand."""
    table = {}
    for code in range(0x00C0, 0x1EFF + 1):
        bare = "".join(c for c in unicodedata.normalize("NFD", chr(code)) if unicodedata.category(c) != "Mn")
        if bare != chr(code) and len(bare) == 1 and bare.isascii():
            table[code] = bare
    table.update({ord("đ"): "d", ord("Đ"): "D"})
    return table


_BASE = _base_letter_table()
_DOUBLED = re.compile(r"(\D)\1")


def strip_diacritics(text: str) -> str:
    """'Đăng ký' → 'Dang ky', whatever the input's Unicode form."""
    text = unicodedata.normalize("NFC", text).translate(_BASE)
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


def _plain_token(token: str) -> str:
    """Tokens are NFC already (normalize_vietnamese starts with NFC), so a table lookup suffices."""
    return _CONSONANT_Y.sub(r"\1i", token.translate(_BASE))


@lru_cache(maxsize=1)
def _abbreviations() -> dict[str, list[tuple[frozenset[str] | None, list[str]]]]:
    """token → [(previous tokens that select this expansion or None, expansion tokens)]."""
    table: dict[str, list[tuple[frozenset[str] | None, list[str]]]] = {}
    for line in (DATA / "abbreviations.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        token, expansion = unicodedata.normalize("NFC", parts[0]), parts[1].split()
        context = None
        if len(parts) > 2 and parts[2].strip() != "*":
            context = frozenset(_plain_token(w) for w in parts[2].split())
        table.setdefault(token, []).append((context, expansion))
    for options in table.values():  # context-specific rules before the fallback
        options.sort(key=lambda option: option[0] is None)
    return table


def _expand(tokens: list[str]) -> list[str]:
    table = _abbreviations()
    if table.keys().isdisjoint(tokens):  # the usual case: no abbreviation
        return tokens
    out: list[str] = []
    for token in tokens:
        options = table.get(token)
        if not options:
            out.append(token)
            continue
        previous = _plain_token(out[-1]) if out else ""
        for context, expansion in options:
            if context is None or previous in context:
                out.extend(expansion)
                break
        else:
            out.append(token)
    return out


def _collapse_stretch(token: str) -> str:
    """'ạaaa' → 'ạ', 'khôngggg' → 'không', 'okk' → 'ok': a held-down key, with or without marks.

    No Vietnamese syllable ends in a doubled letter or holds a letter three times running.
    """
    bases = token.translate(_BASE)
    if not _DOUBLED.search(bases):
        return token
    out: list[str] = []
    i = 0
    while i < len(token):
        j = i
        while j + 1 < len(token) and bases[j + 1] == bases[i]:
            j += 1
        run = j - i + 1
        at_end = j == len(token) - 1 and len(token) > 2
        out.append(token[i] if run >= 3 or (run == 2 and at_end) else token[i:j + 1])
        i = j + 1
    return "".join(out)


def _split_letters_digits(token: str) -> list[str]:
    # "ct07" stays (a form name); "60ngay" → "60 ngay"
    if token.isalpha() or token.isdigit():
        return [token]
    parts = re.findall(r"\d+|\D+", token)
    if len(parts) == 2 and parts[0].isalpha() and parts[1].isdigit():
        return [token]
    return parts


def _tokens(text: str) -> list[str]:
    tokens = _TOKEN.findall(text)
    if not all(map(str.isalpha, tokens)):  # digits
        tokens = [part for token in tokens for part in _split_letters_digits(token)]
    if not any(map(_held_down, tokens)):  # the usual case: nothing held down
        return tokens
    known = _abbreviations()  # "cccd" is an abbreviation, not a held-down key
    return [part if part in known else _collapse_stretch(part) for part in tokens]


@lru_cache(maxsize=32768)  # residents reuse the same few thousand words
def _held_down(token: str) -> bool:
    """The same letter twice running, marks aside ("ạa", "khôngg"): a token `_collapse_stretch` may change."""
    return _DOUBLED.search(token.translate(_BASE)) is not None


# No Vietnamese syllable ends in -s, -ed or -ing, so these endings can only be English
# inflections: "papers" and "paper", "registered" and "register" become one word.
_ENGLISH_ENDING = re.compile(r"\b([a-z]{3,})(ies|ing|ed|s)\b")
_ENGLISH_KEEP = frozenset({"this", "thus", "does", "goes", "yes", "has", "was", "his", "its", "less", "news", "plus", "bus"})


def _english_stem(match: re.Match) -> str:
    word = match.group(0)
    if word in _ENGLISH_KEEP:
        return word
    for ending, replacement in (("ies", "y"), ("ing", ""), ("ed", ""), ("s", "")):
        if word.endswith(ending):
            stem = word[: -len(ending)]
            if ending == "s" and stem[-1] in "su":  # "class", "bus": not a plural
                return word
            return stem + replacement
    return word


# Where a resident's clause ends: sentence and clause punctuation, a line break, a dash between
# words. "Cho em hỏi" and its kin open the question itself, so they start a clause too, as do
# English "but" after a comma-less run.
_CLAUSE_END = re.compile(r"[.,;:!?…\n()]+|\s[-–—]\s")
_CLAUSE_PUNCTUATION = re.compile(r"[.,;:!?…\n()]+")
_CLAUSE_START = re.compile(
    r"\b(?=(?:cho|xin|muốn|mong|nhờ|cần) (?:em |tôi |mình |cháu |con |anh |chị |bác |chú |cô |e |t )?(?:hỏi|được hỏi)\b)"
    r"|\b(?=but )")
# what every match of `_CLAUSE_START` begins with: a chunk without any of them is one clause
_CLAUSE_OPENERS = ("cho ", "xin ", "muốn ", "mong ", "nhờ ", "cần ", "but ")


def clause_spans(text: str) -> list[str]:
    """The message cut into clauses: a story told first and the question asked last are
    scored apart, so the story's words do not dilute the question's."""
    parts = []
    # without a dash, a single character class (much quicker to scan for than the alternation)
    ends = _CLAUSE_END if "-" in text or "–" in text or "—" in text else _CLAUSE_PUNCTUATION
    for chunk in ends.split(text):
        if any(opener in chunk for opener in _CLAUSE_OPENERS):
            parts.extend(piece for piece in _CLAUSE_START.split(chunk) if piece.strip())
        elif chunk.strip():  # the usual case: no opener, one clause
            parts.append(chunk)
    return parts or [text]


@lru_cache(maxsize=1024)  # one message is read by the curated matcher and by the catalogue
def normalize_vietnamese(text: str) -> Normalized:
    text = unicodedata.normalize("NFC", text or "").lower()
    if "http" in text or "www." in text or "@" in text:
        text = _URL.sub(" ", text)
    text = canonical_tone_placement(text)
    pieces = [_expand(_tokens(part)) for part in clause_spans(text)]
    pieces = [piece for piece in pieces if piece]
    starts, at = [], 0
    for piece in pieces:
        starts.append(at)
        at += len(piece)
    words = [token for piece in pieces for token in piece]
    tokens = tuple(map(_plain_word, words))  # no rule looks past a word: each is made plain once
    return Normalized(accented=" ".join(words), plain=" ".join(tokens), tokens=tokens, clauses=tuple(starts) or (0,))


@lru_cache(maxsize=32768)  # residents reuse the same few thousand words
def _plain_word(word: str) -> str:
    """One token without diacritics, i/y unified, English endings dropped."""
    return _ENGLISH_ENDING.sub(_english_stem, _CONSONANT_Y_IN_TEXT.sub(r"\1i", word.translate(_BASE)))
