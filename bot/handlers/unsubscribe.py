"""Stop reminders: recorded at once and confirmed, with the way back."""
from __future__ import annotations

from bot import payloads
from bot.context import Turn
from bot.messages import QuickReply, Reply
from bot.residents import unsubscribe


def handles(turn: Turn) -> bool:
    return turn.payload == payloads.UNSUBSCRIBE or turn.chosen_behaviour("unsubscribe")


def handle(turn: Turn) -> list[Reply]:
    turn.record("answer", "meta-unsubscribe", turn.match.score if turn.match else None)
    unsubscribe(turn.incoming)
    return [Reply(turn._("Done: you will no longer receive reminders from this page. You can still ask me questions any time."),
                  quick_replies=[QuickReply(turn._("Menu"), payloads.MENU)])]
