"""The curated matcher on residents' messages written for this set (issue 13, part 3).

`intent_residents.tsv` (252 lines) was written independently of the dev set, of the phrasings
and of hard_messages.tsv, in blocks by kind: long family stories with the procedure near the
end, English from foreigners living in Viet Nam, an abbreviation or app name alone, status
lookups that name a procedure, indirect requests for a person, out-of-scope messages that share
words with procedures, and ordinary questions. `bench/intent_residents.py` prints the figures
per kind and the failures; this test holds the bars reached, with a little slack.
"""
from pathlib import Path

import pytest

from bench.intent_residents import read_set

from knowledge.calibrate import index_pairs
from knowledge.content import load_entries
from knowledge.matcher import MatchIndex
from knowledge.normalize import normalize_vietnamese
from knowledge.store import load_thresholds

SET = Path(__file__).with_name("intent_residents.tsv")
KINDS = {"story": 40, "english": 30, "abbrev": 20, "status": 25, "handoff": 20, "none": 40, "ordinary": 77}
# Reached: accuracy 0.943, rejection 1.000, wrong 0.000 (before this work: 0.882, 0.850, 0.060).
BAR = {"accuracy": 0.93, "rejection": 0.95, "wrong": 0.012}
# Share of each kind answered with its intent (for "none": rejected). Reached: story 0.925, english
# 0.9, abbrev 1.0, status 0.88, handoff 0.9, none 1.0, ordinary 0.987.
KIND_BAR = {"story": 0.875, "english": 0.86, "abbrev": 0.95, "status": 0.84, "handoff": 0.85, "none": 0.95,
            "ordinary": 0.96}


def resident_lines() -> list[tuple[str, str, str]]:
    """(kind, intent, text), read as the bench reads them."""
    return read_set(SET)


@pytest.fixture(scope="module")
def index() -> MatchIndex:
    entries = load_entries()
    phrasings, names = index_pairs(entries)
    return MatchIndex(phrasings + names, load_thresholds(), kinds={e.id: e.kind for e in entries})


def test_the_set_covers_every_intent_and_every_kind():
    rows = resident_lines()
    known = {e.id for e in load_entries()}
    assert {intent for _, intent, _ in rows} == known
    assert {kind: sum(k == kind for k, _, _ in rows) for kind in KINDS} == KINDS


def test_residents_messages_meet_the_bars(index):
    rows = resident_lines()
    got = [index.match(text).intent for _, _, text in rows]
    inside = [(gold, g) for (_, gold, _), g in zip(rows, got) if gold != "none"]
    outside = [g for (_, gold, _), g in zip(rows, got) if gold == "none"]
    accuracy = sum(gold == g for gold, g in inside) / len(inside)
    rejection = sum(g == "none" for g in outside) / len(outside)
    wrong = sum(g not in (gold, "none") for (_, gold, _), g in zip(rows, got)) / len(rows)
    misses = [f"{kind}: want {gold}, got {g}: {text[:60]}" for (kind, gold, text), g in zip(rows, got) if g != gold]
    assert accuracy >= BAR["accuracy"], misses
    assert rejection >= BAR["rejection"], misses
    assert wrong <= BAR["wrong"], misses
    shares = {kind: sum(g == gold for (k, gold, _), g in zip(rows, got) if k == kind) / KINDS[kind] for kind in KINDS}
    assert all(shares[kind] >= KIND_BAR[kind] for kind in KINDS), (shares, misses)


def test_no_line_is_a_phrasing_of_the_knowledge_base():
    """An abbreviation or app name alone is the exception: the message *is* the name, and the
    knowledge base lists those names as they are typed."""
    plain = {normalize_vietnamese(p).plain for e in load_entries() for p in e.phrasings}
    copied = [text for kind, _, text in resident_lines() if kind != "abbrev" and normalize_vietnamese(text).plain in plain]
    assert copied == []
