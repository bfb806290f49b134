"""Messenger webhook: GET verification handshake, POST events signed with X-Hub-Signature-256.

POST answers 200 {"queued", "duplicates"} once the events are queued; 403 on a missing or
forged signature; 400 with a reason when the body is not a Messenger event; 413 when too large.
"""
from __future__ import annotations

import hmac
import json
import logging

from flask import Blueprint, current_app, jsonify, request

from channels import facebook_events
from channels.events import ShapeError
from channels.ingest import QueueUnavailable, ingest
from channels.signatures import facebook_valid

log = logging.getLogger(__name__)
bp = Blueprint("facebook", __name__)


class BodyTooLarge(ValueError):
    """The body exceeds WEBHOOK_MAX_BODY (→ HTTP 413)."""


@bp.errorhandler(QueueUnavailable)
def _unavailable(error: QueueUnavailable):
    return jsonify({"error": str(error)}), 503


@bp.errorhandler(ShapeError)
def _bad_shape(error: ShapeError):
    return jsonify({"error": str(error)}), 400


@bp.errorhandler(BodyTooLarge)
def _too_large(error: BodyTooLarge):
    return jsonify({"error": str(error)}), 413


def read_capped_body() -> bytes:
    """The raw bytes (signatures are computed on them), refused beyond WEBHOOK_MAX_BODY."""
    limit = current_app.config["WEBHOOK_MAX_BODY"]
    if request.content_length is not None and request.content_length > limit:
        raise BodyTooLarge(f"the body is larger than {limit} bytes")
    raw = request.stream.read(limit + 1)
    if len(raw) > limit:
        raise BodyTooLarge(f"the body is larger than {limit} bytes")
    return raw


@bp.get("/webhooks/facebook")
def verify_subscription():
    """Meta calls this once when the webhook is configured: echo hub.challenge if the token matches."""
    expected = current_app.config.get("FACEBOOK_VERIFY_TOKEN") or ""
    token = request.args.get("hub.verify_token", "")
    if request.args.get("hub.mode") != "subscribe" or not expected or not hmac.compare_digest(token, expected):
        return jsonify({"error": "verification failed"}), 403
    challenge = request.args.get("hub.challenge", "")
    return challenge, 200, {"Content-Type": "text/plain; charset=utf-8"}


@bp.post("/webhooks/facebook")
def receive():
    raw = read_capped_body()
    secret = current_app.config.get("FACEBOOK_APP_SECRET")
    if not secret:
        log.error("FACEBOOK_APP_SECRET is not set: Messenger events cannot be verified")
    if not facebook_valid(raw, request.headers.get("X-Hub-Signature-256"), secret):
        return jsonify({"error": "invalid or missing X-Hub-Signature-256"}), 403
    try:
        data = json.loads(raw)
    except ValueError:
        raise ShapeError("the body is not valid JSON") from None
    return jsonify(ingest(facebook_events.parse(data)))
