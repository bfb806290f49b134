"""A name, a phone or ID number or a date typed outside a form: not a question.

The bot says what it can do and shows the menu rather than a "did you mean" over procedures
that only share a syllable with the name; the message is private: neither the message log
nor the transcript keeps it.
"""
from __future__ import annotations

from bot.context import Turn
from bot.menu import main_menu
from bot.messages import Reply
from bot.personal import looks_personal


def handles(turn: Turn) -> bool:
    if turn.incoming.kind != "text" or (turn.match is not None and turn.match.decision == "answer"):
        return False
    return looks_personal(turn.incoming.text)


def handle(turn: Turn) -> list[Reply]:
    turn.record("none")
    turn.outcome["private"] = True
    return [main_menu(turn, turn._("That looks like a name, a number or a date. I don't need personal details to answer: I can tell you which papers to bring, the fee, how long it takes and where or how to apply online. Choose a topic or type your question."))]
