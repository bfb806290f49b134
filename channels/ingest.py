"""What a webhook request does after verifying the signature: de-duplicate, enqueue, acknowledge.

One job per event; the answer is computed and sent by a worker (channels.worker), so the
platform gets its 200 within milliseconds (Messenger allows 5 s, Zalo 2 s).
"""
from __future__ import annotations

import logging

from flask import current_app

from channels import dedup
from channels.events import Event

log = logging.getLogger(__name__)


class QueueUnavailable(RuntimeError):
    """The job queue refused the event (Redis down?): answer 503 so the platform redelivers."""


def ingest(events: list[Event]) -> dict[str, int]:
    """Queue every event not seen before; returns {"queued": n, "duplicates": m}."""
    from channels.worker import process_event

    jobs = current_app.extensions["jobs"]
    queued = duplicates = 0
    for event in events:
        try:
            if not dedup.first_delivery(event.key):
                duplicates += 1
                continue
        except Exception as error:
            raise _unavailable(error) from None
        try:
            jobs.enqueue(process_event, event.to_dict())
        except Exception as error:
            dedup.forget(event.key)  # let the platform's redelivery through
            raise _unavailable(error) from None
        queued += 1
    if duplicates:
        log.info("%d redelivered event(s) ignored", duplicates)
    return {"queued": queued, "duplicates": duplicates}


def _unavailable(error: Exception) -> QueueUnavailable:
    log.error("event not queued (%s): the platform will redeliver", type(error).__name__)
    return QueueUnavailable("the event could not be queued; retry later")
