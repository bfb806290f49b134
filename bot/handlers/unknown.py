"""The bot does not know: it says so and offers a staff member, rather than guess."""
from __future__ import annotations

from bot.context import Turn
from bot.messages import Reply


def handles(turn: Turn) -> bool:
    return True


def handle(turn: Turn) -> list[Reply]:
    turn.record("none", None, turn.match.score if turn.match else None)
    return [Reply(turn._("Sorry, I don't have reliable information on that, and I would rather not guess. Would you like a commune staff member to answer you?"),
                  quick_replies=turn.standard_choices())]
