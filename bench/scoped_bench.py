"""What commune-scoped matching (knowledge/scoped.py) adds to a query: the national index alone, a
resident of a commune without content of its own, and one whose commune has 40 staff phrasings and
5 entries of its own. Same knowledge base and queries as match_bench.py.

    taskset -c 0 python bench/scoped_bench.py
"""
from __future__ import annotations

import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from match_bench import CATALOG, build_queries, catalogue_entries, recombined_entries, timed  # noqa: E402

from knowledge.content import load_entries  # noqa: E402
from knowledge.scoped import ScopedIndex  # noqa: E402


def main() -> None:
    rng = random.Random(7)
    real = [(e.id, e.phrasings + [e.name["vi"]]) for e in load_entries()]
    extra_needed = max(0, 5000 - len(real))
    extra = catalogue_entries(extra_needed) if CATALOG.exists() else recombined_entries(real, extra_needed, rng)
    pairs = [(intent, text) for intent, texts in real + extra for text in texts]
    queries = build_queries(real, 2000, rng)
    # a commune's own content: staff phrasings on national entries (questions residents asked), own entries
    own = [(intent, f"{text} ở xã mình") for intent, text in rng.sample(pairs, 40)]
    own += [(f"xa-a-muc-{n}", text) for n in range(5) for text in (f"lịch trực {n} của xã", f"hỏi việc {n} xã")]
    start = time.thread_time()
    scoped = ScopedIndex.build(pairs, {1: own}, None)
    build_cpu = time.thread_time() - start
    for q in queries[:50]:
        scoped.match(q, 1)
    runs = {
        "national index alone": lambda q: scoped.national.match(q),
        "resident of a commune without own content": lambda q: scoped.match(q, 2),
        "resident of a commune with 50 own phrasings": lambda q: scoped.match(q, 1),
    }
    print(f"{len(pairs)} national phrasings, {len(own)} of one commune; build {build_cpu:.2f} s CPU")
    for name, fn in runs.items():
        cpu = timed(fn, queries, clock=time.thread_time)
        print(f"{name}: median {statistics.median(cpu):.3f} ms CPU, "
              f"p95 {statistics.quantiles(cpu, n=20)[-1]:.3f} ms CPU")
    print(f"load average during the run: {os.getloadavg()[0]:.2f} (1 min)")


if __name__ == "__main__":
    main()
