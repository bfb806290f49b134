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
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.query_timing import build, plain_scan, report, time_queries  # noqa: E402
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

    kinds = {e.id: e.kind for e in load_entries()}
    index, build_s, build_cpu = build(lambda: MatchIndex(pairs, kinds=kinds))  # frames apply as in the bot
    ours = time_queries(index.match, queries)
    # the scan is slow; 300 queries give a stable median
    plain = time_queries(plain_scan(text for _intent, text in pairs), queries[:300], warm=0)
    print(f"knowledge base: {len(entries)} entries, {len(pairs)} phrasings "
          f"({'portal catalogue' if CATALOG.exists() else 'recombined phrasings'} for the extra entries)")
    report(build_s, build_cpu, "matcher", ours, plain)


if __name__ == "__main__":
    main()
