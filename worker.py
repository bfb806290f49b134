"""The RQ worker process: `rq worker -w worker.AppWorker --with-scheduler bot`.

It sits beside app.py because it builds the app: each worker process keeps one app, built before
its first job, and runs every job inside that app's context (`run_in_app`, the runner app.py names
to the job queue). The app's periodic upkeep runs on a thread of each worker, so it happens with no
traffic at all.
"""
from __future__ import annotations

import logging
import sys
import threading
import time
from typing import Any, Callable

from flask import Flask
from rq import SimpleWorker

from app import create_app
from infra.logs import adopt

log = logging.getLogger(__name__)

_worker_app: Flask | None = None


def worker_app() -> Flask:
    """The app of this worker process, built on first use and reused across jobs."""
    global _worker_app
    if _worker_app is None:
        _worker_app = create_app()
    return _worker_app


def run_in_app(func: Callable[..., Any], *args: Any) -> Any:
    """RQ entry point: the job runs in the worker app's context."""
    with worker_app().app_context():
        return func(*args)


class AppWorker(SimpleWorker):
    """No fork per job; the app (and the matcher's index) is built before the first job, so no
    resident waits for it; a configuration that cannot work stops it before it takes a job."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # rq restarts a scheduler process that died (Redis restarted under it) at its maintenance, every
        # 10 minutes by default; delayed delivery retries wait for it, so check every 30 s
        kwargs.setdefault("maintenance_interval", 30)
        super().__init__(*args, **kwargs)

    def work(self, *args: Any, **kwargs: Any) -> bool:
        app = worker_app()
        check = app.extensions.get("start_check")  # set by the app: a configuration that cannot work
        reason = check(app) if check is not None else None
        if reason:  # one line on stderr, and exit status 4 as gunicorn's (a supervisor does not loop)
            print(f"refusing to start: {reason}", file=sys.stderr, flush=True)
            raise SystemExit(4)
        adopt("rq.worker")  # its lines in our JSON format too
        try:
            with app.app_context():
                from knowledge.store import knowledge_base

                knowledge_base().snapshot()
        except Exception:  # the database not up yet: the first job builds it instead
            log.exception("knowledge base not loaded before the first job")
        for seconds, func in getattr(app.extensions["jobs"], "periodic", []):
            threading.Thread(target=_repeat, args=(app, seconds, func), name="upkeep", daemon=True).start()
        return super().work(*args, **kwargs)


def _repeat(app: Flask, seconds: float, func: Callable[[], Any]) -> None:
    while True:
        time.sleep(seconds)
        try:
            with app.app_context():
                func()
        except Exception:  # Redis or the database away: try again next time
            log.exception("periodic %s failed", getattr(func, "__name__", func))
