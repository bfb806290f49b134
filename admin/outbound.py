"""Staff replies to a resident, on the resident's channel.

`send_staff_reply(channel, commune, user, text)` keeps the line in the conversation and
delivers it: the web chat page fetches it (GET /webchat/messages), Facebook and Zalo go
through the channels package's send function when it offers one.
"""
from __future__ import annotations

import importlib

from sqlalchemy import select

from admin.models import TranscriptLine
from admin.transcript import record_staff
from infra.db import get_session
from infra.models import Commune

WEBCHAT = "webchat"


class OutboundError(RuntimeError):
    """The reply could not be handed to the channel; the text (a msgid) says why."""


def _platform_sender(channel: str):
    """channels.send.send_text(commune, platform, user, text), if the channels package provides it."""
    try:
        module = importlib.import_module("channels.send")
    except ImportError:
        return None
    return getattr(module, "send_text", None)


def send_staff_reply(channel: str, commune: Commune, user: str, text: str, username: str = "") -> str:
    """Deliver a staff reply; returns "stored" (web chat), or the platform sender's status."""
    if channel == WEBCHAT:
        record_staff(channel, commune, user, text, username)
        get_session().commit()
        return "stored"
    sender = _platform_sender(channel)
    if sender is None:
        raise OutboundError("Replies on this channel cannot be sent from the admin yet.")
    record_staff(channel, commune, user, text, username)
    get_session().commit()
    return str(sender(commune, channel, user, text))


def webchat_staff_messages(commune: Commune, user: str, after: int, limit: int = 50) -> list[dict]:
    rows = get_session().scalars(
        select(TranscriptLine).where(TranscriptLine.channel == WEBCHAT, TranscriptLine.commune_id == commune.id,
                                     TranscriptLine.user_id == user, TranscriptLine.direction == "staff",
                                     TranscriptLine.id > after)
        .order_by(TranscriptLine.id).limit(limit))
    return [{"id": line.id, "text": line.text} for line in rows]
