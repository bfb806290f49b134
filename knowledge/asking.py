"""Whether a message asks for something (knowledge/data/asking.yaml): a request or a question,
not a remark or an advert that only names a procedure's topic."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from knowledge.normalize import normalize_vietnamese

ASKING = Path(__file__).parent / "data" / "asking.yaml"


@lru_cache(maxsize=1)
def _cues(path: Path = ASKING) -> re.Pattern[str]:
    """One pattern for every cue, whole words (a message is searched once, not once per cue)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    cues = sorted({normalize_vietnamese(str(cue)).plain for cue in data.get("cues") or []} - {""}, key=len, reverse=True)
    return re.compile(r"(?<!\S)(?:" + "|".join(map(re.escape, cues)) + r")(?!\S)")


def asks(text: str) -> bool:
    """A "?" or one of the cues, whole words, in the normalised message."""
    return "?" in text or _cues().search(normalize_vietnamese(text).plain) is not None
