"""Personal data requests (Viet Nam's personal data protection law): staff export one resident's data
as JSON, or erase it, when the resident asks them. The resident is named by channel and their id on it
(the handover page shows it); the request goes in a POST body, never in a URL."""
from __future__ import annotations

import json

from flask import Response, flash, redirect, render_template, request, url_for
from flask_login import current_user

from admin.access import commune_page
from admin.blueprint import bp
from admin.i18n import _
from bot import privacy
from channels import privacy as _channels_privacy  # noqa: F401  (its share of the data is registered on import)
from infra.db import get_session
from infra.models import Commune

CHANNELS = ("webchat", "facebook", "zalo")
MAX_USER = 128


def _resident(commune: Commune) -> privacy.ResidentId | None:
    channel = request.form.get("channel") or ""
    user = (request.form.get("user") or "").strip()
    if channel not in CHANNELS or not user or len(user) > MAX_USER:
        return None
    return privacy.ResidentId(channel=channel, commune=commune.slug, user=user)


def _form(commune: Commune, status: int = 200, error: str | None = None):
    return render_template("admin/privacy.html", commune=commune, channels=CHANNELS, error=error,
                           channel=request.form.get("channel") or request.args.get("channel") or "",
                           user=request.form.get("user") or ""), status


@bp.get("/c/<slug>/privacy")
@commune_page
def privacy_page(commune: Commune):
    return _form(commune)


@bp.post("/c/<slug>/privacy/export")
@commune_page
def privacy_export(commune: Commune):
    resident = _resident(commune)
    if resident is None:
        return _form(commune, 400, _("Choose the channel and give the resident's id on it."))
    data = privacy.export(get_session(), resident)
    data["exported_by"] = current_user.username
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="resident-data-{commune.slug}.json"',
        "Cache-Control": "no-store"})


@bp.post("/c/<slug>/privacy/erase")
@commune_page
def privacy_erase(commune: Commune):
    resident = _resident(commune)
    if resident is None:
        return _form(commune, 400, _("Choose the channel and give the resident's id on it."))
    erased = privacy.erase(get_session(), resident)
    get_session().commit()
    flash(_("Erased: {count} stored item(s) of this resident.", count=erased.total))
    return redirect(url_for("admin.privacy_page", slug=commune.slug))
