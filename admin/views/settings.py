"""Commune settings: name, administrative unit, address, phone, office hours, and the commune police
post (its own place, phone and hours: identity card and residence procedures are filed there)."""
from __future__ import annotations

import re

from flask import flash, redirect, render_template, request, url_for

from admin import platforms
from admin.access import commune_page, is_super
from admin.blueprint import bp
from admin.i18n import _
from infra.db import get_session
from infra.models import Commune
from knowledge.store import bump_version

_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
PERIOD_ROWS = 3


class SettingsError(ValueError):
    pass


def parse_office_hours(form, previous: dict | None, prefix: str = "") -> dict | None:
    """Days and periods from the form fields `{prefix}days`, `{prefix}start0`, `{prefix}end0`..."""
    days = sorted({int(d) for d in form.getlist(f"{prefix}days") if d.isdigit() and 0 <= int(d) <= 6})
    periods = []
    for i in range(PERIOD_ROWS):
        start = (form.get(f"{prefix}start{i}") or "").strip()
        end = (form.get(f"{prefix}end{i}") or "").strip()
        if not start and not end:
            continue
        if not (_TIME.match(start) and _TIME.match(end)) or start >= end:
            raise SettingsError(_("Each period needs a start and an end time (HH:MM), the start before the end."))
        periods.append([start, end])
    if not days and not periods:
        return None
    if not days or not periods:
        raise SettingsError(_("Office hours need at least one day and one period."))
    hours = {"days": days, "periods": sorted(periods)}
    if previous and previous.get("note"):
        hours["note"] = previous["note"]  # a free-text note written elsewhere is kept
    return hours


def _field(form, name: str, limit: int) -> str | None:
    value = " ".join((form.get(name) or "").split())
    return value[:limit] or None


def apply_settings(commune: Commune, form) -> None:
    name = _field(form, "name", 200)
    if not name:
        raise SettingsError(_("The commune name is required."))
    hours = parse_office_hours(form, commune.office_hours)
    police_hours = parse_office_hours(form, commune.police_hours, prefix="police_")
    commune.name = name
    commune.address = _field(form, "address", 500)
    commune.phone = _field(form, "phone", 50)
    commune.office_hours = hours
    commune.police_name = _field(form, "police_name", 200)
    commune.police_address = _field(form, "police_address", 500)
    commune.police_phone = _field(form, "police_phone", 50)
    commune.police_hours = police_hours
    if is_super():  # the province decides which province admins manage the commune
        commune.province = _field(form, "province", 200)
    try:
        platforms.save(commune, form)
    except platforms.PlatformError as exc:
        raise SettingsError(_(str(exc))) from None


def _rows(hours: dict) -> list[list[str]]:
    return (list(hours.get("periods") or []) + [["", ""]] * PERIOD_ROWS)[:PERIOD_ROWS]


@bp.route("/c/<slug>/settings", methods=["GET", "POST"])
@commune_page
def settings(commune: Commune):
    error = None
    if request.method == "POST":
        try:
            apply_settings(commune, request.form)
        except SettingsError as exc:
            get_session().rollback()
            error = str(exc)
        else:
            get_session().commit()
            bump_version()  # answers quote these facts
            flash(_("Saved."))
            return redirect(url_for("admin.settings", slug=commune.slug))
    hours, police = commune.office_hours or {}, commune.police_hours or {}
    return render_template("admin/settings.html", commune=commune, error=error,
                           days=hours.get("days") or [], periods=_rows(hours),
                           police_days=police.get("days") or [], police_periods=_rows(police),
                           can_edit_province=is_super(),
                           accounts=platforms.summaries(commune)), (400 if error else 200)
