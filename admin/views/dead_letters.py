"""Undelivered replies: what did not reach residents (dead letters), and marking them handled."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for

from admin.access import commune_page, load_dead_letter
from admin.blueprint import bp
from admin.i18n import _
from admin.undelivered import MAX_ROWS, REASON_TEXTS, letters, mark_handled, send_again
from infra.models import Commune


@bp.get("/c/<slug>/undelivered")
@commune_page
def dead_letters(commune: Commune):
    handled = request.args.get("handled") == "1"
    rows, total = letters(commune, handled=handled)
    return render_template("admin/dead_letters.html", commune=commune, rows=rows, total=total,
                           handled=handled, reasons=REASON_TEXTS, max_rows=MAX_ROWS)


@bp.post("/c/<slug>/undelivered/<int:letter_id>/handled")
@commune_page
def dead_letter_handled(commune: Commune, letter_id: int):
    mark_handled(load_dead_letter(commune, letter_id))
    flash(_("Marked as handled."))
    return redirect(url_for("admin.dead_letters", slug=commune.slug))


@bp.post("/c/<slug>/undelivered/<int:letter_id>/send-again")
@commune_page
def dead_letter_send_again(commune: Commune, letter_id: int):
    if send_again(load_dead_letter(commune, letter_id)):
        flash(_("Queued to be sent again. If it fails again, it comes back to this list."))
    else:
        flash(_("This line cannot be sent again: it was sent or handled meanwhile, or it is not a reply."))
    return redirect(url_for("admin.dead_letters", slug=commune.slug))
