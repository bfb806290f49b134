"""The knowledge base in the database, and the matcher built from it.

Every process keeps its own snapshot (entries + match index) and rebuilds it when the
shared version counter in the store moves, so an edit made in one process reaches the
bot in all of them at once.
"""
from __future__ import annotations

import hashlib
import json
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import yaml
from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from infra.db import session_scope
from infra.models import Entry, Phrasing
from knowledge.content import EntryData, load_entries
from knowledge.matcher import MatchIndex, Thresholds

VERSION_KEY = "kb:version"
THRESHOLDS = Path(__file__).parent / "data" / "thresholds.yaml"


@dataclass(frozen=True)
class Snapshot:
    version: str
    entries: dict[str, Entry]
    index: MatchIndex


def load_thresholds(path: Path = THRESHOLDS) -> Thresholds:
    if not path.exists():
        return Thresholds()
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return Thresholds(**{k: float(v) for k, v in data.get("thresholds", {}).items()})


def content_hash(content: dict) -> str:
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def import_entries(session: Session, entries: list[EntryData]) -> dict[str, int]:
    """Write the data files' entries; idempotent.

    An entry staff have edited since the last import keeps their version (its content no
    longer hashes to what was imported); staff-added phrasings are always kept.
    """
    existing = {e.id: e for e in session.scalars(select(Entry).options(selectinload(Entry.phrasings)))}
    stats = {"created": 0, "updated": 0, "kept": 0, "entries": len(entries)}
    for data in entries:
        entry = existing.get(data.id)
        new_hash = content_hash(data.content)
        if entry is None:
            entry = Entry(id=data.id, enabled=True)
            session.add(entry)
            stats["created"] += 1
        elif entry.source_hash == new_hash:
            _replace_seed_phrasings(session, entry, data.phrasings)
            continue
        elif entry.source_hash is not None and content_hash(entry.content) != entry.source_hash:
            stats["kept"] += 1  # edited by staff: their words win over the file
            _replace_seed_phrasings(session, entry, data.phrasings)
            continue
        else:
            stats["updated"] += 1
        entry.kind, entry.content, entry.source_hash = data.kind, data.content, new_hash
        entry.name_vi, entry.name_en = data.name["vi"], data.name["en"]
        _replace_seed_phrasings(session, entry, data.phrasings)
    return stats


def _replace_seed_phrasings(session: Session, entry: Entry, texts: list[str]) -> None:
    wanted = list(dict.fromkeys(texts))
    current = {p.text: p for p in entry.phrasings}
    for text, phrasing in current.items():
        if phrasing.origin == "seed" and text not in wanted:
            session.delete(phrasing)
    for text in wanted:
        if text not in current:
            entry.phrasings.append(Phrasing(text=text, origin="seed"))


def import_from_files() -> dict[str, int]:
    with session_scope() as session:
        stats = import_entries(session, load_entries())
    bump_version()
    return stats


def bump_version() -> None:
    current_app.extensions["store"].incr(VERSION_KEY)
    knowledge_base().recheck()  # this process sees its own edit at once


class KnowledgeBase:
    """Per-process cache of the current snapshot."""

    CHECK_SECONDS = 1.0  # other processes see a staff edit within this time

    def __init__(self) -> None:
        self._snapshot: Snapshot | None = None
        self._lock = threading.Lock()
        self._checked_until = 0.0

    def snapshot(self) -> Snapshot:
        snap = self._snapshot
        # every turn asks for the snapshot: reading the version key each time was a store round trip per message
        if snap is not None and time.monotonic() < self._checked_until:
            return snap
        version = current_app.extensions["store"].get(VERSION_KEY) or "0"
        if snap is None or snap.version != version:
            with self._lock:
                if self._snapshot is None or self._snapshot.version != version:
                    self._snapshot = self._build(version)
                snap = self._snapshot
        self._checked_until = time.monotonic() + self.CHECK_SECONDS
        return snap

    def recheck(self) -> None:
        self._checked_until = 0.0

    @staticmethod
    def _build(version: str) -> Snapshot:
        with session_scope() as session:
            entries = list(session.scalars(
                select(Entry).where(Entry.enabled.is_(True)).options(selectinload(Entry.phrasings))
            ))
            pairs = [(e.id, p.text) for e in entries for p in e.phrasings]
            pairs += [(e.id, e.name_vi) for e in entries if e.kind != "none"]
            pairs += [(e.id, e.name_en) for e in entries if e.kind != "none"]
            kinds = {e.id: e.kind for e in entries}
            session.expunge_all()
        return Snapshot(version, {e.id: e for e in entries}, MatchIndex(pairs, load_thresholds(), kinds=kinds))


def knowledge_base() -> KnowledgeBase:
    return current_app.extensions["knowledge_base"]
