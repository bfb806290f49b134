"""The admin blueprint: every admin page lives under /admin and every POST carries a CSRF token."""
from __future__ import annotations

from flask import Blueprint, current_app, request

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates",
               static_folder="static", static_url_path="/static")


@bp.before_request
def _protect_forms() -> None:
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        current_app.extensions["csrf"].protect()


@bp.context_processor
def _template_helpers() -> dict:
    from admin.i18n import _, staff_language
    from admin.undelivered import unresolved_count

    # a callable, so the count is queried only where the navigation shows a commune
    return {"_": _, "lang": staff_language(), "undelivered_count": unresolved_count}
