"""The admin's language: the staff member's choice, else the one picked on the login page, else Vietnamese."""
from __future__ import annotations

from flask import session
from flask_login import current_user

from i18n import DEFAULT_LANGUAGE, LANGUAGES, gettext


def staff_language() -> str:
    if getattr(current_user, "is_authenticated", False):
        return current_user.language if current_user.language in LANGUAGES else DEFAULT_LANGUAGE
    lang = session.get("admin_lang")
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def _(message: str, **values: object) -> str:
    return gettext(staff_language(), message, **values)
