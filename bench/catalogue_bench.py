"""Catalogue-tier benchmark: all 5,670 portal procedures in the search index (issue 13).

    taskset -c 0 python bench/match_bench.py --catalogue      (or python bench/catalogue_bench.py)

Reports, in one run on one core: the index build time over the whole snapshot, the tier's
per-query time (median, p95; normalisation, action words, province filter and decision
included), the same queries through a plain `rapidfuzz.process.extractOne` scan over the same
phrases (official names, titles, everyday keywords), the ratio of the medians, and the memory of
the process (peak resident set) with the index loaded. Queries are residents' wordings made from
the everyday keywords and titles, half without diacritics, with story openings.
"""
from __future__ import annotations

import resource
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.query_timing import build, plain_scan, report, time_queries  # noqa: E402
from knowledge.catalogue_calibrate import generated_questions  # noqa: E402
from knowledge.catalogue_import import read_snapshot  # noqa: E402
from knowledge.catalogue_index import CatalogueIndex, Procedure  # noqa: E402
from knowledge.catalogue_store import DEFAULT_SNAPSHOT, load_thresholds  # noqa: E402


def procedures(folder: Path) -> list[Procedure]:
    return [Procedure(code=r["code"], name=r["name"], formality_id=r["formality_id"], kind=r["kind"],
                      province=r["province"], categories=tuple(r["categories"]), targets=tuple(r["targets"]),
                      departments=tuple(r["departments"])) for r in read_snapshot(folder)]


def run(folder: Path = DEFAULT_SNAPSHOT, queries: int = 2000) -> None:
    procs = procedures(folder)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    index, build_s, build_cpu = build(lambda: CatalogueIndex(procs, load_thresholds()))
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    texts = [text for text, _gold in generated_questions(index, count=queries, seed=21)]
    ours = time_queries(lambda text: index.match(text, "Tỉnh Thanh Hóa"), texts)  # the province filter is part of a query
    scan = plain_scan(p for i, proc in enumerate(index.procedures)
                      for p in [proc.name, index.titles[i], *index.keywords[i]])
    plain = time_queries(scan, texts[:200], warm=0)
    print(f"catalogue: {len(procs)} procedures in the snapshot, {len(index.procedures)} searchable, "
          f"{len(index.phrase_entry)} phrases, {len(index.weights)} features")
    report(build_s, build_cpu, "catalogue tier", ours, plain, extra=[
        f"memory: peak resident set {rss_after / 1024:.0f} MB with the index loaded "
        f"(the index added about {(rss_after - rss_before) / 1024:.0f} MB)"])


if __name__ == "__main__":
    if not (DEFAULT_SNAPSHOT / "catalog.jsonl").is_file():
        sys.exit(f"no snapshot at {DEFAULT_SNAPSHOT}")
    run()
