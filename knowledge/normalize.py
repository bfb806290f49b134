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


@dataclass(frozen=True)
class Normalized:
    accented: str  # lower-case, NFC, old tone placement, abbreviations expanded
    plain: str  # the same without diacritics, đ→d, i/y unified
    tokens: tuple[str, ...]  # syllables of `plain`


def _move_tone(nucleus: str) -> str:
    """New-style 'oà', 'uý' → old-style 'òa', 'úy' (the tone on the first vowel)."""
    first, second = nucleus[0], unicodedata.normalize("NFD", nucleus[1])
    tone = "".join(c for c in second if c in _TONE_MARKS)
    base = "".join(c for c in second if c not in _TONE_MARKS)
    return unicodedata.normalize("NFC", first + tone + base)


# A syllable ending in oa/oe/uy with the tone on the second vowel and no final consonant;
# after 'q' the u belongs to the consonant, so 'quý' is left alone.
_NEW_STYLE = re.compile(r"(?<![q\w])(\w*?)(o[àáảãạ]|o[èéẻẽẹ]|u[ỳýỷỹỵ])(?!\w)")


def canonical_tone_placement(text: str) -> str:
    def fix(match: re.Match) -> str:
        onset, nucleus = match.group(1), match.group(2)
        if onset.endswith("q"):
            return match.group(0)
        return onset + _move_tone(nucleus)

    return _NEW_STYLE.sub(fix, text)


def strip_diacritics(text: str) -> str:
    """'Đăng ký' → 'Dang ky'. đ has no decomposition, so it is mapped by hand."""
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return stripped.replace("đ", "d").replace("Đ", "D")


def _plain_token(token: str) -> str:
    token = strip_diacritics(token)
    return _CONSONANT_Y.sub(r"\1i", token)


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
    bases = [strip_diacritics(c) for c in token]
    out: list[str] = []
    i = 0
    while i < len(token):
        j = i
        while j + 1 < len(token) and bases[j + 1] == bases[i] and not bases[i].isdigit():
            j += 1
        run = j - i + 1
        at_end = j == len(token) - 1 and len(token) > 2
        out.append(token[i] if run >= 3 or (run == 2 and at_end) else token[i:j + 1])
        i = j + 1
    return "".join(out)


def _split_letters_digits(token: str) -> list[str]:
    # "ct07" stays (a form name); "60ngay" → "60 ngay"
    parts = re.findall(r"\d+|\D+", token)
    if len(parts) == 2 and parts[0].isalpha() and parts[1].isdigit():
        return [token]
    return parts


def normalize_vietnamese(text: str) -> Normalized:
    text = unicodedata.normalize("NFC", text or "").lower()
    text = _URL.sub(" ", text)
    text = canonical_tone_placement(text)
    raw = [
        _collapse_stretch(part)
        for token in _TOKEN.findall(text)
        for part in _split_letters_digits(token)
    ]
    tokens = _expand(raw)
    accented = " ".join(tokens)
    plain_tokens = tuple(_plain_token(t) for t in tokens)
    return Normalized(accented=accented, plain=" ".join(plain_tokens), tokens=plain_tokens)
