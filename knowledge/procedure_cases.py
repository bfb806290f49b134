"""The case of a curated procedure a message names ("mất căn cước" is the card's replacement):
its entry's `cases` list cues and the case's own national code and portal page. The bot's guide
and the catalogue field of `kb match` read the same case, so both name the same procedure."""
from __future__ import annotations

from knowledge.normalize import normalize_vietnamese


def case_named(content: dict, text: str | None) -> dict | None:
    """The first of the entry's cases one of whose cues (any spelling, whole words) the message says."""
    padded = f" {normalize_vietnamese(text or '').plain} "
    for case in content.get("cases") or []:
        if any(f" {cue} " in padded for cue in map(_plain, case.get("cues") or []) if cue):
            return case
    return None


def _plain(phrase: str) -> str:
    return normalize_vietnamese(str(phrase)).plain
