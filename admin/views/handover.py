"""Handover inbox: residents who asked for staff, their conversation, staff replies, take and release."""
from __future__ import annotations

import re

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import case, select

from bot import payloads, takeover
from admin.access import commune_page, load_handoff
from admin.blueprint import bp, viet_nam_time
from admin.i18n import _, staff_language
from channels.staff_replies import WEBCHAT, OutboundError, offer_reminders_after_handover, send_staff_reply
from bot.transcript import conversation
from admin.undelivered import REASON_TEXTS, staff_line_problems
from i18n import N_
from infra.db import get_session
from infra.models import Commune, HandoffRequest, TranscriptLine
from knowledge.store import knowledge_base

MAX_REPLY = 2000
# What send_staff_reply did with the reply: a platform reply is only queued here, and may still fail
# (outside the messaging window, blocked): the flash must not promise it reached the resident.
SENT_FLASH = {
    "stored": N_("Reply sent. The bot stays silent for this resident until you release the conversation."),
    "queued": N_("Reply queued for delivery. If it cannot be delivered it appears here and under Undelivered. "
                 "The bot stays silent for this resident until you release the conversation."),
}


@bp.get("/c/<slug>/handover")
@commune_page
def handover_list(commune: Commune):
    open_first = case((HandoffRequest.status == "closed", 1), else_=0)
    requests = list(get_session().scalars(
        select(HandoffRequest).where(HandoffRequest.commune_id == commune.id)
        .order_by(open_first, HandoffRequest.id.desc()).limit(100)))
    taken = {r.id: takeover.taken_by(r.channel, commune.slug, r.user_id) for r in requests if r.status != "closed"}
    return render_template("admin/handover_list.html", commune=commune, requests=requests, taken=taken)


def shown_text(line: TranscriptLine) -> str:
    """What staff read for a line: a tapped button by its title, never the machine payload
    ("ASK:khai-sinh", "FLOW:ans:…") that older lines recorded."""
    text = line.text or ""
    if line.kind != "payload" or not _MARKER.match(text):
        return text
    if text.startswith(payloads.ASK) or text.startswith(payloads.SECTION):
        entry = knowledge_base().snapshot().entries.get(text.split(":")[1])
        if entry is not None:
            return _("[tapped] {title}", title=entry.name_en if staff_language() == "en" else entry.name_vi)
    if payloads.is_start(text):
        return _("[opened the chat]")
    return _("[tapped a button]")


_MARKER = re.compile(r"^[A-Z_]+(:|$)")


def _page(commune: Commune, handoff: HandoffRequest, status: int = 200, error: str | None = None):
    lines = conversation(handoff.channel, commune, handoff.user_id)
    staff_lines = [line.id for line in lines if line.direction == "staff"]
    problems = staff_line_problems(staff_lines) if handoff.channel != WEBCHAT else {}
    return render_template("admin/handover_detail.html", commune=commune, handoff=handoff, error=error,
                           lines=list(reversed(lines)), problems=problems, reasons=REASON_TEXTS, shown=shown_text,
                           last_id=max((line.id for line in lines), default=0),
                           taken_by=takeover.taken_by(handoff.channel, commune.slug, handoff.user_id)), status


@bp.get("/c/<slug>/handover/<int:handoff_id>/lines")
@commune_page
def handover_lines(commune: Commune, handoff_id: int):
    """GET ?after=ID: the conversation's lines after ID, as JSON (the page polls it to update itself)."""
    handoff = load_handoff(commune, handoff_id)
    after = request.args.get("after", "0")
    if not after.isdigit():
        return jsonify({"error": "'after' must be a line id"}), 400
    lines = [line for line in conversation(handoff.channel, commune, handoff.user_id) if line.id > int(after)]
    who = {"in": _("resident"), "bot": _("bot")}
    return jsonify({"lines": [{"id": line.id, "direction": line.direction, "text": shown_text(line),
                               "time": viet_nam_time(line.created_at, "%H:%M"),
                               "who": line.staff_username if line.direction == "staff" else who.get(line.direction, "")}
                              for line in lines]})


@bp.get("/c/<slug>/handover/<int:handoff_id>")
@commune_page
def handover_detail(commune: Commune, handoff_id: int):
    return _page(commune, load_handoff(commune, handoff_id))


def _take(commune: Commune, handoff: HandoffRequest) -> None:
    takeover.take(handoff.channel, commune.slug, handoff.user_id, current_user.username)
    handoff.status = "taken"


@bp.post("/c/<slug>/handover/<int:handoff_id>/reply")
@commune_page
def handover_reply(commune: Commune, handoff_id: int):
    handoff = load_handoff(commune, handoff_id)
    text = (request.form.get("text") or "").strip()
    if not text or len(text) > MAX_REPLY:
        return _page(commune, handoff, 400, _("Write a reply of at most 2000 characters."))
    _take(commune, handoff)
    try:
        outcome = send_staff_reply(handoff.channel, commune, handoff.user_id, text, current_user.username)
    except OutboundError as exc:
        get_session().rollback()  # not delivered: the bot keeps answering this resident
        takeover.release(handoff.channel, commune.slug, handoff.user_id)
        return _page(commune, handoff, 502, _(str(exc)))
    flash(_(SENT_FLASH[outcome]))
    return redirect(url_for("admin.handover_detail", slug=commune.slug, handoff_id=handoff.id))


@bp.post("/c/<slug>/handover/<int:handoff_id>/take")
@commune_page
def handover_take(commune: Commune, handoff_id: int):
    handoff = load_handoff(commune, handoff_id)
    _take(commune, handoff)
    get_session().commit()
    flash(_("You have the conversation: the bot stays silent for this resident."))
    return redirect(url_for("admin.handover_detail", slug=commune.slug, handoff_id=handoff.id))


@bp.post("/c/<slug>/handover/<int:handoff_id>/release")
@commune_page
def handover_release(commune: Commune, handoff_id: int):
    handoff = load_handoff(commune, handoff_id)
    takeover.release(handoff.channel, commune.slug, handoff.user_id)
    handoff.status = "closed"
    get_session().commit()
    offer_reminders_after_handover(handoff.channel, commune, handoff.user_id)  # once, if never asked
    flash(_("Released: the bot answers this resident again."))
    return redirect(url_for("admin.handover_list", slug=commune.slug))
