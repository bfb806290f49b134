"""What a webhook request does after verifying the signature: de-duplicate, enqueue, acknowledge.

New events go to their shard's list in the inbox (one Redis call for the whole POST: the
de-duplication keys and the pushes); a drain job is queued only for a shard that has none
pending, so the answer is computed and sent by a worker (channels.worker) and the platform
gets its 200 within milliseconds (Messenger allows 5 s, Zalo 2 s).
"""
from __future__ import annotations

import json
import logging

from flask import current_app

from channels.events import Event
from channels.inbox import inbox, shard_of

log = logging.getLogger(__name__)


class QueueUnavailable(RuntimeError):
    """The job queue refused the event (Redis down?): answer 503 so the platform redelivers."""


def ingest(events: list[Event]) -> dict[str, int]:
    """Queue every event not seen before; returns {"queued": n, "duplicates": m}."""
    if not events:
        return {"queued": 0, "duplicates": 0}
    from channels.worker import drain_shard

    box = inbox()
    items = [(e.key, shard_of(e.user), json.dumps(e.to_dict(), ensure_ascii=False)) for e in events]
    try:
        fresh, wake = box.admit(items, current_app.config["DEDUP_TTL"])
    except Exception as error:
        raise _unavailable(error) from None
    jobs = current_app.extensions["jobs"]
    for shard in wake:
        try:
            jobs.enqueue(drain_shard, shard)
        except Exception as error:
            # the events stay in their shard's list; the next event of that shard queues its drain job
            box.abandon(shard)
            raise _unavailable(error) from None
    queued = sum(fresh)
    duplicates = len(fresh) - queued
    if duplicates:
        log.info("%d redelivered event(s) ignored", duplicates)
    return {"queued": queued, "duplicates": duplicates}


def _unavailable(error: Exception) -> QueueUnavailable:
    log.error("event not queued (%s): the platform will redeliver", type(error).__name__)
    return QueueUnavailable("the event could not be queued; retry later")
