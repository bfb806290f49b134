"""A resident asks for a person: record the request and say honestly when staff will answer."""
from __future__ import annotations

from bot import office_hours, payloads
from bot.context import Turn
from bot.messages import QuickReply, Reply
from bot.residents import open_handoff


def handles(turn: Turn) -> bool:
    return turn.payload == payloads.HANDOFF or turn.chosen_behaviour("handoff")


def handle(turn: Turn) -> list[Reply]:
    turn.record("handoff", "meta-handoff", turn.match.score if turn.match else None)
    open_handoff(turn.incoming, turn.commune, turn.state.get("last_question"))
    return [Reply(_promise(turn), quick_replies=[QuickReply(turn._("Menu"), payloads.MENU)])]


def _promise(turn: Turn) -> str:
    hours = turn.commune.office_hours if turn.commune else None
    now = turn.incoming.time
    if office_hours.is_open(hours, now):
        return turn._("I have passed your message to the commune staff. The office is open now, so a staff member will reply here as soon as they are free.")
    opening = office_hours.next_opening(hours, now)
    if opening is not None:
        return turn._("I have passed your message to the commune staff. The office is closed now; a staff member will reply here from {when}.",
                      when=office_hours.format_moment(opening, turn.lang))
    return turn._("I have passed your message to the commune staff. They will reply here during office hours.")
