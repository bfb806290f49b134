"""Background jobs: RQ on Redis in production, a thread in this process on the embedded default.

A job is a plain importable function and JSON-able arguments; the worker builds the
app with `create_app()` and runs the function inside its app context, as RQ does.
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


class InlineQueue:
    """Runs the job at once in the caller's app context (tests, CLI)."""

    def enqueue(self, func: Callable[..., Any], *args: Any, delay: float = 0) -> None:
        if delay:
            time.sleep(min(delay, 5))
        func(*args)


class ThreadQueue:
    """One daemon thread executing jobs in order of due time, inside an app context."""

    def __init__(self, app) -> None:
        self.app = app
        self._heap: list[tuple[float, int, Callable, tuple]] = []
        self._seq = itertools.count()
        self._cond = threading.Condition()
        self._busy = 0
        self._thread = threading.Thread(target=self._run, name="jobs", daemon=True)
        self._thread.start()

    def enqueue(self, func: Callable[..., Any], *args: Any, delay: float = 0) -> None:
        with self._cond:
            heapq.heappush(self._heap, (time.monotonic() + delay, next(self._seq), func, args))
            self._cond.notify()

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
                    _, _, func, args = heapq.heappop(self._heap)
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

    def __init__(self, redis_url: str, name: str = "bot") -> None:
        import redis
        from rq import Queue

        self.queue = Queue(name, connection=redis.Redis.from_url(redis_url))

    def enqueue(self, func: Callable[..., Any], *args: Any, delay: float = 0) -> None:
        from datetime import timedelta

        # result_ttl=0: our jobs return nothing, and storing each result cost a third of a job's overhead;
        # failed jobs are still kept (failure_ttl) for `rq info` and requeueing
        if delay:
            self.queue.enqueue_in(timedelta(seconds=delay), run_in_app, func, *args, result_ttl=0)
        else:
            self.queue.enqueue(run_in_app, func, *args, result_ttl=0)


_worker_app = None


def run_in_app(func: Callable[..., Any], *args: Any) -> Any:
    """RQ entry point: one app per worker process, reused across jobs."""
    global _worker_app
    if _worker_app is None:
        from app import create_app

        _worker_app = create_app()
    with _worker_app.app_context():
        return func(*args)


def make_queue(app) -> JobQueue:
    if app.config.get("JOBS_INLINE"):
        return InlineQueue()
    if app.config.get("REDIS_URL"):
        return RQQueue(app.config["REDIS_URL"])
    return ThreadQueue(app)
