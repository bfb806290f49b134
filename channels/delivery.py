"""Getting rendered replies to the resident: in order, at most once each, nothing lost silently.

Every platform message of an answer is a Delivery row written before the first send. A
transient failure (timeout, 5xx, rate limit) re-queues the rest of the answer with exponential
backoff and jitter; a permanent one (blocked, outside the window, invalid token) is recorded with
the platform's code and not retried. Whatever does not reach the resident ends in the dead-letter
table, as does a reply outside the platform's messaging window (not attempted at all).
"""
from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable

from flask import current_app
from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from channels import facebook_send, zalo_send, zalo_tokens
from channels.accounts import Account, get_account
from channels.crypto import TokenKeyError
from channels.models import FACEBOOK, DeadLetter, Delivery
from channels.results import PERMANENT, STALE_TOKEN, TRANSIENT, SendResult
from channels.tenancy import as_utc
from infra import metrics, sealing
from infra.db import session_scope
from infra.models import Subscriber
from infra.outage import is_outage

log = logging.getLogger(__name__)

OPEN = ("pending", "retrying")
SEALED = "delivery"  # infra.sealing purpose of the bodies waiting to be sent


@dataclass
class Outgoing:
    """The platform messages that answer one event (or one staff reply), to record and send."""
    account: Account
    event_key: str
    user: str
    messages: list[dict]
    wrote_at: datetime | None = None  # when the resident wrote, if the caller knows: spares a window query
    # the same messages as staff may see them (a form summary redacted), one per message; None: `messages`
    shown: list[dict] | None = None

    def shown_messages(self) -> list[dict]:
        shown = list(self.shown or self.messages)[:len(self.messages)]
        return shown + self.messages[len(shown):]


@dataclass
class Part:
    """One recorded platform message of an answer, as the send loop needs it (no ORM state to flush)."""
    id: int
    platform: str
    account_id: int
    commune_id: int
    user_id: str
    body: dict
    attempts: int = 0
    shown: dict | None = None  # what staff may see of it (its dead letter keeps this, never `body`)


@dataclass
class Prepared:
    """An answer whose parts are recorded: the parts still to send, and whether the window allows it."""
    answer: Outgoing
    rows: list[Part]
    closed: str | None  # why the messaging window forbids sending, or None


def schedule(answer: Outgoing) -> None:
    """Record one answer's parts in a transaction of their own, then send them."""
    with session_scope() as db:
        prepared = record(db, [answer])
    send(prepared)


def record(db: Session, answers: list[Outgoing]) -> list[Prepared]:
    """Write the parts of many answers in the caller's transaction (the worker: with the turns they
    answer), once even if a job runs twice: an answer already recorded yields its unsent parts."""
    done = set(db.scalars(select(Delivery.event_key).where(
        Delivery.event_key.in_([a.event_key for a in answers]), Delivery.seq == 0))) if answers else set()
    fresh = _insert_parts(db, [a for a in answers if a.event_key not in done])
    prepared = []
    for answer in answers:
        rows = fresh[answer.event_key] if answer.event_key in fresh else _open_rows(db, answer.event_key)
        prepared.append(Prepared(answer, rows, _closed(db, answer) if rows else None))
    return prepared


def _insert_parts(db: Session, answers: list[Outgoing]) -> dict[str, list[Part]]:
    """One INSERT … RETURNING for all the answers' parts (the ORM's unit of work cost more than the rows)."""
    values = [{"event_key": a.event_key, "seq": i, "platform": a.account.platform, "account_id": a.account.id,
               "commune_id": a.account.commune_id, "user_id": a.user, "body": shown,
               "sealed": sealing.seal(body, SEALED), "status": "pending", "attempts": 0}
              for a in answers for i, (body, shown) in enumerate(zip(a.messages, a.shown_messages()))]
    ids = iter(db.scalars(insert(Delivery).returning(Delivery.id, sort_by_parameter_order=True), values)) \
        if values else iter(())
    return {a.event_key: [Part(next(ids), a.account.platform, a.account.id, a.account.commune_id, a.user, body,
                               shown=shown) for body, shown in zip(a.messages, a.shown_messages())]
            for a in answers}


