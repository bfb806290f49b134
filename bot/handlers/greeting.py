"""Greeting: a short welcome and the main menu of the most asked procedures."""
from __future__ import annotations

from bot import payloads
from bot.context import Turn
from bot.menu import main_menu
from bot.messages import Reply


def handles(turn: Turn) -> bool:
    return (payloads.is_start(turn.payload) or turn.chosen_behaviour("greeting")
            or turn.incoming.kind == "follow")


def handle(turn: Turn) -> list[Reply]:
    turn.record("answer", "meta-greeting", turn.match.score if turn.match else None)
    name = turn.commune.name if turn.commune else turn._("your commune")
    text = turn._("Hello! I am the virtual assistant of {commune}. I can tell you which papers to bring, fees, processing times and how to apply online. Choose a topic or type your question.", commune=name)
    return [main_menu(turn, text)]
