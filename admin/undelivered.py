"""Replies that did not reach a resident (the channels package's dead letters), as staff read them.

Every failed or skipped platform reply, and every resident message the bot could not process,
ends in `channel_dead_letters`; this module lists a commune's (or, for super admins, those of no
commune), words each reason in plain language, pulls out the text that was not delivered, and marks
them handled, noting by whom.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import func, select

from channels.staff_replies import staff_event_key
from admin.stats import LOCAL
from bot.residents import mask_personal_numbers
from i18n import N_
from infra.db import get_session
from infra.sealing import unseal
from infra.models import Commune, HandoffRequest

from channels.models import DeadLetter, Delivery
from channels.worker import DEAD_LETTER

NOT_ANSWERED = "not_answered"  # channels.worker: the event itself failed; body is the event, not a reply
MAX_ROWS = 200
TEXT_PREVIEW = 500

# Reason codes written by channels.delivery, facebook_send, zalo_send and worker, in staff's words.
# A code missing here is shown as it is, so a new reason is never hidden.
REASON_TEXTS = {
    "outside_window": N_("The resident has not written for too long (the platform's messaging window "
                         "closed), so a reply is not allowed until they write again."),
    "user_unreachable": N_("The resident cannot receive messages from this Page or OA (they blocked it, or "
                           "their account is unavailable)."),
    "not_follower": N_("The resident does not follow the commune's Zalo OA."),
    "invalid_token": N_("The Page or OA access token is invalid or expired: enter a new one in Settings."),
    "token_refresh_failed": N_("The Zalo access token could not be renewed: enter a new one in Settings."),
    "unknown_account": N_("The commune's Page or OA was removed before the reply was sent."),
    "oa_disabled": N_("The commune's Zalo OA is disabled or suspended."),
    "frequency_limit": N_("The platform does not allow more messages to this resident for now."),
    "recipient_quota": N_("The OA has used up the messages it may send to this resident."),
    "out_of_quota": N_("The OA has used up its message quota."),
    "rate_limited": N_("The platform refused: too many messages were sent in a short time."),
    "invalid_message": N_("The platform found the message invalid."),
    "rejected": N_("The platform refused the message."),
    "retries_exhausted": N_("The platform did not answer (time-outs or server errors) and every retry failed."),
    "not_sent": N_("Not sent because an earlier part of the same reply could not be delivered."),
    "send_error": N_("The reply could not be sent because of an error in the bot's setup or code (see the "
                     "details). Send it again once it is fixed."),
    NOT_ANSWERED: N_("The bot could not process this message because of an internal error: the resident "
                     "received no reply."),
}


@dataclass(frozen=True)
class LetterRow:
    """One dead letter as the page shows it."""
    id: int
    at: datetime  # commune local time
    platform: str
    resident: str  # shortened user id
    reason: str  # the reason code; the template words it through REASON_TEXTS
    code: str | None
    detail: str | None
    text: str
    attempts: int
    handoff_id: int | None  # the resident's conversation in the handover inbox, if there is one
    resolved_at: datetime | None
    resolved_by: str | None  # staff username; None for letters handled before it was recorded
    can_send_again: bool  # a reply part (not a message the bot failed on) still waiting


def reason_text(reason: str) -> str | None:
    """The msgid explaining `reason`, or None for a code this admin does not know (shown as is)."""
    return REASON_TEXTS.get(reason)


def undelivered_text(reason: str, body: object) -> str:
    """What the resident did not get (a reply) or what they wrote that went unanswered (not_answered)."""
    if not isinstance(body, dict):
        return ""
    if reason == NOT_ANSWERED:  # the event: the resident's words (sealed), masked as in the transcripts
        words = unseal(body.get("sealed"), DEAD_LETTER) if body.get("sealed") else body
        words = words if isinstance(words, dict) else {}
        said = words.get("text") or words.get("payload") or body.get("attachment") or ""
        return mask_personal_numbers(str(said)) or ""
    message = body.get("message") if isinstance(body.get("message"), dict) else body
    text = message.get("text")
    if not text:  # a Messenger button template carries its text inside the attachment
        payload = (message.get("attachment") or {}).get("payload") or {}
        text = payload.get("text") if isinstance(payload, dict) else None
    return str(text or "")


def short_id(user_id: str, keep: int = 10) -> str:
    return user_id if len(user_id) <= keep + 1 else user_id[:keep] + "…"


def local_time(moment: datetime) -> datetime:
    if moment.tzinfo is None:  # SQLite returns naive UTC
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(LOCAL)


def _of(commune: Commune | None):
    """The letters of `commune`; None: those of no commune (their Page or OA was not found, or the
    event could not be read), which only super admins see."""
    return DeadLetter.commune_id.is_(None) if commune is None else DeadLetter.commune_id == commune.id


def unresolved_count(commune: Commune | None) -> int:
    return get_session().scalar(select(func.count()).select_from(DeadLetter).where(
        _of(commune), DeadLetter.resolved_at.is_(None))) or 0


def letters(commune: Commune | None, handled: bool = False) -> tuple[list[LetterRow], int]:
    """The commune's (None: no commune's) unresolved, or with `handled` resolved, dead letters,
    newest first, and their total."""
    state = DeadLetter.resolved_at.is_not(None) if handled else DeadLetter.resolved_at.is_(None)
    where = (_of(commune), state)
    total = get_session().scalar(select(func.count()).select_from(DeadLetter).where(*where)) or 0
    found = list(get_session().scalars(select(DeadLetter).where(*where)
                                       .order_by(DeadLetter.created_at.desc(), DeadLetter.id.desc()).limit(MAX_ROWS)))
    # without a commune there is no handover inbox to link to
    conversations = _conversations(commune, {letter.user_id for letter in found}) if commune else {}
    return [_row(letter, conversations.get((letter.platform, letter.user_id))) for letter in found], total


def _row(letter: DeadLetter, handoff_id: int | None) -> LetterRow:
    return LetterRow(id=letter.id, at=local_time(letter.created_at), platform=letter.platform,
                     resident=short_id(letter.user_id), reason=letter.reason, code=letter.error_code,
                     detail=letter.detail or None, text=undelivered_text(letter.reason, letter.body)[:TEXT_PREVIEW],
                     attempts=letter.attempts or 0, handoff_id=handoff_id,
                     resolved_at=local_time(letter.resolved_at) if letter.resolved_at else None,
                     resolved_by=letter.resolved_by,
                     can_send_again=letter.delivery_id is not None and letter.resolved_at is None)


def _conversations(commune: Commune, users: set[str]) -> dict[tuple[str, str], int]:
    """(channel, user) -> the newest handover request, where staff can read and answer the conversation."""
    if not users:
        return {}
    rows = get_session().execute(
        select(HandoffRequest.channel, HandoffRequest.user_id, func.max(HandoffRequest.id))
        .where(HandoffRequest.commune_id == commune.id, HandoffRequest.user_id.in_(users))
        .group_by(HandoffRequest.channel, HandoffRequest.user_id))
    return {(channel, user): handoff_id for channel, user, handoff_id in rows}


def send_again(letter: DeadLetter, by: str) -> bool:
    """Hand the reply back to the delivery path (channels.delivery.resend), closing the letter as `by`'s;
    False if there is none to send."""
    if letter.delivery_id is None or letter.resolved_at is not None:
        return False
    from channels.delivery import resend

    get_session().commit()  # resend works in its own session: end this one's read transaction first
    return resend(letter.delivery_id, by=by)


def mark_handled(letter: DeadLetter, by: str) -> None:
    """Close the letter as handled by the staff member `by` (a username)."""
    if letter.resolved_at is None:  # a second click keeps the first time and who
        letter.resolved_at, letter.resolved_by = datetime.now(timezone.utc), by
    if letter.delivery_id is not None:  # handled: the reply is not sent again, its sealed copy goes
        from channels.delivery import drop_sealed

        drop_sealed(get_session(), [letter.delivery_id])
    get_session().commit()


@dataclass(frozen=True)
class LineProblem:
    """Why a staff line on Facebook/Zalo did not reach the resident."""
    status: str  # failed | skipped (outside the messaging window: not attempted)
    reason: str


def staff_line_problems(line_ids: list[int]) -> dict[int, LineProblem]:
    """For staff lines sent to a platform: those whose delivery failed or was skipped, by line id."""
    if not line_ids:
        return {}
    keys = {staff_event_key(line_id): line_id for line_id in line_ids}
    rows = get_session().execute(
        select(Delivery.event_key, Delivery.status, DeadLetter.reason)
        .outerjoin(DeadLetter, DeadLetter.delivery_id == Delivery.id)
        .where(Delivery.event_key.in_(keys), Delivery.status.in_(("failed", "skipped")))
        .order_by(Delivery.seq))
    problems: dict[int, LineProblem] = {}
    for event_key, status, reason in rows:  # the first failed part tells why the rest was not sent
        problems.setdefault(keys[event_key], LineProblem(status, reason or "rejected"))
    return problems