def send(prepared: list[Prepared], before_each: Callable[[Outgoing], None] | None = None) -> None:
    """Send each answer's parts in order, then mark all that went out in one write."""
    sent: list[dict] = []
    for item in prepared:
        if before_each is not None:
            before_each(item.answer)
        try:
            sent += _send_open(item.answer.event_key, item.answer.account, item.rows, item.closed)
        except Exception as error:
            if is_outage(error):
                raise  # the database or Redis away: the batch is answered again later (no part is lost)
            # a bug or a broken setting (a token that no longer decrypts) would fail the batch on every
            # retry, holding up the residents after this one: this answer becomes a dead letter instead
            log.exception("reply %s not sent", item.answer.event_key)
            _give_up(item.rows, "send_error", type(error).__name__, str(error)[:500])
    _mark_sent(sent)


def _closed(db: Session, answer: Outgoing) -> str | None:
    if answer.wrote_at is None:
        return window_closed(db, answer.account, answer.user)
    # the query only when the event looks old: a later message may have reopened the window
    return window_reason(answer.account, answer.wrote_at) and window_closed(db, answer.account, answer.user)


def deliver(event_key: str, account: Account | None = None) -> None:
    """Send the parts not yet sent, in order; stop at the first failure."""
    with session_scope() as db:
        rows = _open_rows(db, event_key)
        if rows and account is None:
            try:
                account = get_account(db, rows[0].account_id)
            except TokenKeyError as error:  # a key change: staff re-enter the token, then resend
                _give_up(rows, "send_error", type(error).__name__, str(error))
                return
        closed = window_closed(db, account, rows[0].user_id) if rows and account else None
    _mark_sent(_send_open(event_key, account, rows, closed))


def _open_rows(db: Session, event_key: str) -> list[Part]:
    rows = db.scalars(select(Delivery).where(Delivery.event_key == event_key, Delivery.status.in_(OPEN))
                      .order_by(Delivery.seq))
    return [Part(r.id, r.platform, r.account_id, r.commune_id, r.user_id, _body(r), r.attempts, shown=r.body)
            for r in rows]


def _body(row: Delivery) -> dict | None:
    """The message as the resident receives it: unsealed (rows written before sealing hold it in `body`);
    None when the sealed copy does not open (the key changed) or is gone."""
    if row.sealed is None:
        return row.body
    body = sealing.unseal(row.sealed, SEALED)
    return body if isinstance(body, dict) else None


def _send_open(event_key: str, account: Account | None, rows: list[Part], closed: str | None) -> list[dict]:
    """The parts sent, for the caller to mark; a failure is recorded (retry, or dead letter) here."""
    if not rows:
        return []
    if account is None:
        _give_up(rows, "unknown_account", "unknown_account", "the Page/OA was removed before the reply was sent")
        return []
    if closed:
        _give_up(rows, "outside_window", "window", closed, status="skipped")
        return []
    unreadable = [row for row in rows if row.body is None]
    if unreadable:  # never send the redacted text in its place
        _give_up(rows, "send_error", "sealed", "the reply's sealed copy does not open with the current key "
                 "(TOKEN_ENCRYPTION_KEY or SECRET_KEY changed)")
        return []
    sent: list[dict] = []
    for i, row in enumerate(rows):
        result = _send(account, row)
        if not result.ok:
            _mark_sent(sent)  # before the retry job is queued: it must not send these parts again
            _after_failure(event_key, row, rows[i + 1:], result)
            return []
        sent.append({"id": row.id, "attempts": row.attempts, "platform_message_id": result.message_id})
    return sent


def _mark_sent(sent: list[dict]) -> None:
    """One write for the parts sent. A crash before it re-sends them (at least once, never lost)."""
    if not sent:
        return
    now = datetime.now(timezone.utc)
    with session_scope() as db:
        # a sent body is of no more use: the sealed copy goes (what staff may see stays, until RETENTION_DAYS)
        db.execute(update(Delivery), [dict(part, status="sent", error_code=None, error_message=None, sealed=None,
                                           updated_at=now) for part in sent])


