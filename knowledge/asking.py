"""Whether a message asks for something (knowledge/data/asking.yaml): a request or a question,
not a remark or an advert that only names a procedure's topic."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from knowledge.normalize import normalize_vietnamese

ASKING = Path(__file__).parent / "data" / "asking.yaml"


@lru_cache(maxsize=1)
def _cues(path: Path = ASKING) -> tuple[str, ...]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return tuple(f" {normalize_vietnamese(str(cue)).plain} " for cue in data.get("cues") or [])


def asks(text: str) -> bool:
    """A "?" or one of the cues, whole words, in the normalised message."""
    if "?" in text:
        return True
    padded = f" {normalize_vietnamese(text).plain} "
    return any(cue in padded for cue in _cues())
