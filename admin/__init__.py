"""Staff admin: accounts and roles, commune settings, FAQ editor, unanswered inbox, handover, statistics."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the blueprint with its login manager, CSRF protection and cookie policy."""
    from admin import auth
    from admin.blueprint import bp
    from admin.views import (campaigns, catalogue, dead_letters, faq, handover, home, privacy,  # noqa: F401
                             procedures, settings, stats, unanswered)  # (routes on bp)

    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    # Secure cookies need HTTPS; the debug server and the test client speak plain HTTP.
    app.config["SESSION_COOKIE_SECURE"] = bool(app.config.get("ADMIN_SECURE_COOKIES", not (app.debug or app.testing)))
    app.config.setdefault("ADMIN_TAKEOVER_TTL", 2 * 60 * 60)
    # failed logins per (username, address) and per address, in ADMIN_LOGIN_WINDOW: a clerk is never
    # locked out by failures from elsewhere, and an office's honest typos never block the office
    app.config.setdefault("ADMIN_LOGIN_LIMIT_USER", 5)
    app.config.setdefault("ADMIN_LOGIN_LIMIT_IP", 50)
    app.config.setdefault("ADMIN_LOGIN_WINDOW", 15 * 60)
    # Only admin forms carry a CSRF token: the webhooks are POSTed by platforms, not browsers.
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False
    auth.init_app(app)
    app.register_blueprint(bp)


def rate_limits(limiter) -> None:
    """Every admin request counts per signed-in staff member and per address (429 with Retry-After)."""
    from admin.auth import staff_key
    from admin.blueprint import bp
    from infra.limits import setting

    limiter.shared_limit(setting("ADMIN_RATE_USER"), scope="admin-user", key_func=staff_key)(bp)
    limiter.shared_limit(setting("ADMIN_RATE_IP"), scope="admin-ip")(bp)
