"""What both platform webhooks share: the capped raw body, JSON parsing, and the error answers."""
from __future__ import annotations

import json

from flask import Blueprint, current_app, jsonify, request

from channels.events import ShapeError
from channels.ingest import QueueUnavailable


class BodyTooLarge(ValueError):
    """The body exceeds WEBHOOK_MAX_BODY (→ HTTP 413)."""


def register_errors(bp: Blueprint) -> None:
    """A bad payload is answered with a clear 4xx; a queue outage with 503 so the platform redelivers."""
    for error, status in ((QueueUnavailable, 503), (ShapeError, 400), (BodyTooLarge, 413)):
        bp.register_error_handler(error, lambda e, status=status: (jsonify({"error": str(e)}), status))


def read_capped_body() -> bytes:
    """The raw bytes (signatures are computed on them), refused beyond WEBHOOK_MAX_BODY."""
    limit = current_app.config["WEBHOOK_MAX_BODY"]
    if request.content_length is not None and request.content_length > limit:
        raise BodyTooLarge(f"the body is larger than {limit} bytes")
    raw = request.stream.read(limit + 1)
    if len(raw) > limit:
        raise BodyTooLarge(f"the body is larger than {limit} bytes")
    return raw


def parse_json(raw: bytes) -> object:
    try:
        return json.loads(raw)
    except ValueError:
        raise ShapeError("the body is not valid JSON") from None
