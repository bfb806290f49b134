"""The whole portal snapshot indexed as the bot indexes it, built once per test process: tests of
the everyday words need the real siblings of a procedure (the tests' own small snapshot has too
few). Skipped where the snapshot is not on the machine (../shared/reference/portal, or
CATALOGUE_SNAPSHOT)."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import pytest

from knowledge.catalogue_import import read_snapshot
from knowledge.catalogue_index import CatalogueIndex, Procedure
from knowledge.catalogue_store import default_snapshot, load_thresholds
from knowledge.catalogue_tier import TierAnswer, resolve
from knowledge.cli import ensure_knowledge_base
from knowledge.store import Snapshot, knowledge_base

SNAPSHOT = default_snapshot()
needs_snapshot = pytest.mark.skipif(SNAPSHOT is None, reason="no portal snapshot on this machine")


@lru_cache(maxsize=1)
def full_index() -> CatalogueIndex:
    return CatalogueIndex((Procedure(code=r["code"], name=r["name"], formality_id=r["formality_id"], kind=r["kind"],
                                     province=r["province"], categories=tuple(r["categories"]),
                                     targets=tuple(r["targets"]), departments=tuple(r["departments"]))
                           for r in read_snapshot(SNAPSHOT)), load_thresholds())


@dataclass(frozen=True)
class Found:
    """How residents' questions fare in the whole snapshot's search."""
    questions: int
    first: int  # an acceptable code ranked first
    missed: list[tuple[str, list[str]]]  # no acceptable code among the first `top`: (question, titles)

    @property
    def top1(self) -> float:
        return self.first / self.questions

    @property
    def found(self) -> float:
        return 1 - len(self.missed) / self.questions

    def line(self, label: str, top: int = 3) -> str:
        return f"{label}: {self.questions} questions, top-1 {self.top1:.3f}, top-{top} {self.found:.3f}"


def find(questions: Iterable[tuple[str, Iterable[str]]], top: int = 3) -> Found:
    """Search every (question, acceptable codes) in the whole snapshot."""
    index, first, missed, count = full_index(), 0, [], 0
    for message, codes in questions:
        wanted, count = set(codes), count + 1
        hits = [hit.code for hit in index.search(message)[:top]]
        first += bool(hits) and hits[0] in wanted
        if not wanted & set(hits):
            missed.append((message, [index.title(code) for code in hits]))
    return Found(count, first, missed)


def resolved(app, message: str) -> tuple[Snapshot, TierAnswer]:
    """The knowledge base's snapshot and the two tiers' answer to the message, over the whole snapshot."""
    with app.app_context():
        ensure_knowledge_base()
        snapshot = knowledge_base().snapshot()
        return snapshot, resolve(snapshot, full_index(), message)
