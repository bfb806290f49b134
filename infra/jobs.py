"""Background jobs: RQ on Redis in production, a thread in this process on the embedded default.

A job is a plain importable function and JSON-able arguments, run inside an app context. RQ jobs
go through a runner named by the app (`worker.run_in_app`, which builds the worker's app): this
bottom layer never imports the app it serves.
"""
from __future__ import annotations

import heapq
import itertools
import logging
import threading
import time
from typing import Any, Callable, Protocol

log = logging.getLogger(__name__)


class JobQueue(Protocol):
    def enqueue(self, func: Callable[..., Any], *args: Any, delay: float = 0) -> None: ...
    def every(self, seconds: float, func: Callable[[], Any]) -> None:
        """Run `func` in the workers every `seconds`, whether or not jobs come (upkeep)."""


class InlineQueue:
    """Runs the job at once in the caller's app context (tests, CLI)."""

    runs_later = False  # no delayed retries: a job that must wait for a store raises to its caller
    def enqueue(self, func: Callable[..., Any], *args: Any, delay: float = 0) -> None:
        if delay:
            time.sleep(min(delay, 5))
        func(*args)

    def every(self, seconds: float, func: Callable[[], Any]) -> None:
        pass  # no worker here: tests and CLI commands call upkeep themselves


class ThreadQueue:
    """One daemon thread executing jobs in order of due time, inside an app context."""

    def __init__(self, app) -> None:
        self.app = app
        self._heap: list[tuple[float, int, Callable, tuple, bool]] = []  # (due, order, job, args, upkeep)
        self._seq = itertools.count()
        self._cond = threading.Condition()
        self._busy = 0
        self._thread = threading.Thread(target=self._run, name="jobs", daemon=True)
        self._thread.start()

    def enqueue(self, func: Callable[..., Any], *args: Any, delay: float = 0) -> None:
        self._push(func, args, delay, upkeep=False)

    def every(self, seconds: float, func: Callable[[], Any]) -> None:
        def again() -> None:
            try:
                func()
            finally:
                self._push(again, (), seconds, upkeep=True)

        again.__name__ = getattr(func, "__name__", "periodic")
        self._push(again, (), seconds, upkeep=True)

    def _push(self, func: Callable[..., Any], args: tuple, delay: float, upkeep: bool) -> None:
        with self._cond:
            heapq.heappush(self._heap, (time.monotonic() + delay, next(self._seq), func, args, upkeep))
            self._cond.notify()

    def pending(self) -> int:
        """Jobs queued, scheduled or running, periodic upkeep not counted."""
        with self._cond:
            return self._busy + sum(1 for entry in self._heap if not entry[4])

    def wait_idle(self, timeout: float = 10) -> bool:
        """Block until no job is due or running (tests and graceful shutdown)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._busy or any(due <= time.monotonic() for due, *_ in self._heap):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._cond.wait(min(remaining, 0.05))
            return True

    def _next_job(self) -> tuple[Callable, tuple]:
        with self._cond:
            while True:
                if self._heap and self._heap[0][0] <= time.monotonic():
                    _, _, func, args, _upkeep = heapq.heappop(self._heap)
                    self._busy += 1
                    return func, args
                wait = self._heap[0][0] - time.monotonic() if self._heap else None
                self._cond.wait(wait)

    def _run(self) -> None:
        while True:
            func, args = self._next_job()
            try:
                with self.app.app_context():
                    func(*args)
            except Exception:  # a failing job must not kill the worker thread
                log.exception("job %s failed", getattr(func, "__name__", func))
            finally:
                with self._cond:
                    self._busy -= 1
                    self._cond.notify_all()


class RQQueue:
    """Jobs in Redis for `rq worker` processes on any machine."""

    def __init__(self, redis_url: str, runner: str, name: str = "bot", connect_timeout: float | None = 1.0,
                 socket_timeout: float | None = 1.0) -> None:
        from rq import Queue

        from infra.store import redis_client

        self.queue = Queue(name, connection=redis_client(redis_url, connect_timeout, socket_timeout))
        self.runner = runner  # dotted path of the function that runs a job in the worker's app context
        self.periodic: list[tuple[float, Callable[[], Any]]] = []  # run by each AppWorker process

    def enqueue(self, func: Callable[..., Any], *args: Any, delay: float = 0) -> None:
        from datetime import timedelta

        # result_ttl=0: our jobs return nothing, and storing each result cost a third of a job's overhead;
        # failed jobs are still kept (failure_ttl) for `rq info` and requeueing
        if delay:
            self.queue.enqueue_in(timedelta(seconds=delay), self.runner, func, *args, result_ttl=0)
        else:
            self.queue.enqueue(self.runner, func, *args, result_ttl=0)

    def every(self, seconds: float, func: Callable[[], Any]) -> None:
        self.periodic.append((seconds, func))


def make_queue(app, runner: str) -> JobQueue:
    """`runner`: the dotted path RQ workers call with each job (see RQQueue)."""
    if app.config.get("JOBS_INLINE"):
        return InlineQueue()
    if app.config.get("REDIS_URL"):
        return RQQueue(app.config["REDIS_URL"], runner, connect_timeout=app.config["REDIS_CONNECT_TIMEOUT"],
                       socket_timeout=app.config["REDIS_SOCKET_TIMEOUT"])
    return ThreadQueue(app)
