"""Frames: a few words that turn a question about a procedure into another question.

"Hồ sơ kết hôn em nộp từ thứ hai sao chưa thấy gọi" names the marriage procedure, yet it asks
where a file already submitted stands. The matcher finds the procedure well; a frame then says
what is asked about it. Frames are data (knowledge/data/frames.yaml), matched on the same
normalised tokens as everything else, so they follow residents' spellings and abbreviations.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from knowledge.normalize import normalize_vietnamese

FRAMES = Path(__file__).parent / "data" / "frames.yaml"
ANY_NUMBER = "#"
GAP = "..."  # up to MAX_GAP words of the message
MAX_GAP = 10
# "#" matches digits and counting words as residents write them (diacritic-free forms)
_NUMBER_WORDS = frozenset({
    "mot", "hai", "ba", "bon", "nam", "sau", "bay", "tam", "chin", "muoi", "may", "vai", "hon", "gan", "nua",
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "a", "few", "several"})


def _phrase(text: str) -> tuple[str, ...]:
    """A cue as normalised tokens; "#" and "..." (which normalisation would drop) stay wildcards."""
    marked = text.replace(ANY_NUMBER, " 0 ").replace(GAP, " 00 ")
    return tuple({"0": ANY_NUMBER, "00": GAP}.get(word, word) for word in normalize_vietnamese(marked).tokens)


def _word_fits(pattern: str, word: str) -> bool:
    return pattern == word or (pattern == ANY_NUMBER and (word.isdigit() or word in _NUMBER_WORDS))


def _found_at(phrase: tuple[str, ...], tokens: tuple[str, ...], at: int) -> bool:
    for i, pattern in enumerate(phrase):
        if pattern == GAP:
            rest = phrase[i + 1:]
            return any(_found_at(rest, tokens, at + skip) for skip in range(MAX_GAP + 1))
        if at >= len(tokens) or not _word_fits(pattern, tokens[at]):
            return False
        at += 1
    return True


def _found(phrase: tuple[str, ...], tokens: tuple[str, ...]) -> bool:
    return any(_found_at(phrase, tokens, start) for start in range(len(tokens)))


@dataclass(frozen=True)
class Frame:
    intent: str
    takes_over: frozenset[str]  # intents, or kinds of intent, the frame replaces
    cues: tuple[tuple[str, ...], ...]
    unless: tuple[tuple[str, ...], ...] = ()

    def applies(self, tokens: tuple[str, ...]) -> bool:
        """Whether the message carries one of the cues and none of the exceptions."""
        words = set(tokens)
        if not any(cue[0] in words and _found(cue, tokens) for cue in self.cues):
            return False
        return not any(_found(phrase, tokens) for phrase in self.unless)


def read_frames(items: Iterable[dict]) -> tuple[Frame, ...]:
    return tuple(
        Frame(intent=item["intent"], takes_over=frozenset(item["takes_over"]),
              cues=tuple(p for p in map(_phrase, item["cues"]) if p),
              unless=tuple(p for p in map(_phrase, item.get("unless") or ()) if p))
        for item in items)


def load_frames(path: Path = FRAMES) -> tuple[Frame, ...]:
    if not path.exists():
        return ()
    return read_frames(yaml.safe_load(path.read_text(encoding="utf-8")) or [])
