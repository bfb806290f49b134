"""Matcher benchmark: the knowledge base inflated to 5,000 entries.

    python bench/match_bench.py [--entries 5000] [--queries 2000]

The real knowledge base is topped up with entries made from the national portal's public
catalogue (../shared/reference/portal/catalog.jsonl: 5,670 procedure names, each turned into
an entry with a few phrasings the way residents shorten names); without that file, extra
entries are made by recombining the real phrasings. Queries are the real phrasings, with
diacritics stripped from every other one and a typo in every third one, so that the typo
correction path is exercised too.

Reports, in one run on one core: index build time, the matcher's per-query latency
(median, p95; normalisation and decision included), and the same queries through a plain
`rapidfuzz.process.extractOne` scan over all phrasings (WRatio, rapidfuzz's default), with
the ratio between the two medians.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rapidfuzz import process, utils  # noqa: E402

from knowledge.content import load_entries  # noqa: E402
from knowledge.matcher import MatchIndex  # noqa: E402
from knowledge.normalize import strip_diacritics  # noqa: E402

CATALOG = Path(__file__).resolve().parent.parent.parent / "shared" / "reference" / "portal" / "catalog.jsonl"


def catalogue_entries(limit: int) -> list[tuple[str, list[str]]]:
    entries = []
    with CATALOG.open(encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            name = row["name"].removeprefix("Thủ tục ").strip()
            short = " ".join(name.split()[:8])
            entries.append((f"catalog-{row['code']}-{len(entries)}", [
                name, strip_diacritics(short).lower(), f"cho em hỏi {short.lower()} cần giấy tờ gì",
                f"{short.lower()} làm ở đâu ạ", f"{strip_diacritics(short).lower()} mat bao lau",
            ]))
            if len(entries) >= limit:
                break
    return entries


def recombined_entries(real: list[tuple[str, list[str]]], limit: int, rng: random.Random):
    pool = [p for _id, ps in real for p in ps]
    return [(f"synthetic-{n}", [" ".join(rng.sample(rng.choice(pool).split(), k=3)) + f" mẫu{n}" for _ in range(5)])
            for n in range(limit)]


def typo(text: str, rng: random.Random) -> str:
    words = text.split()
    long_words = [i for i, w in enumerate(words) if len(w) >= 4]
    if not long_words:
        return text
    i = rng.choice(long_words)
    w = words[i]
    j = rng.randrange(1, len(w) - 1)
    words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2:]  # swap two letters
    return " ".join(words)


def build_queries(real: list[tuple[str, list[str]]], count: int, rng: random.Random) -> list[str]:
    lines = [p for _id, ps in real for p in ps]
    rng.shuffle(lines)
    queries = []
    for n, line in enumerate(lines[:count]):
        if n % 2:
            line = strip_diacritics(line)
        if n % 3 == 0:
            line = typo(line, rng)
        queries.append(line)
    return queries


def timed(fn, items, clock=time.perf_counter) -> list[float]:
    """Milliseconds per item. With clock=time.thread_time, the CPU time of this thread only:
    what one core spends, whatever else the machine is doing."""
    out = []
    for item in items:
        start = clock()
        fn(item)
        out.append((clock() - start) * 1000)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--entries", type=int, default=5000)
    ap.add_argument("--queries", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--catalogue", action="store_true", help="Benchmark the catalogue tier (bench/catalogue_bench.py).")
    args = ap.parse_args()
    if args.catalogue:
        from bench.catalogue_bench import run

        run(queries=args.queries)
        return
    rng = random.Random(args.seed)

    real = [(e.id, e.phrasings + [e.name["vi"]]) for e in load_entries()]
    extra_needed = max(0, args.entries - len(real))
    extra = catalogue_entries(extra_needed) if CATALOG.exists() else recombined_entries(real, extra_needed, rng)
    entries = real + extra
    pairs = [(intent, text) for intent, texts in entries for text in texts]
    queries = build_queries(real, args.queries, rng)

    start, start_cpu = time.perf_counter(), time.thread_time()
    index = MatchIndex(pairs, kinds={e.id: e.kind for e in load_entries()})  # frames apply as in the bot
    build_s, build_cpu = time.perf_counter() - start, time.thread_time() - start_cpu

    for q in queries[:50]:  # warm caches the way a running process has them
        index.match(q)
    ours = timed(index.match, queries)
    ours_cpu = timed(index.match, queries, clock=time.thread_time)

    choices = [utils.default_process(text) for _intent, text in pairs]
    baseline_queries = queries[: min(len(queries), 300)]  # the scan is slow; 300 queries give a stable median
    def scan(query: str):
        return process.extractOne(utils.default_process(query), choices, processor=None)

    plain = timed(scan, baseline_queries)
    plain_cpu = timed(scan, baseline_queries, clock=time.thread_time)

    def p95(values: list[float]) -> float:
        return statistics.quantiles(values, n=20)[-1]

    print(f"knowledge base: {len(entries)} entries, {len(pairs)} phrasings "
          f"({'portal catalogue' if CATALOG.exists() else 'recombined phrasings'} for the extra entries)")
    print(f"index build: {build_s:.2f} s wall, {build_cpu:.2f} s CPU")
    for name, wall, cpu in (("matcher", ours, ours_cpu), ("plain extractOne (WRatio) scan", plain, plain_cpu)):
        print(f"{name}: {len(wall)} queries, median {statistics.median(wall):.3f} ms wall "
              f"({statistics.median(cpu):.3f} ms CPU), p95 {p95(wall):.3f} ms wall ({p95(cpu):.3f} ms CPU)")
    print(f"speed-up of the medians: {statistics.median(plain) / statistics.median(ours):.0f}x wall, "
          f"{statistics.median(plain_cpu) / statistics.median(ours_cpu):.0f}x CPU")
    print(f"load average during the run: {os.getloadavg()[0]:.2f} (1 min)")


if __name__ == "__main__":
    main()
