"""The platforms' POSTs answered in front of Flask: the one code path for webhook events, in every mode.

Messenger and Zalo POST every resident message here, thousands a second at peak, and all a POST
needs is its raw body, one header, the app's settings and the inbox. Flask's request machinery
(request and app contexts, URL matching, the app-wide hooks of the admin, the response object)
costs more CPU than verifying and queueing the event, so `WebhookIngress` wraps `app.wsgi_app`
and answers POST /webhooks/facebook and POST /webhooks/zalo itself, with the platform module's
`receive`. Everything else — the GET verification handshake included — goes on to Flask.

Answers, as JSON objects: 200 {"queued", "duplicates"}; 403 forged or missing signature; 400
malformed body (with the reason: not JSON, nested too deeply, not this platform's event); 413 body
over WEBHOOK_MAX_BODY, counted while reading (chunked too); 503 queue down (the platform redelivers);
500 on a bug (logged), unless the app propagates exceptions (testing).
"""
from __future__ import annotations

import json
import logging
from typing import Callable, Iterable

from flask import Flask
from werkzeug.datastructures import EnvironHeaders
from werkzeug.http import HTTP_STATUS_CODES

from channels.events import ShapeError
from channels.ingest import QueueUnavailable
from infra import metrics
from webhooks import facebook, zalo
from webhooks.common import BodyTooLarge, SignatureRejected, read_capped_body

log = logging.getLogger(__name__)

Receive = Callable[[Flask, bytes, EnvironHeaders], dict]

ROUTES: dict[str, Receive] = {facebook.PATH: facebook.receive, zalo.PATH: zalo.receive}
ERRORS: tuple[tuple[type[Exception], int], ...] = (
    (SignatureRejected, 403), (ShapeError, 400), (BodyTooLarge, 413), (QueueUnavailable, 503),
)
_STATUS = {code: f"{code} {HTTP_STATUS_CODES[code].upper()}" for code in (200, 400, 403, 413, 500, 503)}
_as_jsonify_writes = json.JSONEncoder(separators=(",", ":"), sort_keys=True).encode  # compact, sorted, ASCII


class WebhookIngress:
    """WSGI middleware: `app.wsgi_app = WebhookIngress(app, app.wsgi_app)`."""

    def __init__(self, app: Flask, downstream) -> None:
        self.app = app
        self.downstream = downstream

    def __call__(self, environ: dict, start_response) -> Iterable[bytes]:
        if environ["REQUEST_METHOD"] == "POST":
            receive = ROUTES.get(environ.get("PATH_INFO"))
            if receive is not None:
                return self._answer(receive, environ, start_response)
        return self.downstream(environ, start_response)

    def _answer(self, receive: Receive, environ: dict, start_response) -> list[bytes]:
        try:
            raw = read_capped_body(environ, self.app.config["WEBHOOK_MAX_BODY"])
            status, body = 200, receive(self.app, raw, EnvironHeaders(environ))
        except Exception as error:
            status = next((code for kind, code in ERRORS if isinstance(error, kind)), 500)
            if status == 500:
                if self.app.config.get("PROPAGATE_EXCEPTIONS") or self.app.testing:
                    raise
                log.exception("webhook POST %s failed", environ.get("PATH_INFO"))
            body = {"error": str(error) if status != 500 else "internal error"}
        metrics.count_webhook_response(status)
        data = (_as_jsonify_writes(body) + "\n").encode()
        start_response(_STATUS[status], [("Content-Type", "application/json"), ("Content-Length", str(len(data))),
                                         ("X-Content-Type-Options", "nosniff")])
        return [data]
