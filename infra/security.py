"""HTTP security headers on every page Flask serves, and bearer links kept out of the logs.

Headers (flask-talisman): a Content-Security-Policy without inline script or style (pages load
their scripts and styles from /static files), no framing anywhere, nosniff, no Referer sent to
other sites, and HSTS when the request came over HTTPS (directly or through TRUSTED_PROXIES).

`/go/<token>` links open a resident's prepared details for days: whoever reads an access log
could open them, so `RedactTokens` rewrites them to `/go/…` in the dev server's and gunicorn's
access logs (and in any handler it is attached to).
"""
from __future__ import annotations

import logging
import re

from flask import Flask
from flask_talisman import Talisman

CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
HSTS_MAX_AGE = 365 * 24 * 60 * 60
# the loggers that write one line per request: the dev server's and gunicorn's access log
ACCESS_LOGGERS = ("werkzeug", "gunicorn.access")


def init_headers(app: Flask) -> Talisman:
    return Talisman(
        app,
        force_https=False,  # TLS ends at the reverse proxy; plain HTTP stays usable on the embedded default
        frame_options="DENY",
        content_security_policy=CONTENT_SECURITY_POLICY,
        referrer_policy="no-referrer",
        strict_transport_security=True,  # only sent on requests that came over HTTPS
        strict_transport_security_max_age=HSTS_MAX_AGE,
        strict_transport_security_include_subdomains=False,  # a commune's domain hosts other services
        session_cookie_secure=False,  # admin/__init__.py decides (Secure unless debug or testing)
        session_cookie_http_only=True,
    )


class RedactTokens(logging.Filter):
    """Rewrites /go/<token> (a bearer link to personal data) to /go/… in every record it sees."""

    PATTERN = re.compile(r"/go/[^/\s?#\"']+")

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is the logging module's to report
            return True
        if "/go/" in message:
            record.msg, record.args = self.PATTERN.sub("/go/…", message), None
        return True


def redact_access_logs() -> None:
    """Attach RedactTokens to the access loggers once per process."""
    for name in ACCESS_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactTokens) for f in logger.filters):
            logger.addFilter(RedactTokens())
