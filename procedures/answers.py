"""Understanding a resident's free-text answer: yes/no in Vietnamese or English, a choice,
or one of the flow words (resume, restart, step by step, erase my data)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from knowledge.normalize import normalize_vietnamese

DATA = Path(__file__).parent / "common" / "answers.yaml"


@lru_cache(maxsize=1)
def _table() -> dict[str, frozenset[str]]:
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    return {key: frozenset(normalize_vietnamese(str(p)).plain for p in phrases) for key, phrases in data.items()}


def _core(text: str | None) -> str:
    """The message without polite particles and a leading softener: 'Dạ chưa ạ' → 'chua'."""
    table = _table()
    tokens = [t for t in normalize_vietnamese(text or "").tokens if t not in table["particles"]]
    if len(tokens) > 1 and tokens[0] in table["softeners"]:
        tokens = tokens[1:]
    return " ".join(tokens)


def yes_no(text: str | None) -> bool | None:
    """True for yes ("có", "rồi", "ừ", "yes"), False for no ("ko", "chưa", "no"), None otherwise."""
    core = _core(text)
    if not core:
        plain = normalize_vietnamese(text or "").plain
        core = plain  # "dạ" or "vâng" alone: a plain yes
    if core in _table()["yes"]:
        return True
    if core in _table()["no"]:
        return False
    return None


def choice(text: str | None, choices: list[dict], lang: str) -> str | None:
    """The value of the choice the text names: by its number (1, 2...), its label or one of its words."""
    core = _core(text)
    if core.isdigit() and 1 <= int(core) <= len(choices):
        return choices[int(core) - 1]["value"]
    padded = f" {core} "
    for item in choices:
        labels = [normalize_vietnamese(v).plain for v in (item.get("label") or {}).values()]
        words = [normalize_vietnamese(str(w)).plain for w in item.get("words") or []]
        if core in labels or any(f" {w} " in padded for w in words + labels if w):
            return item["value"]
    return None


def says(text: str | None, key: str) -> bool:
    """Whether the whole message is one of the phrases under `key` (resume, restart, erase...)."""
    plain = normalize_vietnamese(text or "").plain
    return plain in _table()[key] or _core(text) in _table()[key]


def mentions(text: str | None, key: str) -> bool:
    """Whether one of the phrases under `key` occurs in the message."""
    padded = f" {normalize_vietnamese(text or '').plain} "
    return any(f" {p} " in padded for p in _table()[key])
