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


def ingest(events: list[Event]) -> dict[str, int]:
    """Queue every event not seen before; returns {"queued": n, "duplicates": m}."""
    from channels.worker import process_event

    jobs = current_app.extensions["jobs"]
    queued = duplicates = 0
    for event in events:
        if not dedup.first_delivery(event.key):
            duplicates += 1
            continue
        try:
            jobs.enqueue(process_event, event.to_dict())
        except Exception:
            dedup.forget(event.key)  # let the platform's redelivery through
            raise
        queued += 1
    if duplicates:
        log.info("%d redelivered event(s) ignored", duplicates)
    return {"queued": queued, "duplicates": duplicates}
