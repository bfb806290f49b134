"""The conversation engine: one incoming message → the replies, whatever the channel.

It loads the resident's state, matches free text once, lets the first willing handler
answer, then saves the state and records the turn. It never knows which platform it serves.
"""
from __future__ import annotations

import unicodedata
from dataclasses import replace

from flask import current_app

from admin.takeover import staff_has_conversation
from admin.transcript import record_turn
from bot.context import Turn
from bot.handlers import HANDLERS
from bot.messages import Incoming, Reply
from bot.residents import find_commune, find_subscriber, log_message, touch_subscriber
from bot.state import load_state, save_state
from i18n import DEFAULT_LANGUAGE, detect_language
from infra.db import get_session
from knowledge.store import knowledge_base


def clean_text(text: str | None, limit: int) -> str | None:
    """Drop control and unassigned characters (binary garbage), cut to the limit."""
    if text is None:
        return None
    kept = "".join(ch for ch in text[:limit * 2] if unicodedata.category(ch)[0] != "C" or ch in "\n\t")
    return kept[:limit].strip()


def handle_message(incoming: Incoming) -> list[Reply]:
    return handle_turn(incoming)[0]


def handle_turn(incoming: Incoming, commit: bool = True) -> tuple[list[Reply], str]:
    """The replies and the language they are in (channels render buttons in it).

    commit=False leaves the turn's records in the app context's session for the caller to commit
    with its own writes (the platform worker records the reply's deliveries in the same transaction)."""
    config = current_app.config
    incoming = _cleaned(incoming, config["MAX_MESSAGE_CHARS"])
    if staff_has_conversation(incoming):  # a staff member answers this resident: the bot stays silent
        return [], config.get("DEFAULT_LANGUAGE", DEFAULT_LANGUAGE)
    store = current_app.extensions["store"]
    commune = find_commune(incoming.commune)
    state = load_state(store, incoming)
    turn = Turn(incoming=incoming, lang=_language(incoming, state, commune), state=state,
                kb=knowledge_base().snapshot(), commune=commune)
    if incoming.kind == "text" and incoming.text:
        turn.match = turn.kb.index.match(incoming.text)
    replies = next(h for h in HANDLERS if h.handles(turn)).handle(turn)
    _remember(turn)
    save_state(store, incoming, turn.state, config["CONVERSATION_TTL"])
    touch_subscriber(incoming, commune, turn.lang)
    log_message(incoming, commune, turn.outcome)
    record_turn(incoming, commune, replies)
    if commit:
        get_session().commit()
    return replies, turn.lang


def _cleaned(incoming: Incoming, limit: int) -> Incoming:
    return replace(incoming, text=clean_text(incoming.text, limit), payload=clean_text(incoming.payload, 200))


def _language(incoming: Incoming, state: dict, commune) -> str:
    """The resident's language: what they write in, else what they used before."""
    detected = detect_language(incoming.text) if incoming.kind == "text" else None
    if detected:
        return detected
    if state.get("lang"):
        return state["lang"]
    subscriber = find_subscriber(incoming, commune)
    return subscriber.language if subscriber else current_app.config.get("DEFAULT_LANGUAGE", DEFAULT_LANGUAGE)


def _remember(turn: Turn) -> None:
    turn.state["lang"] = turn.lang
    if turn.incoming.kind == "text" and turn.outcome.get("decision") in ("none", "clarify", "answer"):
        turn.state["last_question"] = turn.incoming.text
