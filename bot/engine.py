"""The conversation engine: one incoming message → the replies, whatever the channel.

It loads the resident's state, matches free text once, lets the first willing handler
answer, then saves the state; what the turn leaves in the database comes back as rows for the
caller to write (the web chat at once, the platform worker a batch at a time). It never knows
which platform it serves.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace

from flask import current_app

from bot import choices, payloads
from bot.context import Turn
from bot.greetings import without_greeting
from bot.handlers import HANDLERS
from bot.messages import Incoming, Reply
from bot.records import TurnRecords, subscriber_row, write_records
from bot.residents import find_commune, find_subscriber, mask_personal_numbers, message_row
from bot.commands import command_of
from bot.state import parse_state, save_state, state_key
from bot.takeover import keep_for_staff, takeover_key
from bot.transcript import turn_lines
from i18n import DEFAULT_LANGUAGE, LANGUAGES, detect_language, gettext
from infra.db import get_session
from infra.models import Commune
from knowledge.matcher import Match
from knowledge.store import Snapshot, knowledge_base
from procedures import answers


def clean_text(text: str | None, limit: int) -> str | None:
    """Drop control and unassigned characters (binary garbage), cut to the limit."""
    if text is None:
        return None
    kept = "".join(ch for ch in text[:limit * 2] if unicodedata.category(ch)[0] != "C" or ch in "\n\t")
    return kept[:limit].strip()


def handle_message(incoming: Incoming) -> list[Reply]:
    return handle_turn(incoming)[0]


@dataclass
class Answer:
    replies: list[Reply]
    lang: str  # the language of the replies (channels render buttons in it)
    records: TurnRecords  # what the turn leaves in the database, not yet written


def handle_turn(incoming: Incoming) -> tuple[list[Reply], str]:
    """Answer one message and commit what the turn records: the replies and their language."""
    answer = answer_turn(incoming)
    session = get_session()
    write_records(session, answer.records)
    session.commit()
    return answer.replies, answer.lang


def answer_turn(incoming: Incoming, commune: Commune | None = None) -> Answer:
    """Answer one message; its records are returned for the caller to write (a worker writes a
    batch of turns at once). `commune` saves the lookup when the caller has it already."""
    config = current_app.config
    cut = bool(incoming.text) and len(incoming.text) > config["MAX_MESSAGE_CHARS"]
    incoming = _cleaned(incoming, config["MAX_MESSAGE_CHARS"])
    store = current_app.extensions["store"]
    # one store round trip for both: is a staff member answering this resident, and where the talk stands
    staff, saved = store.get_many([takeover_key(incoming), state_key(incoming)])
    state = parse_state(saved)
    typed = choices.typed_choice(incoming.text, state) if incoming.kind == "text" else None
    label = choices.title_of(incoming.payload, state) if incoming.kind == "payload" else None
    if typed is not None:  # the resident typed what a button says: do what the button does
        incoming, label = replace(incoming, kind="payload", payload=typed.payload), incoming.text
    if (staff is not None and incoming.kind != "payload" and command_of(incoming.text) != "menu"
            and not _asks_erasure(incoming)):
        # staff answer what the resident writes; buttons, "menu" and "xóa dữ liệu" still reach the bot
        replies, lang = keep_for_staff(incoming)
        return Answer(replies, lang, TurnRecords())
    commune = commune or find_commune(incoming.commune)
    turn = Turn(incoming=incoming, lang=_language(incoming, state, commune), state=state,
                kb=knowledge_base().snapshot(), commune=commune)
    if incoming.kind == "text" and incoming.text:
        turn.match = _match(turn.kb, incoming.text, commune)
    replies = next(h for h in HANDLERS if h.handles(turn)).handle(turn)
    if cut:
        replies.insert(0, Reply(gettext(turn.lang, "Your message was long: I read only its first {limit} characters.",
                                         limit=config["MAX_MESSAGE_CHARS"])))
    _remember(turn, replies)
    save_state(store, incoming, turn.state, config["CONVERSATION_TTL"])
    return Answer(replies, turn.lang, _records(turn, replies, label))


def _match(kb: Snapshot, text: str, commune: Commune | None) -> Match:
    """The match of the question behind a leading greeting ("xin chào, cho hỏi …"), unless nothing
    is understood after it; a bare greeting is matched as it is (and gets the menu)."""
    question = without_greeting(text)
    if question:
        match = kb.match(question, commune)
        if match.decision != "none":
            return match
    return kb.match(text, commune)


def _records(turn: Turn, replies: list[Reply], label: str | None) -> TurnRecords:
    """`label`: what the resident saw or typed for a button (staff read it rather than its payload)."""
    incoming, commune = turn.incoming, turn.commune
    erased = bool(turn.outcome.get("erased"))  # "xóa dữ liệu của tôi" leaves no record of the resident
    shown = replace(incoming, text=label) if label else incoming
    return TurnRecords(
        subscribers=[] if erased else [subscriber_row(incoming.channel, incoming.user,
                                                      commune.id if commune else None, turn.lang, incoming.time)],
        messages=[message_row(incoming, commune, turn.outcome)],
        transcript=turn_lines(shown, commune, replies, turn.outcome),
        erased=[incoming] if erased else [])


def _asks_erasure(incoming: Incoming) -> bool:
    return incoming.kind == "text" and answers.says(incoming.text, "erase")


def _cleaned(incoming: Incoming, limit: int) -> Incoming:
    return replace(incoming, text=clean_text(incoming.text, limit), payload=clean_text(incoming.payload, 200))


def _language(incoming: Incoming, state: dict, commune) -> str:
    """The resident's language: what they write in, else what they used before."""
    detected = detect_language(incoming.text) if incoming.kind == "text" else None
    if detected:
        return detected
    opened = payloads.start_language(incoming.payload) if incoming.kind == "payload" else None
    if opened in LANGUAGES:  # a page opened in a chosen language (/chat?lang=en)
        return opened
    if state.get("lang"):
        return state["lang"]
    subscriber = find_subscriber(incoming, commune)
    return subscriber.language if subscriber else current_app.config.get("DEFAULT_LANGUAGE", DEFAULT_LANGUAGE)


def _remember(turn: Turn, replies: list[Reply]) -> None:
    turn.state["lang"] = turn.lang
    choices.remember_offered(turn.state, replies)
    if (turn.incoming.kind == "text" and turn.outcome.get("decision") in ("none", "clarify", "answer")
            and not turn.outcome.get("private")):
        # kept for the staff request; the state is stored in clear, so numbers are masked here too
        turn.state["last_question"] = mask_personal_numbers(turn.incoming.text)
