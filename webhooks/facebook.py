"""Messenger webhook: GET verification handshake, POST events signed with X-Hub-Signature-256.

POST answers 200 {"queued", "duplicates"} once the events are queued; 403 on a missing or
forged signature; 400 with a reason when the body is not a Messenger event; 413 when too large.
"""
from __future__ import annotations

import hmac
import logging

from flask import Blueprint, current_app, jsonify, request

from channels import facebook_events
from channels.ingest import ingest
from channels.signatures import facebook_valid
from webhooks.common import parse_json, read_capped_body, register_errors

log = logging.getLogger(__name__)
bp = Blueprint("facebook", __name__)


register_errors(bp)


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
    return jsonify(ingest(facebook_events.parse(parse_json(raw))))
