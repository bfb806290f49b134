"""Procedures of the national catalogue, when no curated intent answers (issue 13).

Confident → the everyday title, who handles it, the facts (or an honest "ask the one-stop
desk"), the commune's note and the portal page, with the official name one tap away.
Close → a choice of up to three procedures in everyday words. A province's own procedure is
offered only to residents of a commune of that province.
"""
from __future__ import annotations

from flask import current_app

from bot import payloads
from bot.context import Turn
from bot.messages import Button, QuickReply, Reply
from knowledge.catalogue_store import (
    catalogue,
    commune_phrasings,
    load_entry,
    load_note,
)
from knowledge.catalogue_terms import everyday_title, province_key
from knowledge.catalogue_tier import TierAnswer, resolve
from procedures.catalogue_answer import answer_text, portal_page

PICK = "CAT:"  # CAT:<code>: a procedure picked from a clarifying choice
NAME = "CATNAME:"  # CATNAME:<code>: show the official name
TITLE_CHARS = 20  # quick-reply titles are cut by the platforms at 20 characters


def _tier(turn: Turn) -> TierAnswer | None:
    """The two tiers' answer for a typed message (computed once per turn)."""
    if turn.incoming.kind != "text" or turn.match is None:
        return None
    if "catalogue" not in turn.outcome_cache:
        index = catalogue().index()
        commune = turn.commune
        turn.outcome_cache["catalogue"] = resolve(
            turn.kb, index, turn.incoming.text or "", match=turn.match,
            province=commune.province if commune else None,
            local=commune_phrasings(commune.id if commune else None)) if index is not None else None
    return turn.outcome_cache["catalogue"]


def handles(turn: Turn) -> bool:
    if turn.payload.startswith((PICK, NAME)):
        return True
    tier = _tier(turn)
    if tier is None or tier.catalogue is None:
        return False
    found = tier.catalogue
    if found.decision == "answer" or tier.contested:
        return True
    # a clarifying choice: unless the curated intents offer one of their own that is as likely
    return found.decision == "clarify" and (turn.match.decision == "none" or found.score >= _answer_bar())


def _answer_bar() -> float:
    index = catalogue().index()
    return index.thresholds.answer if index is not None else 1.0


def handle(turn: Turn) -> list[Reply]:
    if turn.payload.startswith(NAME):
        return _official_name(turn, turn.payload[len(NAME):])
    if turn.payload.startswith(PICK):
        return answer(turn, turn.payload[len(PICK):], None)
    tier = _tier(turn)
    found = tier.catalogue
    if found.decision == "answer":
        return answer(turn, found.code, found.score)
    return _clarify(turn, [h.code for h in found.hits], found.score, tier.contested)


def _visible(turn: Turn, code: str):
    """The entry, unless it is another province's own procedure or no longer listed."""
    entry = load_entry(code)
    if entry is None or not entry.active or entry.kind == "STANDARD_INTERNAL":
        return None
    if entry.kind == "SPECIFIC":
        own = province_key(entry.province or "")
        if not turn.commune or not own or province_key(turn.commune.province or "") != own:
            return None
    return entry


def answer(turn: Turn, code: str, score: float | None) -> list[Reply]:
    entry = _visible(turn, code)
    if entry is None:
        turn.record("none")
        return [Reply(turn._("Sorry, I could not find that procedure."), quick_replies=turn.standard_choices())]
    turn.record("answer", f"catalogue:{code}", score)
    commune = turn.commune
    note = load_note(code, commune.id if commune else None)
    text = answer_text(entry, everyday_title(entry.name), note, commune.name if commune else None, turn._)
    link = portal_page(entry, current_app.config["PORTAL_BASE_URL"])
    choices = [QuickReply(turn._("Official name"), f"{NAME}{code}")] + turn.standard_choices()
    return [Reply(text, quick_replies=choices, buttons=[Button(turn._("Open on the national portal"), link)])]


def _official_name(turn: Turn, code: str) -> list[Reply]:
    entry = _visible(turn, code)
    if entry is None:
        turn.record("none")
        return [Reply(turn._("Sorry, I could not find that procedure."), quick_replies=turn.standard_choices())]
    turn.record("payload", f"catalogue:{code}")
    link = portal_page(entry, current_app.config["PORTAL_BASE_URL"])
    return [Reply(turn._("Official name: {name} (code {code})", name=entry.name, code=entry.code),
                  quick_replies=turn.standard_choices(),
                  buttons=[Button(turn._("Open on the national portal"), link)])]


def _clarify(turn: Turn, codes: list[str], score: float, curated: str | None = None) -> list[Reply]:
    """Up to three procedures; a curated intent the catalogue contested comes first."""
    turn.record("clarify", None, score)
    choices = []
    entry = turn.entry(curated) if curated is not None else None
    if entry is not None:
        title = turn.entry_name(entry)
        choices.append((f"1. {title}", QuickReply(_numbered(1, title), payloads.ask(entry.id))))
    for code in codes[:3 - len(choices)]:
        entry = _visible(turn, code)
        if entry is not None:
            title, number = everyday_title(entry.name), len(choices) + 1
            choices.append((f"{number}. {title}", QuickReply(_numbered(number, title), f"{PICK}{code}")))
    text = "\n".join([turn._("I am not sure I understood. Did you mean one of these?")] + [line for line, _ in choices])
    return [Reply(text, quick_replies=[q for _, q in choices] + [QuickReply(turn._("None of these"), payloads.NOT_THIS)])]


def _numbered(number: int, title: str) -> str:
    """"2. Title", cut at a word to fit the platforms' quick-reply limit."""
    head = f"{number}. "
    room = TITLE_CHARS - len(head)
    return head + (title if len(title) <= room else title[:room - 1].rsplit(" ", 1)[0] + "…")
