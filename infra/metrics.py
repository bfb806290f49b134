"""Prometheus metrics of the bot (prometheus-client), cheap enough for the webhook's hot path.

With PROMETHEUS_MULTIPROC_DIR set in the environment before the first import (scripts/serve does
it) every process — gunicorn workers, RQ workers — writes its values to files in that directory and
`/metrics` adds them up (prometheus-client's multiprocess mode); without it, one plain registry per
process. Labels stay few and bounded: platforms, decisions, intents of the knowledge base, results
and platform error codes — never a resident or a text.
"""
from __future__ import annotations

import os

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest

EVENTS_IN = Counter("bot_events_received_total", "Platform events queued by the webhooks", ["platform"])
EVENTS_DUPLICATE = Counter("bot_events_duplicate_total", "Redelivered events ignored by the webhooks", ["platform"])
WEBHOOK_RESPONSES = Counter("bot_webhook_responses_total", "Webhook event POSTs answered, by HTTP status",
                            ["status"])
ANSWERS = Counter("bot_answers_total", "Platform events answered by the worker, by decision and intent",
                  ["platform", "decision", "intent"])
SENDS = Counter("bot_sends_total", "Send API calls, by result and the platform's error code",
                ["platform", "result", "code"])
QUEUE_LATENCY = Histogram("bot_queue_latency_seconds", "From the webhook queueing an event to its answer",
                          buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900))
CAMPAIGN_DELIVERIES = Counter("bot_campaign_deliveries_total",
                              "Campaign messages finished, by platform and fate (sent, skipped, failed)",
                              ["platform", "status"])
DEAD_LETTERS = Counter("bot_dead_letters_total", "Events or replies kept as dead letters for staff", ["reason"])
DRAINS_PUT_OFF = Counter("bot_drains_put_off_total", "Shard drains retried later (a store away, or a failed batch)",
                         ["why"])

_events = {}  # (platform, new) -> the labelled counter: a label lookup costs more than the increment


def count_event(platform: str, new: bool) -> None:
    child = _events.get((platform, new))
    if child is None:
        child = _events[(platform, new)] = (EVENTS_IN if new else EVENTS_DUPLICATE).labels(platform)
    child.inc()


def count_webhook_response(status: int) -> None:
    child = _events.get(status)
    if child is None:
        child = _events[status] = WEBHOOK_RESPONSES.labels(str(status))
    child.inc()


def multiprocess_dir() -> str | None:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or os.environ.get("prometheus_multiproc_dir")


def exposition() -> tuple[bytes, str]:
    """The text format of every metric: of all processes sharing the multiprocess directory, or of this one."""
    if multiprocess_dir():
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST


def process_gone(pid: int) -> None:
    """A gunicorn worker exited: its live gauges leave the sums (gunicorn.conf.py child_exit)."""
    if multiprocess_dir():
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(pid)
