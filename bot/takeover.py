"""A staff member has the conversation: the bot stays silent for that resident until release or timeout.

The mark lives in the shared store with a TTL, so every process sees it and a forgotten
takeover ends by itself.
"""
from __future__ import annotations

from flask import current_app

from bot.transcript import record_inbound
from bot.messages import Incoming
from bot.residents import find_commune, find_subscriber, log_message, touch_subscriber
from infra.db import get_session


def _key(channel: str, commune_slug: str, user: str) -> str:
    return f"admin:takeover:{channel}:{commune_slug}:{user}"


def take(channel: str, commune_slug: str, user: str, username: str) -> None:
    current_app.extensions["store"].set(_key(channel, commune_slug, user), username,
                                        ttl=current_app.config["ADMIN_TAKEOVER_TTL"])


def release(channel: str, commune_slug: str, user: str) -> None:
    current_app.extensions["store"].delete(_key(channel, commune_slug, user))


def taken_by(channel: str, commune_slug: str, user: str) -> str | None:
    return current_app.extensions["store"].get(_key(channel, commune_slug, user))


def takeover_key(incoming: Incoming) -> str:
    """The store key that says staff have this resident's conversation (the engine reads it with the state)."""
    return _key(incoming.channel, incoming.commune, incoming.user)


def keep_for_staff(incoming: Incoming) -> None:
    """Staff have the conversation: the message is kept for them, and the bot stays silent."""
    commune = find_commune(incoming.commune)
    # Written to staff, but kept like every transcript line: ID and phone numbers masked (0912***678)
    record_inbound(incoming, commune)
    subscriber = find_subscriber(incoming, commune)
    touch_subscriber(incoming, commune, subscriber.language if subscriber else current_app.config["DEFAULT_LANGUAGE"])
    log_message(incoming, commune, {"decision": "staff"})
    get_session().commit()
