"""Zalo OA webhook: POST events signed with X-ZEvent-Signature (sha256 of app id + body + timestamp + OA secret).

Answers 200 {"queued", "duplicates"}; 403 on a missing or forged signature; 400 with a reason
when the body is not a Zalo event or is nested too deeply; 413 when too large; 403 too for a signed
event whose timestamp is further than ZALO_EVENT_MAX_AGE seconds from now (a replay). The POST is served by `webhooks.ingress`
in front of Flask (it is the hot path); `receive` is what it runs for this platform.
"""
from __future__ import annotations

import logging
import time

from flask import Flask

from channels import zalo_events
from channels.events import ShapeError, as_millis
from channels.ingest import ingest
from channels.signatures import zalo_valid
from webhooks.common import SignatureRejected, parse_json

log = logging.getLogger(__name__)

PATH = "/webhooks/zalo"
SIGNATURE = "X-ZEvent-Signature"


class StaleEvent(SignatureRejected):
    """A correctly signed event outside ZALO_EVENT_MAX_AGE of now: a replay (→ HTTP 403)."""


def receive(app: Flask, raw: bytes, headers) -> dict[str, int]:
    """A signed POST body → its event queued: {"queued", "duplicates"}.

    The timestamp is part of the signed text, so the body is parsed before the signature is checked.
    Raises SignatureRejected (403), ShapeError (400) or QueueUnavailable (503)."""
    signature = headers.get(SIGNATURE)
    if not signature:
        raise SignatureRejected(f"missing {SIGNATURE}")
    data = parse_json(raw)
    if not isinstance(data, dict) or not isinstance(data.get("timestamp"), (str, int)):
        raise ShapeError("expected a JSON object with \"event_name\" and \"timestamp\"")
    config = app.config
    if not config.get("ZALO_OA_SECRET_KEY"):
        log.error("ZALO_OA_SECRET_KEY is not set: Zalo events cannot be verified")
    candidates = [config.get("ZALO_APP_ID") or "", zalo_events.account_of(data) or ""]
    if not zalo_valid(raw, signature, str(data["timestamp"]), candidates, config.get("ZALO_OA_SECRET_KEY")):
        raise SignatureRejected(f"invalid {SIGNATURE}")
    events = zalo_events.parse(data)  # a malformed event is a 400 whatever its age
    _refuse_stale(data["timestamp"], config["ZALO_EVENT_MAX_AGE"])
    return ingest(events, app)


def _refuse_stale(timestamp: str | int, max_age: int) -> None:
    """The timestamp is signed, so an event replayed later carries its old time: refuse it
    (and one dated too far ahead) unless ZALO_EVENT_MAX_AGE is 0."""
    if max_age <= 0:
        return
    millis = as_millis(timestamp)
    if millis is None or abs(time.time() * 1000 - millis) > max_age * 1000:
        raise StaleEvent(f"the event is not from the last {max_age} seconds")
