"""Reading the knowledge base's data files: procedures, FAQ, meta entries and phrasings."""
from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
PROCEDURES = ROOT / "procedures" / "data"
FAQ = ROOT / "knowledge" / "data" / "faq"
META = ROOT / "knowledge" / "data" / "meta.yaml"
PHRASINGS = ROOT / "knowledge" / "phrasings"
KINDS = {"procedure", "faq", "meta", "none"}


class ContentError(ValueError):
    """A data file is missing a field or holds a value the bot cannot use."""


@dataclass
class EntryData:
    id: str
    kind: str
    name: dict[str, str]
    content: dict
    phrasings: list[str] = field(default_factory=list)


def _load_yaml(path: Path):
    with path.open(encoding="utf-8") as f:
        return yaml.safe_load(f)


def _check(entry: dict, source: Path) -> None:
    for key in ("id", "kind", "name"):
        if key not in entry:
            raise ContentError(f"{source}: missing '{key}'")
    if entry["kind"] not in KINDS:
        raise ContentError(f"{source}: unknown kind {entry['kind']!r}")
    if not {"vi", "en"} <= set(entry["name"] or {}):
        raise ContentError(f"{source}: name needs 'vi' and 'en'")


def read_phrasings(intent: str, folder: Path = PHRASINGS) -> list[str]:
    path = folder / f"{intent}.txt"
    if not path.exists():
        return []
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = unicodedata.normalize("NFC", line.strip())
        if line and not line.startswith("#"):
            lines.append(line)
    return list(dict.fromkeys(lines))


def load_entries() -> list[EntryData]:
    """Every entry of the data files, each with its phrasings."""
    raw: list[tuple[dict, Path]] = []
    raw += [(_load_yaml(p), p) for p in sorted(PROCEDURES.glob("*.yaml"))]
    raw += [(_load_yaml(p), p) for p in sorted(FAQ.glob("*.yaml"))]
    if META.exists():
        raw += [(item, META) for item in _load_yaml(META)]
    entries: dict[str, EntryData] = {}
    for item, source in raw:
        _check(item, source)
        if item["id"] in entries:
            raise ContentError(f"{source}: duplicate id {item['id']}")
        entries[item["id"]] = EntryData(
            id=item["id"], kind=item["kind"], name=item["name"], content=item,
            phrasings=read_phrasings(item["id"]),
        )
    return list(entries.values())


def catalogue_ids(path: Path) -> list[str]:
    """The ids of an intent catalogue TSV (id, kind, name_vi, name_en)."""
    with path.open(encoding="utf-8") as f:
        return [row["id"] for row in csv.DictReader(f, delimiter="\t")]