def _after_failure(event_key: str, row: Part, rest: list[Part], result: SendResult) -> None:
    config = current_app.config
    detail = result.detail or result.reason
    if result.outcome == TRANSIENT and row.attempts < config["DELIVERY_MAX_ATTEMPTS"]:
        _update(row.id, status="retrying", attempts=row.attempts, error_code=result.code, error_message=detail)
        delay = backoff(row.attempts)
        log.info("%s send failed (%s), attempt %d; retry in %.2fs", row.platform, result.code, row.attempts, delay)
        from channels.worker import deliver_job

        current_app.extensions["jobs"].enqueue(deliver_job, event_key, delay=delay)
        return
    reason = result.reason if result.outcome == PERMANENT else "retries_exhausted"
    log.warning("%s reply to a resident failed for good: %s (code %s)", row.platform, reason, result.code)
    _give_up([row], reason or "rejected", result.code, detail)
    if rest:
        _give_up(rest, "not_sent", result.code, "an earlier part of the same answer failed")


def backoff(attempts: int) -> float:
    """Exponential delay in seconds with 'equal jitter': half fixed, half random."""
    config = current_app.config
    ceiling = min(config["DELIVERY_RETRY_MAX_MS"], config["DELIVERY_RETRY_BASE_MS"] * 2 ** max(0, attempts - 1))
    return (ceiling / 2 + random.uniform(0, ceiling / 2)) / 1000


def _send(account: Account, row: Part) -> SendResult:
    row.attempts += 1  # stored with the outcome: one write per send
    if account.platform == FACEBOOK:
        result = facebook_send.send(account.access_token or "", row.user_id, row.body)
    else:
        result = _send_zalo(account, row)
    metrics.SENDS.labels(account.platform, "ok" if result.ok else result.outcome, str(result.code or "")).inc()
    return result


def _send_zalo(account: Account, row: Part) -> SendResult:
    return _with_zalo_token(account, lambda token: zalo_send.send(token, row.user_id, row.body))


def send_outreach(account: Account, user: str, message: dict, route: str) -> SendResult:
    """One campaign message (outreach/): the same send clients, token refresh and error reading as a
    reply. `route` "window": a message inside the window (Messenger UPDATE, Zalo consultation);
    "template": `message` is {"template": ...} (Messenger utility) or {"zalo_template": ...} (ZBS)."""
    if account.platform == FACEBOOK:
        kind = "UTILITY" if route == "template" else "UPDATE"
        return facebook_send.send(account.access_token or "", user, message, messaging_type=kind)
    if route == "template":
        template = message["zalo_template"]
        return _with_zalo_token(account, lambda token: zalo_send.send_template(
            token, user, template["template_id"], template["data"]))
    return _with_zalo_token(account, lambda token: zalo_send.send(token, user, message))


def _with_zalo_token(account: Account, call: Callable[[str], SendResult]) -> SendResult:
    try:
        token = zalo_tokens.access_token(account.id)
        result = call(token)
        if result.outcome == STALE_TOKEN:  # revoked or replaced early: one refresh, one more try
            token = zalo_tokens.refresh(account.id, stale=token)
            result = call(token)
    except zalo_tokens.TokenRefreshError as error:
        return SendResult(TRANSIENT if error.transient else PERMANENT, code=error.code, detail=str(error),
                          reason="token_refresh_failed")
    if result.outcome == STALE_TOKEN:
        return SendResult(PERMANENT, code=result.code, detail=result.detail, reason="invalid_token")
    return result


def window_closed(db: Session, account: Account, user: str) -> str | None:
    """Why a normal reply may not be sent now, or None while the messaging window is open."""
    last = db.scalar(select(func.max(Subscriber.last_message_at)).where(
        Subscriber.channel == account.platform, Subscriber.user_id == user,
        Subscriber.commune_id == account.commune_id))
    return window_reason(account, last)


