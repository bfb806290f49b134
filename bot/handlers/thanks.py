"""Thanks and goodbyes."""
from __future__ import annotations

from bot import payloads
from bot.context import Turn
from bot.messages import QuickReply, Reply


def handles(turn: Turn) -> bool:
    return turn.chosen_behaviour("thanks")


def handle(turn: Turn) -> list[Reply]:
    turn.record("answer", "meta-thanks", turn.match.score if turn.match else None)
    turn.state.pop("steps", None)
    return [Reply(turn._("You're welcome! Message me any time you need help with a procedure."),
                  quick_replies=[QuickReply(turn._("Menu"), payloads.MENU)])]
