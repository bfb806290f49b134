"""A procedure guide, step by step: what it is → papers → fee and time → where / online.

Each step is one reply with quick replies to the other steps, staff and the menu, and ends
with the procedure's link on the national portal when its code is known.
"""
from __future__ import annotations

from flask import current_app

from bot import office_hours, payloads
from bot.commands import requested_section
from bot.flow_session import payload as flow_payload
from bot.context import Turn
from bot.messages import Button, QuickReply, Reply
from i18n import N_
from procedures import render
from procedures.flow import has_flow
from procedures.portal import build_portal_link

SECTION_TITLES = {"overview": N_("About"), "documents": N_("Papers"), "fee": N_("Fee & time"),
                  "where": N_("Submit online")}


def handles(turn: Turn) -> bool:
    if payloads.parse_section(turn.payload):
        return True
    return turn.chosen_kind("procedure") is not None


def handle(turn: Turn) -> list[Reply]:
    parsed = payloads.parse_section(turn.payload)
    if parsed:
        return show(turn, *parsed)
    entry = turn.chosen_kind("procedure")
    section = requested_section(turn.incoming.text) if turn.incoming.kind == "text" else None
    return show(turn, entry.id, section or "overview")


def show(turn: Turn, procedure: str, section: str, remember: bool = True) -> list[Reply]:
    entry = turn.entry(procedure)
    if entry is None or entry.kind != "procedure":
        turn.record("none")
        return [Reply(turn._("Sorry, I could not find that procedure."), quick_replies=turn.standard_choices())]
    turn.record("answer", entry.id, turn.match.score if turn.match else None)
    if remember:
        steps = turn.state.setdefault("steps", [])
        if not steps or steps[-1] != [procedure, section]:
            steps.append([procedure, section])
        del steps[:-10]
    return [Reply(_text(turn, entry.content, section), quick_replies=_choices(turn, procedure, section),
                  buttons=_portal_button(turn, entry.content))]


def _text(turn: Turn, content: dict, section: str) -> str:
    loc, _ = turn.localized, turn._
    if section == "documents":
        body = render.documents(content, loc, _)
    elif section == "fee":
        body = render.fee_and_time(content, loc, _)
    elif section == "where":
        hours = office_hours.describe(turn.commune.office_hours if turn.commune else None, turn.lang)
        body = render.where(content, turn.commune, loc, _, hours)
    else:
        return render.overview(content, loc, _)
    return f"{loc(content['name'])}\n{body}"


def _choices(turn: Turn, procedure: str, current: str) -> list[QuickReply]:
    choices = [QuickReply(turn._(title), payloads.section(procedure, name))
               for name, title in SECTION_TITLES.items() if name != current]
    if has_flow(procedure):
        choices.insert(0, QuickReply(turn._("Step by step"), flow_payload("start", procedure)))
    if len(turn.state.get("steps") or []) >= 2:
        choices.append(QuickReply(turn._("Back"), payloads.BACK))
    return choices + turn.standard_choices()


def _portal_button(turn: Turn, content: dict) -> list[Button]:
    link = build_portal_link(content, current_app.config["PORTAL_BASE_URL"])
    return [Button(turn._("Open on the national portal"), link)] if link else []
