"""Choosing the catalogue tier's thresholds without any eval set.

Held-out messages are generated from the catalogue itself: residents' openings and endings
around an everyday keyword of a procedure or its short title, half without diacritics, some
with a word dropped. Messages that no catalogue procedure fits are listed in
knowledge/data/catalogue_out_of_scope.txt (with the knowledge base's small talk). The thresholds
kept are those that answer the most generated questions while wrong answers stay ≤ 5 % and ≥ 90 % of the others are refused.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from itertools import product
from pathlib import Path

import yaml

from knowledge.catalogue_index import (
    CatalogueIndex,
    CatalogueThresholds,
    Hit,
    Procedure,
)
from knowledge.content import EntryData
from knowledge.normalize import strip_diacritics

OPENINGS = ("", "cho em hỏi", "cho mình hỏi", "xin hỏi", "chị ơi", "anh ơi cho hỏi", "nhà em muốn hỏi về",
            "tôi cần làm", "em muốn làm")
ENDINGS = ("", "thì làm sao ạ", "cần giấy tờ gì", "làm ở đâu", "mất bao lâu", "có mất phí không",
           "thủ tục thế nào", "được không ạ", "ạ")
# residents often tell their situation first; the procedure comes in one clause near the end
STORIES = ("", "", "nhà em ở quê, bố mẹ già rồi,", "năm nay em làm ăn khó khăn quá,",
           "chồng em đi làm xa, ở nhà có mình em,",
           "em mới về đây ở được mấy tháng,", "hôm trước em có lên xã nhưng chưa gặp ai,", "gia đình em đông con,",
           "em đang làm công nhân trên thành phố,", "ông bà em tuổi cao sức yếu,")
MAX_WRONG, MIN_REJECTION = 0.05, 0.90
OUT_OF_SCOPE = Path(__file__).parent / "data" / "catalogue_out_of_scope.txt"


@dataclass
class Report:
    thresholds: CatalogueThresholds
    found: float
    rejection: float
    wrong: float
    positives: int
    negatives: int

    def describe(self) -> str:
        t = self.thresholds
        return (f"answer ≥ {t.answer}, margin ≥ {t.margin}, clarify ≥ {t.clarify}, sure ≥ {t.sure}: "
                f"held-out found {self.found:.3f}, "
                f"rejection {self.rejection:.3f}, wrong {self.wrong:.3f} over {self.positives} generated questions "
                f"and {self.negatives} out-of-scope phrasings")


def generated_questions(index: CatalogueIndex, count: int = 800, seed: int = 13) -> list[tuple[str, frozenset[str]]]:
    """(message, acceptable codes): about procedures residents ask for (those with everyday keywords)."""
    rng = random.Random(seed)
    same_title: dict[str, set[str]] = {}
    for proc, title in zip(index.procedures, index.titles):
        same_title.setdefault(title.lower(), set()).add(proc.code)
    # a question is answerable only if its procedure's title tells it apart from the others
    pool = [i for i, p in enumerate(index.procedures)
            if index.keywords[i] and p.kind == "STANDARD" and len(same_title[index.titles[i].lower()]) == 1]
    rng.shuffle(pool)
    questions = []
    for i in pool[:count]:
        proc, title = index.procedures[i], index.titles[i]
        topic = title.lower().rstrip("…")
        words = topic.split()
        if len(words) > 4 and rng.random() < 0.5:
            del words[rng.randrange(1, len(words))]  # residents leave words out
        topic = " ".join(words)
        if rng.random() < 0.5:
            topic = f"{rng.choice(index.keywords[i])} {topic}"
        text = " ".join(p for p in (rng.choice(STORIES), rng.choice(OPENINGS), topic, rng.choice(ENDINGS)) if p)
        if rng.random() < 0.5:
            text = strip_diacritics(text)
        questions.append((text, frozenset(same_title[index.titles[i].lower()])))
    return questions


def out_of_scope_lines(entries: list[EntryData], path: Path = OUT_OF_SCOPE) -> list[str]:
    """Messages no procedure fits: the catalogue's own list and the knowledge base's small talk.
    (The knowledge base's out-of-scope phrasings predate the catalogue: many of them, military
    service or health insurance, are catalogue procedures now.)"""
    own = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()
           if line.strip() and not line.startswith("#")]
    return own + [p for e in entries if e.kind == "meta" for p in e.phrasings]


def calibrate(procedures: list[Procedure], entries: list[EntryData]) -> Report:
    index = CatalogueIndex(procedures)
    positives = [(index.search(text), gold) for text, gold in generated_questions(index)]
    negatives = [index.search(text) for text in out_of_scope_lines(entries)]
    best: Report | None = None
    margins = [x / 200 for x in range(0, 13)]  # 0 to 0.06
    answers, sures = [x / 100 for x in range(30, 96, 2)], [x / 100 for x in range(60, 102, 3)]
    for answer, margin, sure in product(answers, margins, sures):
        report = _score(index, CatalogueThresholds(answer, margin, answer, sure), positives, negatives)
        if report.wrong <= MAX_WRONG and report.rejection >= MIN_REJECTION and (
                best is None or (report.found, report.rejection) > (best.found, best.rejection)):
            best = report
    if best is None:
        return _score(index, CatalogueThresholds(), positives, negatives)
    # then the widest band of clarifying questions that still refuses enough out-of-scope lines
    for clarify in [x / 100 for x in range(int(best.thresholds.answer * 100) - 2, 19, -2)]:
        t = best.thresholds
        report = _score(index, CatalogueThresholds(t.answer, t.margin, clarify, t.sure), positives, negatives)
        if report.rejection < MIN_REJECTION:
            break
        best = report
    return best


def _score(index: CatalogueIndex, t: CatalogueThresholds, positives: list[tuple[list[Hit], frozenset[str]]],
           negatives: list[list[Hit]]) -> Report:
    decide = CatalogueIndex.decide
    probe = _Probe(index, t)
    found = wrong = 0
    for hits, gold in positives:
        result = decide(probe, hits)
        found += result.code in gold
        wrong += result.code is not None and result.code not in gold
    refused = 0
    for hits in negatives:
        result = decide(probe, hits)
        refused += result.decision == "none"
        wrong += result.code is not None
    total = len(positives) + len(negatives)
    return Report(t, round(found / max(len(positives), 1), 3), round(refused / max(len(negatives), 1), 3),
                  round(wrong / max(total, 1), 3), len(positives), len(negatives))


class _Probe:
    """The index's decision with other thresholds (the index itself is immutable)."""

    def __init__(self, index: CatalogueIndex, thresholds: CatalogueThresholds):
        self.thresholds, self._index = thresholds, index

    def title(self, code: str) -> str:
        return self._index.title(code)


def write_thresholds(report: Report, path: Path) -> None:
    t = report.thresholds
    data = {
        "thresholds": {"answer": t.answer, "margin": t.margin, "clarify": t.clarify, "sure": t.sure},
        "held_out": {"found": report.found, "rejection": report.rejection, "wrong": report.wrong,
                     "generated_questions": report.positives, "out_of_scope_lines": report.negatives},
    }
    header = ("# Written by `flask --app app catalogue calibrate` (knowledge/catalogue_calibrate.py); "
              "do not edit by hand.\n")
    path.write_text(header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
