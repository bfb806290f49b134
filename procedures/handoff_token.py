"""Signed, expiring tokens for the hand-off page /go/<token>.

A token carries only the random id of a prefill record: nothing personal is in the URL.
"""
from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

SALT = "handoff-page-v1"


class TokenExpired(Exception):
    """The link was genuine but is older than its lifetime."""


class TokenInvalid(Exception):
    """The link was altered or was never ours."""


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def make_token(record_id: str) -> str:
    return _serializer().dumps({"r": record_id})


def read_token(token: str) -> str:
    """The record id in a token; raises TokenExpired or TokenInvalid."""
    max_age = int(current_app.config.get("PREFILL_TTL", 7 * 24 * 3600))
    try:
        data = _serializer().loads(token, max_age=max_age)
    except SignatureExpired:
        raise TokenExpired() from None
    except BadSignature:
        raise TokenInvalid() from None
    if not isinstance(data, dict) or not isinstance(data.get("r"), str):
        raise TokenInvalid()
    return data["r"]
