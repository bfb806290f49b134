"""The start page: the communes this staff member manages, and for super admins the undelivered
messages that belong to no commune."""
from __future__ import annotations

from flask import redirect, render_template, url_for
from flask_login import current_user, login_required

from admin.access import communes_of, is_super
from admin.blueprint import bp
from admin.inbox import waiting_count
from admin.undelivered import unresolved_count
from infra.db import get_session


@bp.get("/")
@login_required
def home():
    communes = list(get_session().scalars(communes_of(current_user)))
    unassigned = unresolved_count(None) if is_super() else 0
    # straight to the only commune, unless letters of no commune wait: only this page shows them
    if len(communes) == 1 and not unassigned:
        # a clerk with residents waiting starts in the handover inbox
        view = "admin.handover_list" if waiting_count(communes[0]) else "admin.faq_list"
        return redirect(url_for(view, slug=communes[0].slug))
    return render_template("admin/home.html", communes=communes, unassigned=unassigned, show_unassigned=is_super())
