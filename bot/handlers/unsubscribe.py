"""Reminders, yes or stop: "nhận tin" or the question's button records consent; a whole message
"hủy", "dừng", "stop", "không nhận nữa" (bot/data/consent.yaml) stops them at once, confirmed with
the way back. A longer sentence the matcher reads as "unsubscribe" only gets a question: stopping
is never inferred from a sentence that merely mentions it."""
from __future__ import annotations

from typing import Callable

from bot import consent, payloads
from bot.context import Turn
from bot.messages import QuickReply, Reply


def _guide_open(turn: Turn) -> bool:
    return bool(turn.state.get("flow") or turn.state.get("steps"))


def _wish(turn: Turn) -> str | None:
    if turn.payload in (payloads.UNSUBSCRIBE, payloads.REMIND_NO):
        return "out" if turn.payload == payloads.UNSUBSCRIBE else "no"
    if turn.payload == payloads.REMIND_YES:
        return "in"
    if turn.incoming.kind == "text":
        return consent.wish(turn.incoming.text, _guide_open(turn))
    return None


def handles(turn: Turn) -> bool:
    if _wish(turn) is not None:
        return True
    if turn.incoming.kind == "text" and _guide_open(turn) and consent.stops_guide(turn.incoming.text):
        return False  # navigation stops the guide
    return turn.chosen_behaviour("unsubscribe")


def handle(turn: Turn) -> list[Reply]:
    wish = _wish(turn)
    turn.record("answer", "meta-unsubscribe" if wish != "in" else "meta-subscribe",
                turn.match.score if turn.match else None)
    if wish == "out":
        consent.withdraw(turn.incoming, turn.lang)
        return [Reply(turn._("Done: you will no longer receive reminders from this page, and the dates kept for them "
                             "are deleted. To get reminders again, type \"nhận tin\" any time."),
                      quick_replies=[QuickReply(turn._("Get reminders"), payloads.REMIND_YES),
                                     QuickReply(turn._("Menu"), payloads.MENU)])]
    if wish == "in":
        consent.give(turn.incoming, turn.lang)
        return [Reply(turn._("Thank you: the commune will send you reminders here (deadlines for your procedures, "
                             "renewals, new online services). Type \"hủy\" any time to stop them."),
                      quick_replies=[QuickReply(turn._("Stop reminders"), payloads.UNSUBSCRIBE),
                                     QuickReply(turn._("Menu"), payloads.MENU)])]
    if wish == "no":
        consent.decline(turn.incoming, turn.lang)
        return [Reply(turn._("All right, no reminders. If you change your mind, type \"nhận tin\"."),
                      quick_replies=[QuickReply(turn._("Menu"), payloads.MENU)])]
    return [Reply(turn._("Do you want to stop receiving reminders from this page?"),
                  quick_replies=[QuickReply(turn._("Stop reminders"), payloads.UNSUBSCRIBE),
                                 QuickReply(turn._("Menu"), payloads.MENU)])]


def offer(turn: Turn) -> list[Reply]:
    """The reminder question, at a natural moment (a guide's hand-off page): once per resident,
    never on the web chat (nothing is ever pushed there). A resident who said yes already gets the
    dates of the new form kept instead."""
    if consent.opted_in(turn.incoming):
        consent.keep_life_events(turn.incoming)
        return []
    if not consent.should_ask(turn.incoming):
        return []
    consent.mark_asked(turn.incoming, turn.lang)
    return [question(turn._)]


def question(_: Callable[..., str]) -> Reply:
    """The reminder question with its two quick replies (also sent when staff release a conversation:
    channels/staff_replies.py)."""
    return Reply(_("Would you like the commune to remind you here of deadlines (such as registering a newborn's "
                   "birth or renewing an ID card) and new online services? I keep the dates these reminders need "
                   "only if you agree; type \"hủy\" any time to stop."),
                 quick_replies=[QuickReply(_("Yes, remind me"), payloads.REMIND_YES),
                                QuickReply(_("No, thanks"), payloads.REMIND_NO)])
