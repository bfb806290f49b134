"""Zalo OA webhook: POST events signed with X-ZEvent-Signature (sha256 of app id + body + timestamp + OA secret).

Answers 200 {"queued", "duplicates"}; 403 on a missing or forged signature; 400 with a reason
when the body is not a Zalo event; 413 when too large.
"""
from __future__ import annotations

import logging

from flask import Blueprint, current_app, jsonify, request

from channels import zalo_events
from channels.events import ShapeError
from channels.ingest import ingest
from channels.signatures import zalo_valid
from webhooks.common import parse_json, read_capped_body, register_errors

log = logging.getLogger(__name__)
bp = Blueprint("zalo", __name__)

SIGNATURE = "X-ZEvent-Signature"


register_errors(bp)


@bp.post("/webhooks/zalo")
def receive():
    raw = read_capped_body()
    if not request.headers.get(SIGNATURE):
        return jsonify({"error": f"missing {SIGNATURE}"}), 403
    data = parse_json(raw)
    if not isinstance(data, dict) or not isinstance(data.get("timestamp"), (str, int)):
        raise ShapeError("expected a JSON object with \"event_name\" and \"timestamp\"")
    config = current_app.config
    if not config.get("ZALO_OA_SECRET_KEY"):
        log.error("ZALO_OA_SECRET_KEY is not set: Zalo events cannot be verified")
    candidates = [config.get("ZALO_APP_ID") or "", zalo_events.account_of(data) or ""]
    if not zalo_valid(raw, request.headers.get(SIGNATURE), str(data["timestamp"]), candidates,
                      config.get("ZALO_OA_SECRET_KEY")):
        return jsonify({"error": f"invalid {SIGNATURE}"}), 403
    return jsonify(ingest(zalo_events.parse(data)))
