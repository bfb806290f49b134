"""Staff replies to a resident, on the resident's channel.

`send_staff_reply(channel, commune, user, text)` keeps the line in the conversation and
delivers it: the web chat page fetches it (GET /webchat/messages); Facebook and Zalo replies go
through the channels package's delivery (rendering, messaging-window check, retries, dead letters).
"""
from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from admin.models import TranscriptLine
from admin.transcript import record_staff
from bot.messages import Reply
from i18n import N_
from infra.db import get_session
from infra.models import Commune, Subscriber

WEBCHAT = "webchat"


class OutboundError(RuntimeError):
    """The reply could not be handed to the channel; the text (a msgid) says why."""


def _platform_delivery():
    """The channels package's delivery path (render, schedule with window check and retries), if present."""
    try:
        from channels import delivery, worker
        from channels.accounts import get_account
        from channels.models import ChannelAccount
    except ImportError:
        return None
    return delivery, worker, get_account, ChannelAccount


def send_staff_reply(channel: str, commune: Commune, user: str, text: str, username: str = "") -> str:
    """Deliver a staff reply: "stored" for the web chat (the page fetches it), "queued" for a platform
    (sent by the job queue through channels.delivery, which skips it outside the messaging window)."""
    if channel == WEBCHAT:
        record_staff(channel, commune, user, text, username)
        get_session().commit()
        return "stored"
    parts = _platform_delivery()
    if parts is None:
        raise OutboundError(N_("Replies on this channel cannot be sent from the admin yet."))
    _delivery, worker, _get_account, channel_account = parts
    account_id = get_session().scalar(select(channel_account.id).where(channel_account.commune_id == commune.id,
                                                                       channel_account.platform == channel))
    if channel not in worker.RENDERERS or account_id is None:
        raise OutboundError(N_("This commune has no account on the resident's channel."))
    line = record_staff(channel, commune, user, text, username)
    get_session().commit()
    # Ids only: the job resolves the account itself, so no token travels through the queue.
    current_app.extensions["jobs"].enqueue(deliver_staff_reply, account_id, line.id)
    return "queued"


def deliver_staff_reply(account_id: int, line_id: int) -> None:
    """Job: render the staff line for its platform and hand it to channels.delivery."""
    delivery, worker, get_account, _model = _platform_delivery()
    line = get_session().get(TranscriptLine, line_id)
    account = get_account(get_session(), account_id)
    if line is None or account is None:
        return
    commune = get_session().get(Commune, line.commune_id)
    messages = worker.RENDERERS[line.channel]([Reply(line.text)], _language(commune, line.channel, line.user_id))
    get_session().close()  # delivery opens sessions of its own; do not hold a connection meanwhile
    delivery.schedule(delivery.Outgoing(account, staff_event_key(line_id), line.user_id, messages))


def staff_event_key(line_id: int) -> str:
    """The Delivery.event_key of a staff line: the handover page finds the line's fate by it."""
    return f"staff:{line_id}"


def _language(commune: Commune, channel: str, user: str) -> str:
    subscriber = get_session().scalar(select(Subscriber.language).where(
        Subscriber.channel == channel, Subscriber.user_id == user, Subscriber.commune_id == commune.id))
    return subscriber or current_app.config["DEFAULT_LANGUAGE"]


def webchat_staff_messages(commune: Commune, user: str, after: int, limit: int = 50) -> list[dict]:
    rows = get_session().scalars(
        select(TranscriptLine).where(TranscriptLine.channel == WEBCHAT, TranscriptLine.commune_id == commune.id,
                                     TranscriptLine.user_id == user, TranscriptLine.direction == "staff",
                                     TranscriptLine.id > after)
        .order_by(TranscriptLine.id).limit(limit))
    return [{"id": line.id, "text": line.text} for line in rows]
