"""Stop reminders: recorded at once and confirmed, with the way back."""
from __future__ import annotations

from bot import payloads
from bot.context import Turn
from bot.messages import QuickReply, Reply
from bot.residents import touch_subscriber, unsubscribe


def handles(turn: Turn) -> bool:
    return turn.payload == payloads.UNSUBSCRIBE or turn.chosen_behaviour("unsubscribe")


def handle(turn: Turn) -> list[Reply]:
    turn.record("answer", "meta-unsubscribe", turn.match.score if turn.match else None)
    # A resident whose first message is "stop" has no record yet: create it, so the opt-out is kept.
    touch_subscriber(turn.incoming, turn.commune, turn.lang)
    unsubscribe(turn.incoming)
    return [Reply(turn._("Done: you will no longer receive reminders from this page. You can still ask me questions any time."),
                  quick_replies=[QuickReply(turn._("Menu"), payloads.MENU)])]
