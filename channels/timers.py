"""Calls due later, on one thread per process: the "typing…" bubble of a slow answer.

A threading.Timer per message cost a thread start for every event, and almost all are cancelled
unfired (the answer went out in time). Here a heap holds the due calls and one daemon thread runs them.
"""
from __future__ import annotations

import heapq
import itertools
import logging
import os
import threading
import time
from typing import Any, Callable

log = logging.getLogger(__name__)


class Later:
    """A call that may still be cancelled."""

    __slots__ = ("fn", "args", "cancelled")

    def __init__(self, fn: Callable[..., Any], args: tuple) -> None:
        self.fn, self.args, self.cancelled = fn, args, False

    def cancel(self) -> None:
        self.cancelled = True


class Timers:
    def __init__(self) -> None:
        self._due: list[tuple[float, int, Later]] = []
        self._wake = threading.Condition()
        self._order = itertools.count()
        self._owner_pid: int | None = None  # a forked process has no thread: start one there

    def call_later(self, delay: float, fn: Callable[..., Any], *args: Any) -> Later:
        later = Later(fn, args)
        with self._wake:
            heapq.heappush(self._due, entry := (time.monotonic() + delay, next(self._order), later))
            if self._owner_pid != os.getpid():
                self._owner_pid = os.getpid()
                threading.Thread(target=self._run, name="timers", daemon=True).start()
            if self._due[0] is entry:  # due before all others: the thread must wake earlier than it planned
                self._wake.notify()
        return later

    def _run(self) -> None:
        while True:
            later = self._next_due()
            if not later.cancelled:
                try:
                    later.fn(*later.args)
                except Exception:  # a failed "typing…" bubble must not stop the ones after it
                    log.exception("timed call %s failed", getattr(later.fn, "__name__", later.fn))

    def _next_due(self) -> Later:
        with self._wake:
            while True:
                if self._due:
                    wait = self._due[0][0] - time.monotonic()
                    if wait <= 0:
                        return heapq.heappop(self._due)[2]
                    self._wake.wait(wait)
                else:
                    self._wake.wait()


timers = Timers()
