"""Switching the reply language, by button or by asking ("nói tiếng Việt đi", "in English please")."""
from __future__ import annotations

from bot import payloads
from bot.commands import requested_language
from bot.context import Turn
from bot.messages import QuickReply, Reply
from i18n import LANGUAGES, N_

# Each confirmation names the language it is written in, so a switch to Vietnamese says so.
_CONFIRMATIONS = {
    "vi": N_("I will reply in Vietnamese from now on. How can I help you?"),
    "en": N_("I will reply in English from now on. How can I help you?"),
}


def handles(turn: Turn) -> bool:
    return turn.payload.startswith(payloads.LANGUAGE) or turn.chosen_behaviour("language")


def handle(turn: Turn) -> list[Reply]:
    wanted = _wanted(turn)
    turn.record("answer", "meta-language", turn.match.score if turn.match else None)
    if wanted is None:
        return [Reply(turn._("Which language would you like?"), quick_replies=[
            QuickReply("Tiếng Việt", f"{payloads.LANGUAGE}vi"),
            QuickReply("English", f"{payloads.LANGUAGE}en"),
        ])]
    turn.lang = wanted
    return [Reply(turn._(_CONFIRMATIONS[wanted]), quick_replies=[QuickReply(turn._("Menu"), payloads.MENU)])]


def _wanted(turn: Turn) -> str | None:
    if turn.payload.startswith(payloads.LANGUAGE):
        lang = turn.payload[len(payloads.LANGUAGE):]
        return lang if lang in LANGUAGES else None
    return requested_language(turn.incoming.text)