def window_reason(account: Account, last: datetime | None) -> str | None:
    """Why a reply may not be sent to a resident who last wrote at `last`; None inside the window."""
    config = current_app.config
    hours = config["MESSENGER_WINDOW_HOURS"] if account.platform == FACEBOOK else config["ZALO_WINDOW_HOURS"]
    last = as_utc(last)
    if last is None:
        return "the resident has not written to this page/OA"
    age = (datetime.now(timezone.utc) - last).total_seconds() / 3600
    if age > hours:
        return f"outside the {hours} h messaging window: the resident last wrote {age:.1f} h ago"
    return None


def _update(delivery_id: int, **values) -> None:
    with session_scope() as db:
        db.execute(update(Delivery).where(Delivery.id == delivery_id)
                   .values(**values, updated_at=datetime.now(timezone.utc)))


def _give_up(rows: list[Part], reason: str, code: str | None, detail: str | None, status: str = "failed") -> None:
    now = datetime.now(timezone.utc)
    with session_scope() as db:
        for row in rows:
            db.execute(update(Delivery).where(Delivery.id == row.id).values(
                status=status, error_code=code, error_message=(detail or reason)[:500], attempts=row.attempts,
                updated_at=now))
            _keep_dead_letter(db, row, reason, code, (detail or "")[:500], now)
    metrics.DEAD_LETTERS.labels(reason[:40]).inc(len(rows))


def keep_outreach_dead_letter(account: Account, user: str, body: dict, reason: str, code: str | None,
                              detail: str | None, attempts: int) -> None:
    """A campaign message that failed for good: staff see it with the replies that did not get through."""
    with session_scope() as db:
        db.add(DeadLetter(delivery_id=None, platform=account.platform, commune_id=account.commune_id, user_id=user,
                          reason=reason[:40], error_code=code, detail=(detail or reason)[:500], body=body,
                          attempts=attempts))


def _keep_dead_letter(db: Session, row: Part, reason: str, code: str | None, detail: str, now: datetime) -> None:
    """One dead letter per part: a part staff sent again that fails again reopens its letter."""
    letter = db.scalar(select(DeadLetter).where(DeadLetter.delivery_id == row.id))
    if letter is None:
        db.add(DeadLetter(delivery_id=row.id, platform=row.platform, commune_id=row.commune_id, user_id=row.user_id,
                          reason=reason, error_code=code, detail=detail,
                          body=row.shown if row.shown is not None else row.body, attempts=row.attempts))
        return
    letter.reason, letter.error_code, letter.detail, letter.attempts = reason, code, detail, row.attempts
    letter.created_at, letter.resolved_at, letter.resolved_by = now, None, None


def drop_sealed(db: Session, delivery_ids: list[int]) -> None:
    """The reply will not be sent again (its dead letter is handled): its sealed copy goes."""
    if delivery_ids:
        db.execute(update(Delivery).where(Delivery.id.in_(delivery_ids), Delivery.status.not_in(OPEN))
                   .values(sealed=None))


def resend(delivery_id: int, by: str | None = None) -> bool:
    """Staff try a reply that did not get through once more (a token replaced, the resident wrote again).

    The part and the unsent parts after it go back to pending with fresh attempts, their dead letters
    are closed (by `by`, the staff username), and a job sends them through the usual path (window check,
    retries, dead letter again on failure). False when the part is not failed or skipped (sent meanwhile,
    or unknown)."""
    now = datetime.now(timezone.utc)
    with session_scope() as db:
        part = db.get(Delivery, delivery_id)
        if part is None or part.status not in ("failed", "skipped"):
            return False
        again = select(Delivery.id).where(Delivery.event_key == part.event_key, Delivery.seq >= part.seq,
                                          Delivery.status.in_(("failed", "skipped")))
        ids = list(db.scalars(again))
        db.execute(update(Delivery).where(Delivery.id.in_(ids)).values(
            status="pending", attempts=0, error_code=None, error_message=None, updated_at=now))
        db.execute(update(DeadLetter).where(DeadLetter.delivery_id.in_(ids), DeadLetter.resolved_at.is_(None))
                   .values(resolved_at=now, resolved_by=by))
        event_key = part.event_key
    from channels.worker import deliver_job

    current_app.extensions["jobs"].enqueue(deliver_job, event_key)
    return True
