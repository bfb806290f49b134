"""Personal details typed outside a form: a name, a phone or ID number, a date.

Such a message is not a question, so the bot must not answer it with a "did you mean" over
procedures that merely share a syllable with the name ("Mai", "Hà"); it says what it can do.
The words that tell a name are data (bot/data/personal.yaml).
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from knowledge.normalize import strip_diacritics

DATA = Path(__file__).parent / "data" / "personal.yaml"
NUMBER = re.compile(r"\+?\d[\d .-]{7,}\d")  # a phone, ID or account number (9+ characters)
DAY = re.compile(r"\b\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{2,4}\b"  # a full date: 12/3/1990, 5-3-90
                 r"|\b(?:ngay|ngày)\s+\d{1,2}\s+(?:thang|tháng)\s+\d{1,2}\s+(?:nam|năm)\s+\d{4}\b", re.IGNORECASE)
_DATE = re.compile(DAY.pattern + r"|\b\d{1,2}\s*[/.-]\s*\d{1,2}\b"
                   r"|\b(?:ngay|ngày)\s+\d{1,2}\s+(?:thang|tháng)\s+\d{1,2}\b|\b(?:19|20)\d{2}\b", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+")
MAX_NAME_WORDS = 5


def _plain(word: str) -> str:
    return strip_diacritics(word.lower())


@lru_cache(maxsize=1)
def _words() -> dict[str, frozenset[str]]:
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    return {key: frozenset(_plain(w) for w in values) for key, values in data.items()}


def has_personal_number(text: str) -> bool:
    return bool(NUMBER.search(text) or _DATE.search(text))


def looks_personal(text: str | None) -> bool:
    """True when the message is only personal details: a name, numbers, dates and the few words
    that introduce them ("tên tôi là", "sđt", "sinh năm")."""
    if not text:
        return False
    words = _WORD.findall(_DATE.sub(" ", NUMBER.sub(" ", text)))
    fillers = _words()["fillers"]
    end = len(words)
    while end and _plain(words[end - 1]) in fillers:
        end -= 1
    if end == 0:
        return has_personal_number(text)
    for start in range(end):  # "tên tôi là Lê Văn Hòa": the words before the name only introduce it
        if _is_name(words[start:end]):
            return True
        if _plain(words[start]) not in fillers:
            return False
    return False


def _is_name(words: list[str]) -> bool:
    """Two to five words, a common family name first, and either a common middle name second
    ("nguyen van an") or three words or more written as a name ("Trần Mai Anh"; "Hà Nội" is not)."""
    if not 2 <= len(words) <= MAX_NAME_WORDS:
        return False
    plain = [_plain(w) for w in words]
    names = _words()
    if plain[0] not in names["surnames"]:
        return False
    capitalised = all(w[:1].isupper() for w in words)
    return plain[1] in names["middle_names"] or (capitalised and len(words) >= 3)
