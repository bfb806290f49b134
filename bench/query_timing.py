"""What the matcher benchmarks share: per-query timing in wall and CPU time, the plain
`rapidfuzz.process.extractOne` scan they are compared with, and the lines they print.

CPU time is `time.thread_time`: what this thread spends, whatever else the machine is doing,
so a run on a loaded 2-core machine still says what one core costs.
"""
from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz import process, utils

WARM_QUERIES = 50  # a running process has its caches warm


@dataclass(frozen=True)
class Timings:
    """Milliseconds per query, wall clock and CPU time of this thread."""
    wall: list[float]
    cpu: list[float]


def timed(fn: Callable[[Any], object], items: Iterable, clock: Callable[[], float] = time.perf_counter) -> list[float]:
    """Milliseconds per item, read on `clock`."""
    out = []
    for item in items:
        start = clock()
        fn(item)
        out.append((clock() - start) * 1000)
    return out


def time_queries(fn: Callable[[str], object], queries: Sequence[str], warm: int = WARM_QUERIES) -> Timings:
    """The queries once on the wall clock and once on the CPU clock, after `warm` of them."""
    for query in queries[:warm]:
        fn(query)
    return Timings(timed(fn, queries), timed(fn, queries, time.thread_time))


def build(fn: Callable[[], Any]) -> tuple[Any, float, float]:
    """`fn()`'s result with the seconds it took, wall and CPU."""
    start, start_cpu = time.perf_counter(), time.thread_time()
    result = fn()
    return result, time.perf_counter() - start, time.thread_time() - start_cpu


def plain_scan(phrases: Iterable[str]) -> Callable[[str], object]:
    """The search box one would write without an index: WRatio (rapidfuzz's default) over every phrase."""
    choices = [utils.default_process(p) for p in phrases]
    return lambda query: process.extractOne(utils.default_process(query), choices, processor=None)


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def report(build_s: float, build_cpu: float, ours_name: str, ours: Timings, plain: Timings,
           extra: Sequence[str] = ()) -> None:
    """Build time, both searches' medians and p95, the speed-up, `extra` lines, the load average."""
    print(f"index build: {build_s:.2f} s wall, {build_cpu:.2f} s CPU")
    for name, times in ((ours_name, ours), ("plain extractOne (WRatio) scan", plain)):
        print(f"{name}: {len(times.wall)} queries, median {statistics.median(times.wall):.3f} ms wall "
              f"({statistics.median(times.cpu):.3f} ms CPU), p95 {p95(times.wall):.3f} ms wall "
              f"({p95(times.cpu):.3f} ms CPU)")
    print(f"speed-up of the medians: {statistics.median(plain.wall) / statistics.median(ours.wall):.0f}x wall, "
          f"{statistics.median(plain.cpu) / statistics.median(ours.cpu):.0f}x CPU")
    for line in extra:
        print(line)
    print(f"load average during the run: {os.getloadavg()[0]:.2f} (1 min)")
