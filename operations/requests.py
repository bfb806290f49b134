"""A request id for every web request: taken from X-Request-ID (a proxy's) or made, put on every log
line written while the request runs (infra.logs) and echoed in the response."""
from __future__ import annotations

import re
import uuid

from flask import Flask, g, request

from infra.logs import log_context

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def init_app(app: Flask) -> None:
    app.before_request(_start)
    app.after_request(_echo)
    app.teardown_request(_end)


def _start() -> None:
    given = request.headers.get("X-Request-ID", "")
    g.request_id = given if _SAFE_ID.match(given) else uuid.uuid4().hex[:16]
    g.log_token = log_context.set(g.request_id)


def _echo(response):
    if "request_id" in g:
        response.headers["X-Request-ID"] = g.request_id
    return response


def _end(_error) -> None:
    token = g.pop("log_token", None)
    if token is not None:
        log_context.reset(token)
