"""Fitting channel-neutral replies into platform limits: clean text splits, short titles."""
from __future__ import annotations

import unicodedata

# Cut points, best first: a paragraph, a line, a sentence, a word.
_BREAKS = ("\n\n", "\n", ". ", "! ", "? ", "; ", ", ", " ")


def nfc(text: str) -> str:
    """Vietnamese may arrive decomposed (NFD): count characters the way the platforms do."""
    return unicodedata.normalize("NFC", text)


def split_text(text: str, limit: int) -> list[str]:
    """Pieces of at most `limit` characters, cut at the cleanest boundary in the second half."""
    text = nfc(text).strip()
    pieces: list[str] = []
    while len(text) > limit:
        cut = _cut_point(text, limit)
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text:
        pieces.append(text)
    return pieces


def _cut_point(text: str, limit: int) -> int:
    window = text[:limit]
    for mark in _BREAKS:
        at = window.rfind(mark)
        if at >= limit // 2:
            return at + len(mark.rstrip()) if mark.strip() else at + len(mark)
    return limit  # one very long word (a URL): a hard cut is all that is left


def split_last(text: str, limit: int, last_limit: int) -> list[str]:
    """Like split_text, but the final piece fits `last_limit` (a template's text field)."""
    pieces = split_text(text, limit) or [""]
    if len(pieces[-1]) > last_limit:
        pieces[-1:] = split_text(pieces[-1], last_limit)
    return pieces


def shorten(title: str, limit: int) -> str:
    """A title within a platform's limit, cut between words (titles are written short in the data;
    this is the last resort for one that is not)."""
    title = nfc(title).strip()
    if len(title) <= limit:
        return title
    cut = title[:limit - 1]
    space = cut.rfind(" ")
    if space >= limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:-–/(") + "…"


def chunks(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]
