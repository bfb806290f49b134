"""A greeting in front of a question: "xin chào, cho hỏi làm giấy khai sinh cần gì" is a question.

The phrases are data (bot/data/greetings.yaml); the engine matches what follows them, and a bare
greeting (nothing follows) is matched as it is, so it still gets the menu.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from knowledge.normalize import strip_diacritics

DATA = Path(__file__).parent / "data" / "greetings.yaml"
_WORD = re.compile(r"[\w']+")
_LEADING_PUNCTUATION = re.compile(r"^[\W_]+")
MAX_OPENERS = 2  # "dạ em chào …": at most a softener and a pronoun before the greeting


def _plain(word: str) -> str:
    return strip_diacritics(word.lower())


@lru_cache(maxsize=1)
def _phrases() -> tuple[list[tuple[str, ...]], list[tuple[str, ...]], frozenset[str]]:
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))

    def words(phrases: list[str]) -> list[tuple[str, ...]]:  # longest first: "chào buổi sáng" before "chào"
        return sorted({tuple(_plain(w) for w in p.split()) for p in phrases}, key=len, reverse=True)
    return words(data["greetings"]), words(data["addressees"]), frozenset(_plain(w) for w in data["openers"])


def without_greeting(text: str) -> str | None:
    """The text after a leading greeting and whom it addresses ("" for a bare greeting);
    None when the text does not start with a greeting. The greeting may follow a softener or the
    speaker's own pronoun ("dạ em chào anh chị, …"): Vietnamese puts the speaker before "chào"."""
    words = list(_WORD.finditer(text))
    plain = [_plain(w.group()) for w in words]
    greetings, addressees, openers = _phrases()
    start = 0
    while start < min(len(plain), MAX_OPENERS) and plain[start] in openers:
        start += 1
    at = _consume(plain, start, greetings)
    if at == start:
        return None
    while (after := _consume(plain, at, addressees)) > at:
        at = after
    if at >= len(words):
        return ""
    return _LEADING_PUNCTUATION.sub("", text[words[at].start():]).strip()


def _consume(plain: list[str], at: int, phrases: list[tuple[str, ...]]) -> int:
    for phrase in phrases:
        if tuple(plain[at:at + len(phrase)]) == phrase:
            return at + len(phrase)
    return at
