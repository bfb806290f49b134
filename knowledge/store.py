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
from infra.models import Commune, Entry, Phrasing
from knowledge.content import EntryData, load_entries
from knowledge.matcher import Match, MatchIndex, Thresholds
from knowledge.ownership import entry_owner
from knowledge.scoped import Pair, ScopedIndex

VERSION_KEY = "kb:version"
THRESHOLDS = Path(__file__).parent / "data" / "thresholds.yaml"


@dataclass(frozen=True)
class Snapshot:
    version: str
    entries: dict[str, Entry]
    scoped: ScopedIndex  # national content, and each commune's own beside it (knowledge/scoped.py)

    @property
    def index(self) -> MatchIndex:
        """The national index: national entries and phrasings only (CLI, calibration, benchmarks)."""
        return self.scoped.national

    def match(self, text: str, commune: Commune | None) -> Match:
        """The decision for a resident of `commune`: a commune's phrasings and entries count only for it."""
        return self.scoped.match(text, commune.id if commune is not None else None)


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
    current = {p.text: p for p in entry.phrasings if p.commune_id is None}  # a commune's phrasings are its own
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
            national, by_commune = index_pairs(entries)
            session.expunge_all()
        return Snapshot(version, {e.id: e for e in entries}, ScopedIndex.build(national, by_commune, load_thresholds(),
                                                                         kinds={e.id: e.kind for e in entries}))


def index_pairs(entries: list[Entry]) -> tuple[list[Pair], dict[int, list[Pair]]]:
    """(intent, text) pairs for the national index, and for each commune its own: the phrasings its
    staff added to any entry, and its own entries with their names."""
    national: list[Pair] = []
    by_commune: dict[int, list[Pair]] = {}
    for entry in entries:
        owner = entry_owner(entry)
        names = [entry.name_vi, entry.name_en] if entry.kind != "none" else []
        target = national if owner is None else by_commune.setdefault(owner, [])
        for phrasing in entry.phrasings:
            scope = phrasing.commune_id if phrasing.commune_id is not None else owner
            (national if scope is None else by_commune.setdefault(scope, [])).append((entry.id, phrasing.text))
        target += [(entry.id, name) for name in names]
    return national, by_commune


def knowledge_base() -> KnowledgeBase:
    return current_app.extensions["knowledge_base"]
