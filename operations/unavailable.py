"""503 with a clear page (Vietnamese, then English) when the database or Redis is down, hung or
refusing writes, instead of a 500: the web chat (JSON), the admin and the prepared-data pages.

Only errors infra.outage calls outages are answered here; any other error stays a bug (500).
"""
from __future__ import annotations

import logging

from flask import Flask, jsonify, make_response, render_template, request

from i18n import N_, gettext
from infra.outage import StoreUnavailable, is_outage

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
TITLE = N_("The service is busy for a moment")
TEXT = N_("We cannot answer right now because part of the system is not responding. "
          "Your message has not been lost on our side: please try again in a minute.")
STAFF = N_("Commune staff: the database or Redis is not answering; /readyz shows which.")


def init_app(app: Flask) -> None:
    import redis
    from sqlalchemy import exc

    for kind in (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, redis.exceptions.ResponseError,
                 exc.OperationalError, exc.InterfaceError, exc.InternalError, exc.TimeoutError, StoreUnavailable):
        app.register_error_handler(kind, _answer)


def _answer(error: Exception):
    if not is_outage(error):
        raise error
    log.warning("%s %s answered 503: a store is away (%s)", request.method, request.path, type(error).__name__)
    texts = {lang: {"title": gettext(lang, TITLE), "text": gettext(lang, TEXT), "staff": gettext(lang, STAFF)}
             for lang in ("vi", "en")}
    if request.path.startswith("/webchat/") or request.accept_mimetypes.best == "application/json":
        response = jsonify({"error": texts["vi"]["text"], "error_en": texts["en"]["text"], "status": 503})
    else:
        response = make_response(render_template("operations/unavailable.html", texts=texts))
    response.status_code = 503
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
