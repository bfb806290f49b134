"""Answers to frequent questions, with the commune's own facts filled in."""
from __future__ import annotations

from knowledge.overrides import commune_answer
from bot import office_hours, payloads
from bot.context import Turn
from bot.messages import Button, QuickReply, Reply


def handles(turn: Turn) -> bool:
    return turn.chosen_kind("faq") is not None


def handle(turn: Turn) -> list[Reply]:
    entry = turn.chosen_kind("faq")
    turn.record("answer", entry.id, turn.match.score if turn.match else None)
    content = entry.content
    text = fill_commune_facts(turn, turn.localized(commune_answer(turn.commune, entry) or content.get("answer")) or "")
    buttons = [Button(turn.localized(link["title"]), link["url"]) for link in content.get("links") or []]
    related = [turn.entry(i) for i in content.get("related") or []]
    choices = [QuickReply(turn.entry_name(e), payloads.ask(e.id)) for e in related if e is not None]
    return [Reply(text.strip(), quick_replies=choices[:3] + turn.standard_choices(), buttons=buttons[:3])]


def fill_commune_facts(turn: Turn, template: str) -> str:
    """Fill {commune_name} {address} {phone} {office_hours}; an unset fact says so plainly."""
    commune = turn.commune
    unknown = turn._("(not entered yet — please ask the commune staff)")
    facts = {
        "commune_name": commune.name if commune else turn._("your commune"),
        "address": (commune.address if commune else None) or unknown,
        "phone": (commune.phone if commune else None) or unknown,
        "office_hours": office_hours.describe(commune.office_hours if commune else None, turn.lang) or unknown,
    }
    for key, value in facts.items():
        template = template.replace("{" + key + "}", value)
    return template
