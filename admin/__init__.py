"""Staff admin: accounts and roles, commune settings, FAQ editor, unanswered inbox, handover, statistics."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the blueprint with its login manager, CSRF protection and cookie policy."""
    from admin import auth
    from admin.blueprint import bp
    from admin.views import dead_letters, faq, handover, home, privacy, settings, stats, unanswered  # noqa: F401  (routes on bp)

    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    # Secure cookies need HTTPS; the debug server and the test client speak plain HTTP.
    app.config["SESSION_COOKIE_SECURE"] = bool(app.config.get("ADMIN_SECURE_COOKIES", not (app.debug or app.testing)))
    app.config.setdefault("ADMIN_TAKEOVER_TTL", 2 * 60 * 60)
    app.config.setdefault("ADMIN_LOGIN_LIMIT_USER", 5)
    app.config.setdefault("ADMIN_LOGIN_LIMIT_IP", 20)
    app.config.setdefault("ADMIN_LOGIN_WINDOW", 15 * 60)
    # Only admin forms carry a CSRF token: the webhooks are POSTed by platforms, not browsers.
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False
    auth.init_app(app)
    app.register_blueprint(bp)
