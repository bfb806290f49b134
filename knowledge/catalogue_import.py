"""Importing a snapshot of the national portal's catalogue into the database.

A snapshot is a folder: `catalog.jsonl` (one procedure a line: name, code, id = the portal's
formalityId, categories, departments, target groups, type, issuing body), `details/CODE.json`
(the full record of some procedures) and `provinces.json`. The import is idempotent: a record
is rewritten only when its content changed, a procedure missing from a newer snapshot is
marked inactive rather than deleted, and staff notes and phrasings are never touched.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from infra.models import CatalogueEntry

MAX_DOCUMENTS = 8  # papers listed in an answer; the portal page has the rest


class SnapshotError(ValueError):
    """The folder is not a portal snapshot the importer can read."""


@dataclass
class ImportReport:
    total: int = 0
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0

    def summary(self) -> str:
        return (f"{self.total} procedures: {len(self.added)} added, {len(self.changed)} changed, "
                f"{len(self.removed)} removed, {self.unchanged} unchanged")


def read_snapshot(folder: Path) -> list[dict]:
    """The snapshot's procedures as rows ready for the database (detail facts included)."""
    catalog = folder / "catalog.jsonl"
    if not catalog.is_file():
        raise SnapshotError(f"{folder}: no catalog.jsonl")
    provinces = _province_names(folder / "provinces.json")
    rows: dict[str, dict] = {}
    with catalog.open(encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                row = _row(record, provinces)
            except (ValueError, KeyError, TypeError) as error:
                raise SnapshotError(f"{catalog}:{number}: {error}") from error
            row["detail"] = _detail(folder / "details" / f"{row['code']}.json")
            rows[row["code"]] = row
    return list(rows.values())


def _province_names(path: Path) -> list[str]:
    if not path.is_file():
        return []
    data = json.loads(path.read_text(encoding="utf-8"))
    return [p["name"] for p in (data.get("data") or {}).get("rows", [])]


def _row(record: dict, provinces: list[str]) -> dict:
    kind = record.get("type") or "STANDARD"
    return {
        "code": str(record["code"]).strip(),
        "formality_id": str(record["id"]).strip(),
        "name": " ".join(str(record["name"]).split()),
        "kind": kind,
        "province": _issuing_province(record.get("departmentPromulgate") or "", provinces) if kind == "SPECIFIC" else None,
        "categories": [c for c in record.get("categories") or [] if c],
        "departments": [d for d in record.get("departments") or [] if d],
        "targets": [t for t in record.get("formalityTargetType") or [] if t],
    }


def _issuing_province(issuer: str, provinces: list[str]) -> str | None:
    """'UBND tỉnh Bắc Ninh' → 'Tỉnh Bắc Ninh' (the name provinces.json uses)."""
    from knowledge.catalogue_terms import (
        province_key,  # a leaf module; kept lazy for import order
    )

    key = province_key(issuer)
    for name in provinces:
        if province_key(name) and province_key(name) in key:
            return name
    return issuer.removeprefix("UBND ").strip() or None


def _detail(path: Path) -> dict | None:
    """The facts an answer shows: papers, fee, time, online or not, who handles it."""
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8")).get("data") or {}
    methods = data.get("executionMethods") or []
    return {
        "documents": _documents(data),
        "fees": _fees(methods),
        "time": _time(methods, data.get("cases") or []),
        "online": any(m.get("submissionMethod") == "ONLINE" for m in methods) and not data.get("isOfflineOnly"),
        "agency": (data.get("executingAgencies") or "").strip() or None,
        "levels": [level for level, flag in (("commune", data.get("isWard")), ("province", data.get("isProvince")),
                                             ("ministry", data.get("isMinistry"))) if flag],
        "results": [r.get("name") for r in data.get("resultsDetails") or [] if r.get("name")][:2],
    }


def _documents(data: dict) -> list[str]:
    names: list[str] = []
    for case in data.get("executionCases") or []:
        for part in case.get("profileComponents") or []:
            name = " ".join((part.get("name") or "").split()).lstrip("-+*• ").strip()
            if name and name not in names:
                names.append(name)
    return names[:MAX_DOCUMENTS]


def _fees(methods: list[dict]) -> list[str]:
    found: list[str] = []
    for method in methods:
        for fee in method.get("fees") or []:
            text = " ".join((fee.get("description") or "").split())
            if not text and fee.get("value"):
                text = f"{int(fee['value']):,} đồng".replace(",", ".")
            if text and text not in found:
                found.append(text)
    return found[:2]


_UNITS = {"WORKING_DAY": "ngày làm việc", "DAY": "ngày", "HOUR": "giờ", "MONTH": "tháng"}


def _time(methods: list[dict], cases: list[dict]) -> str | None:
    for method in methods:
        unit = _UNITS.get(method.get("processingTimeUnit") or "")
        if unit and method.get("processingTime"):
            return f"{method['processingTime']} {unit}"
    for case in cases:
        day = case.get("processingDay") or {}
        if day.get("qty"):
            return f"{day['qty']} {_UNITS.get(day.get('type') or '', 'ngày')}"
    return None


def row_hash(row: dict) -> str:
    return hashlib.sha256(json.dumps(row, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def import_rows(session: Session, rows: list[dict]) -> ImportReport:
    """Write the snapshot's rows; report what a rerun on a newer snapshot changed."""
    existing = {e.code: e for e in session.scalars(select(CatalogueEntry))}
    report = ImportReport(total=len(rows))
    seen = set()
    for row in rows:
        seen.add(row["code"])
        digest = row_hash(row)
        entry = existing.get(row["code"])
        if entry is None:
            session.add(CatalogueEntry(**row, source_hash=digest, active=True))
            report.added.append(row["code"])
        elif entry.source_hash != digest or not entry.active:
            for key, value in row.items():
                setattr(entry, key, value)
            entry.source_hash, entry.active = digest, True
            (report.changed if entry.source_hash else report.added).append(row["code"])
        else:
            report.unchanged += 1
    for code, entry in existing.items():
        if code not in seen and entry.active:
            entry.active = False  # kept with its notes: a later snapshot may list it again
            report.removed.append(code)
    return report
