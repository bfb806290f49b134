"""The admin blueprint: every admin page lives under /admin and every POST carries a CSRF token."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

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
    from admin.inbox import waiting_count
    from admin.undelivered import unresolved_count

    # callables, so the counts are queried only where the navigation shows a commune
    return {"_": _, "lang": staff_language(), "undelivered_count": unresolved_count, "waiting_count": waiting_count}


def _viet_nam() -> timezone:
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo("Asia/Ho_Chi_Minh")
    except Exception:  # no time zone database: Viet Nam keeps UTC+7 all year
        return timezone(timedelta(hours=7))


VIET_NAM = _viet_nam()


@bp.app_template_filter("vntime")
def viet_nam_time(moment: datetime | None, pattern: str = "%Y-%m-%d %H:%M") -> str:
    """A stored moment (UTC, naive from SQLite) as staff read it: Viet Nam time."""
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(VIET_NAM).strftime(pattern)
