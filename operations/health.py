"""GET /healthz (the process answers), GET /readyz (it can do its work: the database and Redis
answer; how many events wait and for how long) and GET /metrics (Prometheus text format).

/readyz answers 503 when a store is down, so a load balancer takes the process out of rotation;
the queue figures are there for an operator (or an alert) to see a backlog growing.
"""
from __future__ import annotations

import time

from flask import Blueprint, Response, current_app, jsonify
from sqlalchemy import text

from infra import metrics

bp = Blueprint("operations_health", __name__, template_folder="templates")  # + the 503 page


@bp.get("/healthz")
def healthz():
    return jsonify({"status": "alive"})


@bp.get("/readyz")
def readyz():
    checks = {"database": _timed(_database), "redis": _timed(_redis)}
    queue = _timed(_queue)
    ready = all(check["ok"] for check in checks.values())
    body = {"status": "ready" if ready else "unavailable", **checks, "queue": queue}
    return jsonify(body), 200 if ready else 503


@bp.get("/metrics")
def metrics_endpoint():
    data, content_type = metrics.exposition()
    return Response(data, content_type=content_type)


def _timed(check) -> dict:
    started = time.perf_counter()
    try:
        result = {"ok": True, **(check() or {})}
    except Exception as error:  # the answer says which store and how it failed, never a stack
        result = {"ok": False, "error": type(error).__name__}
    result["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return result


def _database() -> dict:
    engine = current_app.extensions["db_engine"]
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))
    return {"backend": engine.dialect.name}


def _redis() -> dict:
    store = current_app.extensions["store"]
    if not hasattr(store, "redis"):
        return {"backend": "in-process"}
    store.redis.ping()
    return {"backend": "redis"}


def _queue() -> dict:
    from channels.inbox import inbox

    depth, oldest_ms = inbox().depth()
    age = max(0.0, time.time() - oldest_ms / 1000) if oldest_ms else 0.0
    jobs = current_app.extensions["jobs"]
    waiting = jobs.queue.count if hasattr(jobs, "queue") else (jobs.pending() if hasattr(jobs, "pending") else 0)
    return {"depth": depth, "oldest_age_seconds": round(age, 3), "jobs_waiting": waiting}
