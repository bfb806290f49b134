"""Messenger webhook: GET verification handshake, POST events signed with X-Hub-Signature-256.

POST answers 200 {"queued", "duplicates"} once the events are queued; 403 on a missing or
forged signature; 400 with a reason when the body is not a Messenger event; 413 when too large.
The POST is served by `webhooks.ingress` in front of Flask (it is the hot path); `receive` is
what it runs for this platform.
"""
from __future__ import annotations

import logging

from flask import Blueprint, Flask, current_app, jsonify, request

from channels import facebook_events
from channels.ingest import ingest
from channels.signatures import facebook_valid, same_secret
from webhooks.common import SignatureRejected, parse_json

log = logging.getLogger(__name__)
bp = Blueprint("facebook", __name__)

PATH = "/webhooks/facebook"
SIGNATURE = "X-Hub-Signature-256"


@bp.get(PATH)
def verify_subscription():
    """Meta calls this once when the webhook is configured: echo hub.challenge if the token matches."""
    expected = current_app.config.get("FACEBOOK_VERIFY_TOKEN") or ""
    token = request.args.get("hub.verify_token", "")
    if request.args.get("hub.mode") != "subscribe" or not expected or not same_secret(expected, token):
        return jsonify({"error": "verification failed"}), 403
    challenge = request.args.get("hub.challenge", "")
    return challenge, 200, {"Content-Type": "text/plain; charset=utf-8"}


def receive(app: Flask, raw: bytes, headers) -> dict[str, int]:
    """A signed POST body → its events queued: {"queued", "duplicates"}.

    Raises SignatureRejected (403), ShapeError (400) or QueueUnavailable (503)."""
    secret = app.config.get("FACEBOOK_APP_SECRET")
    if not secret:
        log.error("FACEBOOK_APP_SECRET is not set: Messenger events cannot be verified")
    if not facebook_valid(raw, headers.get(SIGNATURE), secret):
        raise SignatureRejected(f"invalid or missing {SIGNATURE}")
    return ingest(facebook_events.parse(parse_json(raw)), app)
