"""A staff member has the conversation: the bot stays silent for that resident until release or timeout.

The mark lives in the shared store with a TTL, so every process sees it and a forgotten
takeover ends by itself.
"""
from __future__ import annotations

from flask import current_app

from bot import payloads
from bot.transcript import record_inbound, record_bot
from bot.messages import Incoming, QuickReply, Reply
from bot.residents import find_commune, find_subscriber, log_message, touch_subscriber
from i18n import detect_language, gettext
from infra.db import get_session

ACK_EVERY = 10 * 60  # seconds: a resident writing on while staff hold the talk is told again at most this often


def _key(channel: str, commune_slug: str, user: str) -> str:
    return f"admin:takeover:{channel}:{commune_slug}:{user}"


def take(channel: str, commune_slug: str, user: str, username: str) -> None:
    current_app.extensions["store"].set(_key(channel, commune_slug, user), username,
                                        ttl=current_app.config["ADMIN_TAKEOVER_TTL"])


def release(channel: str, commune_slug: str, user: str) -> None:
    store = current_app.extensions["store"]
    store.delete(_key(channel, commune_slug, user))
    store.delete(f"{_key(channel, commune_slug, user)}:ack")  # the next hold acknowledges again


def taken_by(channel: str, commune_slug: str, user: str) -> str | None:
    return current_app.extensions["store"].get(_key(channel, commune_slug, user))


def takeover_key(incoming: Incoming) -> str:
    """The store key that says staff have this resident's conversation (the engine reads it with the state)."""
    return _key(incoming.channel, incoming.commune, incoming.user)


def keep_for_staff(incoming: Incoming) -> tuple[list[Reply], str]:
    """Staff have the conversation: the message is kept for them, and the bot only says, once in
    a while (ACK_EVERY), that a person will answer here, with the Menu still at hand.
    Returns that acknowledgement (or nothing) and its language."""
    commune = find_commune(incoming.commune)
    # Written to staff, but kept like every transcript line: ID and phone numbers masked (0912***678)
    record_inbound(incoming, commune)
    subscriber = find_subscriber(incoming, commune)
    lang = (detect_language(incoming.text or "") or (subscriber.language if subscriber else None)
            or current_app.config["DEFAULT_LANGUAGE"])
    touch_subscriber(incoming, commune, lang)
    log_message(incoming, commune, {"decision": "staff"})
    replies = []
    if current_app.extensions["store"].set_if_absent(f"{takeover_key(incoming)}:ack", "1", ttl=ACK_EVERY):
        replies = [Reply(gettext(lang, "A commune staff member is answering you here. Please wait a moment; you can still tap Menu to use the assistant."),
                         quick_replies=[QuickReply(gettext(lang, "Menu"), payloads.MENU)])]
        record_bot(incoming, commune, replies)
    get_session().commit()
    return replies, lang
