"""The whole portal snapshot indexed as the bot indexes it, built once per test process: tests of
the everyday words need the real siblings of a procedure (the tests' own small snapshot has too
few). Skipped where the snapshot is not on the machine (../shared/reference/portal, or
CATALOGUE_SNAPSHOT)."""
from __future__ import annotations

from functools import lru_cache

import pytest

from knowledge.catalogue_import import read_snapshot
from knowledge.catalogue_index import CatalogueIndex, Procedure
from knowledge.catalogue_store import default_snapshot, load_thresholds

SNAPSHOT = default_snapshot()
needs_snapshot = pytest.mark.skipif(SNAPSHOT is None, reason="no portal snapshot on this machine")


@lru_cache(maxsize=1)
def full_index() -> CatalogueIndex:
    return CatalogueIndex((Procedure(code=r["code"], name=r["name"], formality_id=r["formality_id"], kind=r["kind"],
                                     province=r["province"], categories=tuple(r["categories"]),
                                     targets=tuple(r["targets"]), departments=tuple(r["departments"]))
                           for r in read_snapshot(SNAPSHOT)), load_thresholds())
