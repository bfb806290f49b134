"""What both platform webhooks share: the capped raw body, JSON parsing, and the errors they answer with."""
from __future__ import annotations

from werkzeug.exceptions import ClientDisconnected
from werkzeug.wsgi import get_content_length, get_input_stream

from channels.events import ShapeError
from infra import safe_json


class BodyTooLarge(ValueError):
    """The body exceeds WEBHOOK_MAX_BODY (→ HTTP 413)."""


class SignatureRejected(ValueError):
    """The signature header is missing or does not match the body (→ HTTP 403)."""


class BodyIncomplete(ShapeError):
    """The body could not be read to its end (the client went away; → HTTP 400)."""


def read_capped_body(environ: dict, limit: int) -> bytes:
    """The raw bytes (signatures are computed on them), refused beyond `limit` (WEBHOOK_MAX_BODY).

    Read as Flask's `request.stream` reads them: bounded by Content-Length, or by the server for a
    chunked body (`wsgi.input_terminated`), or empty when neither bounds it."""
    length = get_content_length(environ)
    if length is not None and length > limit:
        raise BodyTooLarge(f"the body is larger than {limit} bytes")
    try:
        raw = get_input_stream(environ).read(limit + 1)
    except ClientDisconnected:
        raise BodyIncomplete("the connection failed before the whole body was read") from None
    if len(raw) > limit:
        raise BodyTooLarge(f"the body is larger than {limit} bytes")
    return raw


def parse_json(raw: bytes) -> object:
    """Any bytes: a value a few levels deep without lone surrogates, or ShapeError (→ 400)."""
    try:
        return safe_json.loads(raw)
    except safe_json.JsonRejected as error:
        raise ShapeError(str(error)) from None
