"""Recognising the words that work anywhere: menu, back, stop, and which language is asked for."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from bot.aspects import section_asked
from knowledge.normalize import normalize_vietnamese

DATA = Path(__file__).parent / "data"


@lru_cache(maxsize=None)
def _table(name: str) -> dict[str, frozenset[str]]:
    data = yaml.safe_load((DATA / name).read_text(encoding="utf-8"))
    return {key: frozenset(normalize_vietnamese(p).plain for p in phrases) for key, phrases in data.items()}


def command_of(text: str | None) -> str | None:
    """'menu' | 'back' | 'stop' when the whole message is one of those words."""
    plain = normalize_vietnamese(text or "").plain
    for command in ("menu", "back", "stop"):
        if plain in _table("commands.yaml")[command]:
            return command
    return None


def requested_language(text: str | None) -> str | None:
    plain = f" {normalize_vietnamese(text or '').plain} "
    table = _table("commands.yaml")
    if any(f" {p} " in plain for p in table["english"]):
        return "en"
    if any(f" {p} " in plain for p in table["vietnamese"]):
        return "vi"
    return None


def requested_section(text: str | None) -> str | None:
    """Which part of a procedure guide a question asks for: documents, fee, time, online, or None."""
    return section_asked(text)  # the cue words live with the aspects (bot/data/aspects.yaml)
