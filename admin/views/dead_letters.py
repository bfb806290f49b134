"""Undelivered replies: what did not reach residents (dead letters), and marking them handled.

A commune's staff see its letters; super admins also see those of no commune (an event whose
Page or OA was not found, or that could not be read), on a page of their own.
"""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from admin.access import commune_page, load_dead_letter, super_page
from admin.blueprint import bp
from admin.i18n import _
from admin.undelivered import MAX_ROWS, REASON_TEXTS, letters, mark_handled, send_again
from infra.models import Commune


def _list_page(commune: Commune | None):
    handled = request.args.get("handled") == "1"
    rows, total = letters(commune, handled=handled)
    return render_template("admin/dead_letters.html", commune=commune, rows=rows, total=total,
                           handled=handled, reasons=REASON_TEXTS, max_rows=MAX_ROWS)


@bp.get("/c/<slug>/undelivered")
@commune_page
def dead_letters(commune: Commune):
    return _list_page(commune)


@bp.post("/c/<slug>/undelivered/<int:letter_id>/handled")
@commune_page
def dead_letter_handled(commune: Commune, letter_id: int):
    mark_handled(load_dead_letter(commune, letter_id), current_user.username)
    flash(_("Marked as handled."))
    return redirect(url_for("admin.dead_letters", slug=commune.slug))


@bp.post("/c/<slug>/undelivered/<int:letter_id>/send-again")
@commune_page
def dead_letter_send_again(commune: Commune, letter_id: int):
    if send_again(load_dead_letter(commune, letter_id), current_user.username):
        flash(_("Queued to be sent again. If it fails again, it comes back to this list."))
    else:
        flash(_("This line cannot be sent again: it was sent or handled meanwhile, or it is not a reply."))
    return redirect(url_for("admin.dead_letters", slug=commune.slug))


@bp.get("/undelivered/unassigned")
@super_page
def unassigned_dead_letters():
    return _list_page(None)


@bp.post("/undelivered/unassigned/<int:letter_id>/handled")
@super_page
def unassigned_dead_letter_handled(letter_id: int):
    # no "send again" here: a reply is only ever queued for a commune's Page or OA
    mark_handled(load_dead_letter(None, letter_id), current_user.username)
    flash(_("Marked as handled."))
    return redirect(url_for("admin.unassigned_dead_letters"))
