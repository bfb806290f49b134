"""Staff replies to a resident, on the resident's channel.

`send_staff_reply(channel, commune, user, text)` keeps the line in the conversation and
delivers it: the web chat page fetches it (GET /webchat/messages); Facebook and Zalo replies go
through the same delivery as the bot's (rendering, messaging-window check, retries, dead letters).
The staff web only calls it.
"""
from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from bot import consent
from bot.handlers import unsubscribe
from bot.messages import Incoming, Reply
from bot.residents import find_subscriber
from bot.transcript import record_bot, record_staff
from channels import delivery, worker
from channels.accounts import get_account
from channels.models import ChannelAccount
from i18n import N_, gettext
from infra.db import get_session
from infra.models import Commune, Subscriber, TranscriptLine

WEBCHAT = "webchat"


class OutboundError(RuntimeError):
    """The reply could not be handed to the channel; the text (a msgid) says why."""


def send_staff_reply(channel: str, commune: Commune, user: str, text: str, username: str = "") -> str:
    """Deliver a staff reply: "stored" for the web chat (the page fetches it), "queued" for a platform
    (sent by the job queue through channels.delivery, which skips it outside the messaging window)."""
    if channel == WEBCHAT:
        record_staff(channel, commune, user, text, username)
        get_session().commit()
        return "stored"
    account_id = get_session().scalar(select(ChannelAccount.id).where(ChannelAccount.commune_id == commune.id,
                                                                      ChannelAccount.platform == channel))
    if channel not in worker.RENDERERS or account_id is None:
        raise OutboundError(N_("This commune has no account on the resident's channel."))
    line = record_staff(channel, commune, user, text, username)
    get_session().commit()
    # Ids only: the job resolves the account itself, so no token travels through the queue.
    current_app.extensions["jobs"].enqueue(deliver_staff_reply, account_id, line.id)
    return "queued"


def deliver_staff_reply(account_id: int, line_id: int) -> None:
    """Job: render the staff line for its platform and hand it to channels.delivery."""
    line = get_session().get(TranscriptLine, line_id)
    account = get_account(get_session(), account_id)
    if line is None or account is None:
        return
    commune = get_session().get(Commune, line.commune_id)
    messages = worker.RENDERERS[line.channel]([Reply(line.text)], _language(commune, line.channel, line.user_id))
    get_session().close()  # delivery opens sessions of its own; do not hold a connection meanwhile
    delivery.schedule(delivery.Outgoing(account, staff_event_key(line_id), line.user_id, messages))


def offer_reminders_after_handover(channel: str, commune: Commune, user: str) -> bool:
    """Staff have just released the conversation, a natural moment to ask about reminders: a resident
    who has neither said yes nor stopped them (and was not asked before) gets the question with its
    quick replies, kept in the conversation and sent through the same delivery as any reply (the
    messaging window, retries, dead letters). Never on the web chat. True if the question was queued."""
    if channel == WEBCHAT or channel not in worker.RENDERERS:
        return False
    resident = Incoming(channel=channel, commune=commune.slug, user=user, kind="payload")
    account_id = get_session().scalar(select(ChannelAccount.id).where(ChannelAccount.commune_id == commune.id,
                                                                      ChannelAccount.platform == channel))
    if account_id is None or find_subscriber(resident, commune) is None or not consent.should_ask(resident):
        return False
    lang = _language(commune, channel, user)
    consent.mark_asked(resident, lang)
    record_bot(resident, commune, [unsubscribe.question(lambda text, **values: gettext(lang, text, **values))])
    get_session().commit()
    current_app.extensions["jobs"].enqueue(deliver_reminder_question, account_id, user, lang)
    return True


def deliver_reminder_question(account_id: int, user: str, lang: str) -> None:
    """Job: the reminder question after a handover, rendered for the platform (once per resident: the
    event key is the resident's)."""
    account = get_account(get_session(), account_id)
    if account is None:
        return
    reply = unsubscribe.question(lambda text, **values: gettext(lang, text, **values))
    messages = worker.RENDERERS[account.platform]([reply], lang)
    get_session().close()
    delivery.schedule(delivery.Outgoing(account, f"ask-reminders:{account.id}:{user}", user, messages))


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
