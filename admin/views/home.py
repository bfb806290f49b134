"""The start page: the communes this staff member manages."""
from __future__ import annotations

from flask import redirect, render_template, url_for
from flask_login import current_user, login_required

from admin.access import communes_of
from admin.blueprint import bp
from infra.db import get_session


@bp.get("/")
@login_required
def home():
    communes = list(get_session().scalars(communes_of(current_user)))
    if len(communes) == 1:
        return redirect(url_for("admin.faq_list", slug=communes[0].slug))
    return render_template("admin/home.html", communes=communes)
