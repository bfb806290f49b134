"""Payloads behind quick replies and buttons: the engine's own protocol, the same on every channel."""
from __future__ import annotations

START = "START"  # a new conversation opened (web chat page, "Get started"); START:en opens it in English
MENU = "MENU"
BACK = "BACK"
STOP = "STOP"
HANDOFF = "HANDOFF"
UNSUBSCRIBE = "UNSUBSCRIBE"
NOT_THIS = "NOT_THIS"
LANGUAGE = "LANG:"  # LANG:vi | LANG:en
ASK = "ASK:"  # ASK:<intent id>, a choice from the menu or a clarifying question
SECTION = "PROC:"  # PROC:<procedure id>:<section>

SECTIONS = ("overview", "documents", "fee", "time", "online", "details", "where")  # "where": before "online"


def ask(intent: str) -> str:
    return f"{ASK}{intent}"


def section(procedure: str, name: str) -> str:
    return f"{SECTION}{procedure}:{name}"


def parse_section(payload: str) -> tuple[str, str] | None:
    if not payload.startswith(SECTION):
        return None
    procedure, _, name = payload[len(SECTION):].rpartition(":")
    return (procedure, name) if procedure and name in SECTIONS else None


REMIND_YES = "REMIND:yes"  # the reminder question's buttons (bot/handlers/unsubscribe.py)
REMIND_NO = "REMIND:no"
CAMPAIGN = "CAMP:"  # CAMP:<campaign id>:<intent id>, a campaign's button or link (bot/campaign_links.py)


def start(lang: str | None = None) -> str:
    return f"{START}:{lang}" if lang else START


def start_language(payload: str | None) -> str | None:
    """The language a START:<lang> payload opens the conversation in."""
    if payload and payload.startswith(f"{START}:"):
        return payload[len(START) + 1:]
    return None


def is_start(payload: str | None) -> bool:
    return payload == START or start_language(payload) is not None
