"""infra/jobs.py: the in-process ThreadQueue, the InlineQueue of tests, and RQ on a real Redis."""
from __future__ import annotations

import logging
import threading
import time

import pytest
from flask import current_app
from sqlalchemy import select

import jobs_fixture
import worker
from app import JOB_RUNNER
from infra.db import session_scope
from infra.jobs import InlineQueue, RQQueue, ThreadQueue, make_queue
from infra.models import Commune
from worker import run_in_app
from infra.store import RedisStore


def wait_for(predicate, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return predicate()


# --------------------------------------------------------------------------- ThreadQueue

@pytest.fixture
def thread_queue(app):
    return ThreadQueue(app)


def test_thread_queue_runs_job_in_app_context(app, thread_queue):
    seen = []

    def job(slug: str) -> None:
        seen.append((current_app._get_current_object() is app, threading.current_thread().name))
        with session_scope() as session:
            session.add(Commune(slug=slug, name="Xã Tân Lập"))

    thread_queue.enqueue(job, "tan-lap")
    assert thread_queue.wait_idle(5) is True
    assert seen == [(True, "jobs")]
    with app.app_context(), session_scope() as session:
        assert session.scalars(select(Commune.name).where(Commune.slug == "tan-lap")).all() == ["Xã Tân Lập"]


def test_thread_queue_respects_delay(thread_queue):
    ran: dict[str, float] = {}
    start = time.monotonic()
    thread_queue.enqueue(lambda name: ran.setdefault(name, time.monotonic()), "late", delay=0.5)
    thread_queue.enqueue(lambda name: ran.setdefault(name, time.monotonic()), "now")

    assert thread_queue.wait_idle(5) is True  # waits for due jobs only
    assert list(ran) == ["now"]
    assert wait_for(lambda: "late" in ran, 5)
    assert ran["late"] - start >= 0.5
    assert ran["now"] < ran["late"]


def test_thread_queue_wait_idle_ignores_jobs_not_yet_due(thread_queue):
    ran = []
    thread_queue.enqueue(ran.append, "later", delay=30)
    start = time.monotonic()
    assert thread_queue.wait_idle(5) is True
    assert time.monotonic() - start < 1
    assert ran == []


def test_thread_queue_runs_in_due_order(thread_queue):
    gate = threading.Event()
    order = []
    thread_queue.enqueue(gate.wait, 5)  # hold the worker while the others queue up
    thread_queue.enqueue(order.append, "d", delay=0.2)
    thread_queue.enqueue(order.append, "c", delay=0.1)
    thread_queue.enqueue(order.append, "a")
    thread_queue.enqueue(order.append, "b")
    time.sleep(0.25)  # all are due by now
    gate.set()
    assert thread_queue.wait_idle(5) is True
    assert order == ["a", "b", "c", "d"]


def test_failing_job_does_not_kill_worker(thread_queue, caplog):
    ran = []
    caplog.set_level(logging.ERROR, logger="infra.jobs")
    thread_queue.enqueue(jobs_fixture.fail, "boom in a job")
    thread_queue.enqueue(ran.append, "after")
    assert thread_queue.wait_idle(5) is True
    assert ran == ["after"]
    assert thread_queue._thread.is_alive()
    failures = [r for r in caplog.records if r.name == "infra.jobs" and r.exc_info]
    assert len(failures) == 1
    assert "fail" in failures[0].getMessage()
    assert "boom in a job" in str(failures[0].exc_info[1])
    # and it keeps serving afterwards
    thread_queue.enqueue(ran.append, "later still")
    assert thread_queue.wait_idle(5) is True
    assert ran == ["after", "later still"]


def test_wait_idle_waits_for_running_job_and_times_out(thread_queue):
    gate = threading.Event()
    done = []
    thread_queue.enqueue(lambda: (gate.wait(5), done.append(1)))
    assert wait_for(lambda: thread_queue._busy == 1, 2)
    start = time.monotonic()
    assert thread_queue.wait_idle(timeout=0.2) is False
    assert 0.15 <= time.monotonic() - start < 2
    gate.set()
    assert thread_queue.wait_idle(timeout=5) is True
    assert done == [1]


def test_wait_idle_waits_for_jobs_enqueued_by_jobs(thread_queue):
    ran = []

    def first() -> None:
        time.sleep(0.05)
        thread_queue.enqueue(second)

    def second() -> None:
        time.sleep(0.05)
        ran.append("second")

    thread_queue.enqueue(first)
    assert thread_queue.wait_idle(5) is True
    assert ran == ["second"]


# --------------------------------------------------------------------------- InlineQueue, make_queue

def test_inline_queue_runs_at_once_in_caller_context(app):
    queue = InlineQueue()
    seen = []
    with app.app_context():
        queue.enqueue(lambda x: seen.append((x, current_app.config["SECRET_KEY"], threading.current_thread())), 7)
    assert seen == [(7, "test", threading.current_thread())]
    start = time.monotonic()
    queue.enqueue(seen.append, "delayed", delay=0.1)
    assert time.monotonic() - start >= 0.1
    assert seen[-1] == "delayed"


def test_inline_queue_propagates_errors():
    with pytest.raises(RuntimeError, match="boom"):
        InlineQueue().enqueue(jobs_fixture.fail, "boom")


def test_make_queue_choices(app, make_app):
    assert isinstance(app.extensions["jobs"], InlineQueue)
    assert isinstance(make_queue(app, JOB_RUNNER), InlineQueue)
    threaded = make_app(JOBS_INLINE=False, REDIS_URL=None)
    assert isinstance(threaded.extensions["jobs"], ThreadQueue)


@pytest.mark.services
def test_make_queue_uses_rq_with_redis(make_app, redis_url):
    app = make_app(JOBS_INLINE=False)
    assert app.config["REDIS_URL"] == redis_url
    assert isinstance(app.extensions["jobs"], RQQueue)


# --------------------------------------------------------------------------- RQ on a real Redis

@pytest.fixture
def worker_env(monkeypatch, database_url, redis_url, restore_signals):
    """What an `rq worker` process has: the settings in its environment, no app built yet."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("REDIS_URL", redis_url)
    monkeypatch.setenv("SECRET_KEY", "worker-secret")
    monkeypatch.setattr(worker, "_worker_app", None)
    yield redis_url
    built = worker._worker_app
    if built is not None:
        built.extensions["db_engine"].dispose()


def burst(queue: RQQueue) -> bool:
    from rq import SimpleWorker

    return SimpleWorker([queue.queue], connection=queue.queue.connection).work(burst=True, logging_level="WARNING")


@pytest.mark.services
def test_rq_queue_runs_job_in_worker_app(worker_env, database_url):
    from rq.exceptions import NoSuchJobError
    from rq.job import Job

    queue = RQQueue(worker_env, JOB_RUNNER)
    queue.enqueue(jobs_fixture.record, "job:1", "xin chào")
    assert queue.queue.count == 1
    (job_id,) = queue.queue.job_ids
    job = Job.fetch(job_id, connection=queue.queue.connection)
    assert job.func is run_in_app
    assert job.args == (jobs_fixture.record, "job:1", "xin chào")
    assert RedisStore(worker_env).get("job:1") is None  # nothing ran at enqueue time

    assert burst(queue) is True
    with pytest.raises(NoSuchJobError):  # a finished job is not kept (result_ttl=0): nothing reads results
        job.refresh()
    assert RedisStore(worker_env).get("job:1") == "xin chào"
    assert queue.queue.count == 0
    # the worker builds its app from the environment, once, and reuses it
    worker_app = worker._worker_app
    assert worker_app is not None and worker_app.config["SECRET_KEY"] == "worker-secret"
    assert worker_app.config["DATABASE_URL"] == database_url
    queue.enqueue(jobs_fixture.record, "job:2", "lần hai")
    assert burst(queue) is True
    assert worker._worker_app is worker_app
    assert RedisStore(worker_env).get("job:2") == "lần hai"


@pytest.mark.services
def test_rq_failing_job_does_not_stop_worker(worker_env):
    from rq.exceptions import NoSuchJobError
    from rq.job import Job, JobStatus

    queue = RQQueue(worker_env, JOB_RUNNER)
    queue.enqueue(jobs_fixture.fail, "boom in rq")
    queue.enqueue(jobs_fixture.record, "job:after", "ok")
    failing_id, ok_id = queue.queue.job_ids
    assert burst(queue) is True
    connection = queue.queue.connection
    failed = Job.fetch(failing_id, connection=connection)
    assert failed.get_status() == JobStatus.FAILED
    assert "boom in rq" in (failed.latest_result().exc_string or "")
    assert queue.queue.failed_job_registry.count == 1  # failures are kept for `rq info` and requeueing
    with pytest.raises(NoSuchJobError):
        Job.fetch(ok_id, connection=connection)
    assert RedisStore(worker_env).get("job:after") == "ok"


@pytest.mark.services
def test_rq_delayed_job_waits_in_scheduled_registry(worker_env):
    from datetime import datetime, timezone

    from rq.scheduler import RQScheduler

    queue = RQQueue(worker_env, JOB_RUNNER)
    before = datetime.now(timezone.utc)
    queue.enqueue(jobs_fixture.record, "job:late", "muộn", delay=2)
    registry = queue.queue.scheduled_job_registry
    assert queue.queue.count == 0
    (job_id,) = registry.get_job_ids()
    due = registry.get_scheduled_time(job_id)
    assert 1 <= (due - before).total_seconds() <= 3

    scheduler = RQScheduler([queue.queue], connection=queue.queue.connection, logging_level="WARNING")
    scheduler.acquire_locks()
    scheduler.enqueue_scheduled_jobs()
    assert queue.queue.count == 0  # not due yet
    assert burst(queue) is False
    assert RedisStore(worker_env).get("job:late") is None

    time.sleep(max(0.0, (due - datetime.now(timezone.utc)).total_seconds()) + 0.05)
    scheduler.enqueue_scheduled_jobs()
    assert queue.queue.job_ids == [job_id]
    assert burst(queue) is True
    assert RedisStore(worker_env).get("job:late") == "muộn"
    scheduler.release_locks()
