"""Stickers, images, audio, empty or letterless messages: a polite request for words."""
from __future__ import annotations

from bot.context import Turn
from bot.messages import Reply


def handles(turn: Turn) -> bool:
    incoming = turn.incoming
    if incoming.kind == "attachment":
        return True
    if incoming.kind == "text":
        return not any(ch.isalnum() for ch in (incoming.text or ""))
    return False


def handle(turn: Turn) -> list[Reply]:
    turn.record("unreadable")
    if turn.incoming.kind == "attachment":
        text = turn._("Thank you! I can only read text messages. Please type your question in a few words, for example: \"birth registration papers\".")
    else:
        text = turn._("Please type your question in a few words, for example: \"birth registration papers\".")
    return [Reply(text, quick_replies=turn.standard_choices())]
