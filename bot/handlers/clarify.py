"""Not sure enough to answer: ask which of the closest topics was meant."""
from __future__ import annotations

from bot import payloads
from bot.context import Turn
from bot.messages import QuickReply, Reply


def handles(turn: Turn) -> bool:
    return turn.match is not None and turn.match.decision == "clarify" and bool(_options(turn))


def handle(turn: Turn) -> list[Reply]:
    turn.record("clarify", turn.match.intent if turn.match.intent != "none" else None, turn.match.score)
    choices = [QuickReply(turn.entry_name(e), payloads.ask(e.id)) for e in _options(turn)]
    choices.append(QuickReply(turn._("None of these"), payloads.NOT_THIS))
    return [Reply(turn._("I am not sure I understood. Did you mean one of these?"), quick_replies=choices)]


def _options(turn: Turn):
    entries = [turn.entry(c.intent) for c in turn.match.candidates[:3]]
    return [e for e in entries if e is not None and e.kind in ("procedure", "faq")]
