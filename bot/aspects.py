"""Which aspect of a procedure a resident asks about: papers, fee, time, place or online, and
whether the question wants a yes or a no first.

"ko có hộ khẩu thì làm cccd dc ko" is a yes/no question; "làm khai sinh hết bao nhiêu tiền" asks
the fee. The first reply answers exactly that in a few lines; everything else stays one tap away.
The cue words are data (bot/data/aspects.yaml), compared on the diacritic-free form.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from knowledge.normalize import normalize_vietnamese

DATA = Path(__file__).parent / "data" / "aspects.yaml"
ASPECTS = ("papers", "fee", "time", "online", "place")
# The guide section that shows each aspect in full (bot/handlers/procedure_guide.py).
SECTION_OF = {"papers": "documents", "fee": "fee", "time": "time", "online": "online", "place": "online"}


@dataclass(frozen=True)
class Asked:
    """What a message asks: one aspect (or None: the procedure in general) and yes/no or not."""
    aspect: str | None
    yes_no: bool


def _plain(phrase: str) -> str:
    return normalize_vietnamese(str(phrase)).plain


@lru_cache(maxsize=1)
def _cues() -> dict:
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    return {
        "aspects": {name: tuple(dict.fromkeys(_plain(p) for p in data["aspects"][name])) for name in ASPECTS},
        "endings": frozenset(_plain(p) for p in data["yes_no_endings"]),
        "openings": tuple(_plain(p) for p in data["yes_no_openings"]),
        "particles": frozenset(_plain(p) for p in data["particles"]) | {""},
    }


def _words(text: str | None) -> list[str]:
    return _plain(text or "").split()


def asked(text: str | None) -> Asked:
    """The aspect and the yes/no form of a resident's question."""
    return Asked(aspect_of(text), is_yes_no(text))


def aspect_of(text: str | None) -> str | None:
    padded = f" {' '.join(_words(text))} "
    for name, cues in _cues()["aspects"].items():
        if any(f" {cue} " in padded for cue in cues if cue):
            return name
    return None


def is_yes_no(text: str | None) -> bool:
    words = _words(text)
    cues = _cues()
    while words and words[-1] in cues["particles"]:
        words.pop()
    if not words:
        return False
    tail2 = " ".join(words[-2:])
    if words[-1] in cues["endings"] or tail2 in cues["endings"]:
        return len(words) > 1
    joined = " ".join(words)
    return any(joined == opening or joined.startswith(opening + " ") for opening in cues["openings"])


def mentions(text: str | None, cues: list[str]) -> bool:
    """Whether one of `cues` (any spelling) occurs in the message, whole words only."""
    padded = f" {' '.join(_words(text))} "
    return any(f" {_plain(cue)} " in padded for cue in cues if _plain(cue))


def section_asked(text: str | None) -> str | None:
    """The guide section a question asks for (documents, fee, time, online) or None."""
    aspect = aspect_of(text)
    return SECTION_OF.get(aspect) if aspect else None
