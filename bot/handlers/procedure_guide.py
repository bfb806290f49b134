"""A procedure answer for a phone: the first reply answers what was asked in a few lines
(the fee, the place, the time, the papers, online or not, yes or no first), and the rest is one
tap away: papers, fee, time, online submission and the details (official name, national code,
legal basis, the caveats of our sources). Every reply ends with the procedure's portal link.
A commune's own place, fee, papers and hours replace the national ones for its residents, and its
note follows every reply (procedures/commune_facts.py).
"""
from __future__ import annotations

from flask import current_app

from bot import aspects, office_hours, payloads
from bot.context import Turn
from bot.flow_session import payload as flow_payload
from bot.messages import Button, QuickReply, Reply
from i18n import N_
from knowledge.overrides import commune_answer
from knowledge.procedure_cases import case_named
from procedures import commune_facts, render
from procedures.flow import has_flow
from procedures.portal import build_portal_link

# Quick replies to the other parts of a guide; "overview" is the first reply itself.
SECTION_TITLES = {"documents": N_("Papers"), "fee": N_("Fee"), "time": N_("Time"),
                  "online": N_("Submit online"), "details": N_("Details")}
SECTIONS = ("overview", *SECTION_TITLES)
ALIASES = {"where": "online"}  # quick replies sent before the sections were renamed still work


def handles(turn: Turn) -> bool:
    if payloads.parse_section(turn.payload):
        return True
    return turn.chosen_kind("procedure") is not None


def handle(turn: Turn) -> list[Reply]:
    parsed = payloads.parse_section(turn.payload)
    if parsed:
        return show(turn, *parsed)
    entry = turn.chosen_kind("procedure")
    if turn.incoming.kind != "text":
        return show(turn, entry.id, "overview")
    return show(turn, entry.id, "overview", question=turn.incoming.text)


def show(turn: Turn, procedure: str, section: str, remember: bool = True, question: str | None = None) -> list[Reply]:
    entry = turn.entry(procedure)
    if entry is None or entry.kind != "procedure":
        turn.record("none")
        return [Reply(turn._("Sorry, I could not find that procedure."), quick_replies=turn.standard_choices())]
    section = ALIASES.get(section, section)
    section = section if section in SECTIONS else "overview"
    turn.record("answer", entry.id, turn.match.score if turn.match else None)
    if remember:
        steps = turn.state.setdefault("steps", [])
        if not steps or steps[-1] != [procedure, section]:
            steps.append([procedure, section])
        del steps[:-10]
    content = _for_case(turn, procedure, commune_facts.merged(entry.content, commune_answer(turn.commune, entry)),
                        question)
    text, shown = _text(turn, content, section, question)
    return [Reply(text, quick_replies=_choices(turn, procedure, shown), buttons=_portal_button(turn, content))]


def _for_case(turn: Turn, procedure: str, content: dict, question: str | None) -> dict:
    """The procedure as it applies to the case the resident named ("mất căn cước": a replacement, with
    the replacement's portal page), remembered for the taps that follow."""
    cases = content.get("cases") or []
    chosen = turn.state.setdefault("cases", {})
    if question is not None:
        named = case_named(content, question)
        if named is not None:
            chosen[procedure] = named["id"]
        else:
            chosen.pop(procedure, None)
    case = next((c for c in cases if c["id"] == chosen.get(procedure)), None)
    if case is None:
        return content
    return {**content, **{k: case[k] for k in ("code", "formality_id") if k in case}, "case": case["title"]}


def office(turn: Turn, content: dict) -> render.Office:
    """The place that handles the procedure for this resident's commune (police post or one-stop desk)."""
    return render.office_for(content, turn.commune, lambda hours: office_hours.describe(hours, turn.lang),
                             turn.localized, turn._)


def _text(turn: Turn, content: dict, section: str, question: str | None) -> tuple[str, str]:
    """The reply's text and the section it shows (a question's aspect is that section's first reply)."""
    loc, _, place = turn.localized, turn._, office(turn, content)
    if section == "overview":
        asked = aspects.asked(question)
        quick = _quick_answer(content, question) if asked.yes_no or asked.aspect is None else None
        text = render.first_answer(content, asked.aspect, asked.yes_no, place, loc, _, quick)
        return text, aspects.SECTION_OF.get(asked.aspect, "overview") if quick is None else "overview"
    note = render.note_line(content, loc, _)
    if section == "details":
        return "\n".join(filter(None, [render.details(content, loc, _), note])), section
    body = {"documents": render.documents, "fee": render.fee, "time": render.time,
            "online": render.online}[section](content, place, loc, _)
    return "\n".join(filter(None, [render.heading(content, loc), body, note])), section


def _quick_answer(content: dict, question: str | None) -> dict | None:
    """A written answer to a frequent yes/no question about this procedure ("without a household book?")."""
    if not question:
        return None
    return next((q for q in content.get("quick_answers") or [] if aspects.mentions(question, q["cues"])), None)


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
