"""Platforms redeliver events: remember each platform message id for DEDUP_TTL seconds."""
from __future__ import annotations

from flask import current_app


def _key(event_key: str) -> str:
    return f"dedup:{event_key}"


def first_delivery(event_key: str) -> bool:
    """True the first time this event is seen (atomic across processes on Redis)."""
    store = current_app.extensions["store"]
    return store.set_if_absent(_key(event_key), "1", ttl=current_app.config["DEDUP_TTL"])


def forget(event_key: str) -> None:
    """Undo `first_delivery` when the event could not be queued, so the platform's retry is taken."""
    current_app.extensions["store"].delete(_key(event_key))
