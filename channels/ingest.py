"""What a webhook request does after verifying the signature: de-duplicate, enqueue, acknowledge.

New events go to their shard's list in the inbox (one Redis call for the whole POST: the
de-duplication keys and the pushes); a drain job is queued only for a shard that has none
pending, so the answer is computed and sent by a worker (channels.worker) and the platform
gets its 200 within milliseconds (Messenger allows 5 s, Zalo 2 s).

The webhooks call it outside any request or app context (webhooks.ingress answers their POSTs
before Flask), so the app is passed in; an app context is pushed only to queue a drain job.
"""
from __future__ import annotations

import logging
import time

from flask import Flask

from channels.events import Event
from channels.inbox import inbox, shard_of
from infra import metrics

log = logging.getLogger(__name__)


class QueueUnavailable(RuntimeError):
    """The job queue refused the event (Redis down?): answer 503 so the platform redelivers."""


def ingest(events: list[Event], app: Flask) -> dict[str, int]:
    """Queue every event not seen before; returns {"queued": n, "duplicates": m}."""
    if not events:
        return {"queued": 0, "duplicates": 0}
    box = inbox(app)
    now_ms = int(time.time() * 1000)
    items = [(e.key, shard_of(e.user), e.to_json(now_ms)) for e in events]
    try:
        fresh, wake = box.admit(items, app.config["DEDUP_TTL"])
    except Exception as error:
        raise _unavailable(error) from None
    if wake:
        _start_drainers(app, box, wake)
    queued = sum(fresh)
    duplicates = len(fresh) - queued
    for event, new in zip(events, fresh):
        metrics.count_event(event.platform, new)
    if duplicates:
        log.info("%d redelivered event(s) ignored", duplicates)
    return {"queued": queued, "duplicates": duplicates}


def _start_drainers(app: Flask, box, shards: list[int]) -> None:
    """One drain job per shard that had none; inside an app context, since the embedded and
    inline queues run jobs in this process."""
    from channels.worker import drain_shard

    jobs = app.extensions["jobs"]
    with app.app_context():
        for i, shard in enumerate(shards):
            try:
                jobs.enqueue(drain_shard, shard)
            except Exception as error:
                # the events stay in their shards' lists; the next event of each shard queues its drain job
                _abandon(box, shards[i:])
                raise _unavailable(error) from None


def _abandon(box, shards: list[int]) -> None:
    try:
        for shard in shards:
            box.abandon(shard)
    except Exception as error:  # Redis away too: the flags lapse after inbox.FLAG_TTL
        log.error("drain flag not cleared (%s)", type(error).__name__)


def _unavailable(error: Exception) -> QueueUnavailable:
    log.error("event not queued (%s): the platform will redeliver", type(error).__name__)
    return QueueUnavailable("the event could not be queued; retry later")
