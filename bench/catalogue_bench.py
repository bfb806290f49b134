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

import os
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rapidfuzz import process, utils  # noqa: E402

from knowledge.catalogue_calibrate import generated_questions  # noqa: E402
from knowledge.catalogue_import import read_snapshot  # noqa: E402
from knowledge.catalogue_index import CatalogueIndex, Procedure  # noqa: E402
from knowledge.catalogue_store import DEFAULT_SNAPSHOT, load_thresholds  # noqa: E402


def procedures(folder: Path) -> list[Procedure]:
    return [Procedure(code=r["code"], name=r["name"], formality_id=r["formality_id"], kind=r["kind"],
                      province=r["province"], categories=tuple(r["categories"]), targets=tuple(r["targets"]),
                      departments=tuple(r["departments"])) for r in read_snapshot(folder)]


def timed(fn, items, clock) -> list[float]:
    out = []
    for item in items:
        start = clock()
        fn(item)
        out.append((clock() - start) * 1000)
    return out


def run(folder: Path = DEFAULT_SNAPSHOT, queries: int = 2000) -> None:
    procs = procedures(folder)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start, start_cpu = time.perf_counter(), time.thread_time()
    index = CatalogueIndex(procs, load_thresholds())
    build_s, build_cpu = time.perf_counter() - start, time.thread_time() - start_cpu
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    texts = [text for text, _gold in generated_questions(index, count=queries, seed=21)]
    match = lambda text: index.match(text, "Tỉnh Thanh Hóa")  # noqa: E731 - the province filter is part of a query
    for text in texts[:50]:
        match(text)
    ours = timed(match, texts, time.perf_counter)
    ours_cpu = timed(match, texts, time.thread_time)
    phrases = [p for i, proc in enumerate(index.procedures)
               for p in [proc.name, index.titles[i], *index.keywords[i]]]
    choices = [utils.default_process(p) for p in phrases]
    sample = texts[:200]
    scan = lambda text: process.extractOne(utils.default_process(text), choices, processor=None)  # noqa: E731
    plain = timed(scan, sample, time.perf_counter)
    plain_cpu = timed(scan, sample, time.thread_time)

    def p95(values: list[float]) -> float:
        return statistics.quantiles(values, n=20)[-1]

    print(f"catalogue: {len(procs)} procedures in the snapshot, {len(index.procedures)} searchable, "
          f"{len(index.phrase_entry)} phrases, {len(index.weights)} features")
    print(f"index build: {build_s:.2f} s wall, {build_cpu:.2f} s CPU")
    for name, wall, cpu in (("catalogue tier", ours, ours_cpu), ("plain extractOne (WRatio) scan", plain, plain_cpu)):
        print(f"{name}: {len(wall)} queries, median {statistics.median(wall):.3f} ms wall "
              f"({statistics.median(cpu):.3f} ms CPU), p95 {p95(wall):.3f} ms wall ({p95(cpu):.3f} ms CPU)")
    print(f"speed-up of the medians: {statistics.median(plain) / statistics.median(ours):.0f}x wall, "
          f"{statistics.median(plain_cpu) / statistics.median(ours_cpu):.0f}x CPU")
    print(f"memory: peak resident set {rss_after / 1024:.0f} MB with the index loaded "
          f"(the index added about {(rss_after - rss_before) / 1024:.0f} MB)")
    print(f"load average during the run: {os.getloadavg()[0]:.2f} (1 min)")


if __name__ == "__main__":
    if not (DEFAULT_SNAPSHOT / "catalog.jsonl").is_file():
        sys.exit(f"no snapshot at {DEFAULT_SNAPSHOT}")
    run()
