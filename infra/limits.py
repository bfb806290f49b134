"""Request rate limits (Flask-Limiter): counted in Redis when REDIS_URL is set, in process memory otherwise.

Each area says what it limits and by which key (`webhooks.webchat`, `admin`, `procedures.handoff_page`);
this module builds one limiter per app and the keys every area shares. A request over a limit is
answered 429 with Retry-After (and X-RateLimit-* headers).

A Redis outage never turns into a 500 and never switches the limits off: the limiter falls back to
counting in this process's memory, logs one warning, and goes back to Redis once it answers again.
"""
from __future__ import annotations

from typing import Callable

from flask import Flask, current_app, request
from flask_limiter import Limiter

# a limiter must not wait on a Redis that does not answer longer than a request is worth: it counts in
# memory instead, so it gives up sooner than the store calls the request makes after it
_REDIS_TIMEOUT = 0.5


def init_app(app: Flask) -> Limiter:
    """The app's limiter (also in app.extensions["rate_limiter"]); areas attach their limits to it."""
    redis_url = app.config.get("REDIS_URL")
    limiter = Limiter(
        key_func=client_address,
        storage_uri=redis_url or "memory://",
        storage_options=_redis_options(app) if redis_url else {},
        strategy="fixed-window",
        headers_enabled=True,
        in_memory_fallback_enabled=True,
        key_prefix="bot-limits",
        enabled=app.config.get("RATELIMIT_ENABLED", True),
    )
    limiter.init_app(app)
    app.extensions["rate_limiter"] = limiter
    return limiter


def _redis_options(app: Flask) -> dict:
    return {"socket_connect_timeout": min(_REDIS_TIMEOUT, app.config["REDIS_CONNECT_TIMEOUT"]),
            "socket_timeout": min(_REDIS_TIMEOUT, app.config["REDIS_SOCKET_TIMEOUT"])}


def limiter_of(app: Flask) -> Limiter:
    return app.extensions["rate_limiter"]


def setting(name: str) -> Callable[[], str]:
    """A limit read from the settings on every request, so it follows a changed setting."""
    return lambda: current_app.config[name]


def client_address() -> str:
    """The client's address (behind TRUSTED_PROXIES reverse proxies, the one they forwarded)."""
    return request.remote_addr or "unknown"


def only_for(*endpoints: str) -> Callable[[], bool]:
    """An `exempt_when` for a blueprint-wide limit that applies to these endpoints only."""
    chosen = frozenset(endpoints)
    return lambda: request.endpoint not in chosen
