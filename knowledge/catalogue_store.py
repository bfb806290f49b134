"""The catalogue tier in the database, and its search index kept per process.

Like the knowledge base (knowledge/store.py), every process keeps one index and rebuilds it
when the shared version counter moves: an import or a staff phrasing reaches every process.
Commune notes are read at answer time, so a note shows in the next answer.
"""
from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import yaml
from flask import current_app
from sqlalchemy import func, select

from infra.db import session_scope
from infra.models import CatalogueEntry, CatalogueNote, CataloguePhrasing
from knowledge.catalogue_import import ImportReport, import_rows, read_snapshot
from knowledge.catalogue_index import CatalogueIndex, CatalogueThresholds, Procedure

VERSION_KEY = "catalogue:version"
THRESHOLDS = Path(__file__).parent / "data" / "catalogue_thresholds.yaml"
DEFAULT_SNAPSHOT = Path(__file__).resolve().parent.parent.parent / "shared" / "reference" / "portal"


def default_snapshot() -> Path | None:
    """CATALOGUE_SNAPSHOT, else ../shared/reference/portal when it is there."""
    configured = os.environ.get("CATALOGUE_SNAPSHOT")
    path = Path(configured) if configured else DEFAULT_SNAPSHOT
    return path if (path / "catalog.jsonl").is_file() else None


def load_thresholds(path: Path = THRESHOLDS) -> CatalogueThresholds:
    if not path.exists():
        return CatalogueThresholds()
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return CatalogueThresholds(**{k: float(v) for k, v in (data.get("thresholds") or {}).items()})


def import_snapshot(folder: Path) -> ImportReport:
    rows = read_snapshot(folder)
    with session_scope() as session:
        report = import_rows(session, rows)
    bump_version()
    return report


def catalogue_size() -> int:
    with session_scope() as session:
        return session.scalar(select(func.count()).select_from(CatalogueEntry).where(CatalogueEntry.active.is_(True))) or 0


def bump_version() -> None:
    current_app.extensions["store"].incr(VERSION_KEY)
    catalogue().recheck()


def procedures_from_database() -> list[Procedure]:
    with session_scope() as session:
        shared: dict[str, list[str]] = {}
        for code, text in session.execute(select(CataloguePhrasing.code, CataloguePhrasing.text)
                                          .where(CataloguePhrasing.commune_id.is_(None))):
            shared.setdefault(code, []).append(text)
        entries = session.scalars(select(CatalogueEntry).where(CatalogueEntry.active.is_(True))
                                  .order_by(CatalogueEntry.code))
        return [Procedure(code=e.code, name=e.name, formality_id=e.formality_id, kind=e.kind, province=e.province,
                          categories=tuple(e.categories or ()), targets=tuple(e.targets or ()),
                          departments=tuple(e.departments or ()), phrasings=tuple(shared.get(e.code, ())))
                for e in entries]


def commune_phrasings(commune_id: int | None) -> list[tuple[str, str]]:
    """(code, text) of the phrasings a commune's staff added for their own residents."""
    if commune_id is None:
        return []
    with session_scope() as session:
        rows = session.execute(select(CataloguePhrasing.code, CataloguePhrasing.text)
                               .where(CataloguePhrasing.commune_id == commune_id)).all()
        return [(code, text) for code, text in rows]


def load_entry(code: str) -> CatalogueEntry | None:
    with session_scope() as session:
        entry = session.get(CatalogueEntry, code)
        if entry is not None:
            session.expunge(entry)
        return entry


def load_note(code: str, commune_id: int | None) -> CatalogueNote | None:
    if commune_id is None:
        return None
    with session_scope() as session:
        note = session.scalar(select(CatalogueNote).where(CatalogueNote.code == code,
                                                          CatalogueNote.commune_id == commune_id))
        if note is not None:
            session.expunge(note)
        return note


class Catalogue:
    """Per-process cache of the catalogue index (None while nothing is imported)."""

    CHECK_SECONDS = 1.0

    def __init__(self) -> None:
        self._index: CatalogueIndex | None = None
        self._version: str | None = None
        self._lock = threading.Lock()
        self._checked_until = 0.0

    def index(self) -> CatalogueIndex | None:
        if self._version is not None and time.monotonic() < self._checked_until:
            return self._index
        version = current_app.extensions["store"].get(VERSION_KEY) or "0"
        if version != self._version:
            with self._lock:
                if version != self._version:
                    procedures = procedures_from_database()
                    self._index = CatalogueIndex(procedures, load_thresholds()) if procedures else None
                    self._version = version
        self._checked_until = time.monotonic() + self.CHECK_SECONDS
        return self._index

    def recheck(self) -> None:
        self._checked_until = 0.0


def catalogue() -> Catalogue:
    extensions = current_app.extensions
    if "catalogue" not in extensions:  # created on first use: app.py needs no change for it
        extensions.setdefault("catalogue", Catalogue())
    return extensions["catalogue"]
