"""The knowledge base's data files: complete, sourced, and linking to live portal routes."""
from pathlib import Path

import pytest

from knowledge.content import catalogue_ids, load_entries
from knowledge.normalize import normalize_vietnamese
from procedures.portal import build_portal_link

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
CATALOGUE = SHARED / "reference" / "intents.tsv"
DEV_SET = SHARED / "eval" / "dev.tsv"
ENTRIES = {e.id: e for e in load_entries()}
PROCEDURES = [e for e in ENTRIES.values() if e.kind == "procedure"]
SOURCE_KEYS = {"code", "fee", "processing_time", "documents", "legal_basis"}


@pytest.mark.skipif(not CATALOGUE.exists(), reason="../shared/reference/intents.tsv not present")
def test_every_catalogue_id_is_an_entry_with_phrasings():
    ids = catalogue_ids(CATALOGUE)
    assert set(ids) <= set(ENTRIES), set(ids) - set(ENTRIES)
    assert all(len(ENTRIES[i].phrasings) >= 20 for i in ids), [i for i in ids if len(ENTRIES[i].phrasings) < 20]


@pytest.mark.parametrize("entry", PROCEDURES, ids=lambda e: e.id)
def test_procedure_facts_are_bilingual_and_sourced(entry):
    content = entry.content
    assert SOURCE_KEYS <= set(content["sources"]), entry.id
    for key in ("summary", "agency"):
        assert {"vi", "en"} <= set(content[key] or {}), (entry.id, key)
    for key in ("fee", "processing_time", "deadline", "online_note"):
        assert content.get(key) is None or {"vi", "en"} <= set(content[key]), (entry.id, key)
    assert all({"vi", "en"} <= set(d) for d in content.get("documents") or [])
    assert content["online"] in {"full", "partial", "none", "unknown"}


@pytest.mark.parametrize("entry", PROCEDURES, ids=lambda e: e.id)
def test_portal_links_use_current_routes(entry):
    link = build_portal_link(entry.content)
    if entry.content.get("code") or entry.content.get("formality_id"):
        assert link is not None
    if link:
        assert "/p/home/" not in link and "ma_thu_tuc=" not in link
        assert link.startswith("https://")


def test_faq_answers_only_use_known_placeholders():
    import re

    allowed = {"commune_name", "address", "phone", "office_hours"}
    for entry in ENTRIES.values():
        if entry.kind == "faq":
            for lang in ("vi", "en"):
                assert set(re.findall(r"\{(\w+)\}", entry.content["answer"][lang])) <= allowed, entry.id


@pytest.mark.skipif(not DEV_SET.exists(), reason="../shared/eval/dev.tsv not present")
def test_no_phrasing_is_a_copied_evaluation_line():
    lines = DEV_SET.read_text(encoding="utf-8").splitlines()[1:]
    evaluation = {normalize_vietnamese(line.split("\t", 1)[1]).plain for line in lines if "\t" in line}
    copied = [(e.id, p) for e in ENTRIES.values() for p in e.phrasings
              if len(normalize_vietnamese(p).tokens) >= 3 and normalize_vietnamese(p).plain in evaluation]
    assert copied == []
