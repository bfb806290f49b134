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
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Iterator

from flask import current_app
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from channels import facebook_send, zalo_send, zalo_tokens
from channels.accounts import Account, get_account
from channels.models import FACEBOOK, DeadLetter, Delivery
from channels.results import PERMANENT, STALE_TOKEN, TRANSIENT, SendResult
from channels.tenancy import as_utc
from infra.db import session_scope
from infra.models import Subscriber

log = logging.getLogger(__name__)

OPEN = ("pending", "retrying")


def schedule(account: Account, event_key: str, user: str, messages: list[dict], db: Session | None = None,
             wrote_at: datetime | None = None) -> None:
    """Record the answer's parts (once, even if the job runs twice) and send them.

    With `db`, the parts are written and committed in the caller's transaction (the worker: together
    with the turn they answer). `wrote_at`, when the caller knows it, is when the resident last wrote
    (the event being answered), so the messaging window needs no query."""
    with _committing(db) as db:
        rows = _record(db, account, event_key, user, messages)
        if not rows:
            closed = None
        elif wrote_at is not None:  # the query only when the event looks old: a later message may reopen it
            closed = window_reason(account, wrote_at) and window_closed(db, account, user)
        else:
            closed = window_closed(db, account, user)
        for row in rows:  # sending counts attempts on the rows: that must not reach the caller's next flush
            db.expunge(row)
    _send_open(event_key, account, rows, closed)


def deliver(event_key: str, account: Account | None = None) -> None:
    """Send the parts not yet sent, in order; stop at the first failure."""
    with session_scope() as db:
        rows = _open_rows(db, event_key)
        if rows and account is None:
            account = get_account(db, rows[0].account_id)
        closed = window_closed(db, account, rows[0].user_id) if rows and account else None
    _send_open(event_key, account, rows, closed)


@contextmanager
def _committing(db: Session | None) -> Iterator[Session]:
    if db is None:
        with session_scope() as own:
            yield own
        return
    try:
        yield db
        db.commit()
    except BaseException:
        db.rollback()
        raise


def _record(db: Session, account: Account, event_key: str, user: str, messages: list[dict]) -> list[Delivery]:
    """The answer's open parts: written now, or those a previous run of the same job left unsent."""
    if db.scalar(select(Delivery.id).where(Delivery.event_key == event_key).limit(1)) is not None:
        return _open_rows(db, event_key)
    rows = [Delivery(event_key=event_key, seq=i, platform=account.platform, account_id=account.id,
                     commune_id=account.commune_id, user_id=user, body=body, status="pending", attempts=0)
            for i, body in enumerate(messages)]
    db.add_all(rows)
    db.flush()
    return rows


def _open_rows(db: Session, event_key: str) -> list[Delivery]:
    return list(db.scalars(select(Delivery).where(Delivery.event_key == event_key, Delivery.status.in_(OPEN))
                           .order_by(Delivery.seq)))


def _send_open(event_key: str, account: Account | None, rows: list[Delivery], closed: str | None) -> None:
    if not rows:
        return
    if account is None:
        _give_up(rows, "unknown_account", "unknown_account", "the Page/OA was removed before the reply was sent")
        return
    if closed:
        _give_up(rows, "outside_window", "window", closed, status="skipped")
        return
    sent: list[dict] = []
    for i, row in enumerate(rows):
        result = _send(account, row)
        if not result.ok:
            _mark_sent(sent)
            _after_failure(event_key, row, rows[i + 1:], result)
            return
        sent.append({"id": row.id, "attempts": row.attempts, "platform_message_id": result.message_id})
    _mark_sent(sent)


def _mark_sent(sent: list[dict]) -> None:
    """One write for the parts sent in a row. A crash before it re-sends them (at least once, never lost)."""
    if not sent:
        return
    now = datetime.now(timezone.utc)
    with session_scope() as db:
        db.execute(update(Delivery), [dict(part, status="sent", error_code=None, error_message=None, updated_at=now)
                                      for part in sent])


def _after_failure(event_key: str, row: Delivery, rest: list[Delivery], result: SendResult) -> None:
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


def _send(account: Account, row: Delivery) -> SendResult:
    row.attempts += 1  # stored with the outcome: one write per send
    if account.platform == FACEBOOK:
        return facebook_send.send(account.access_token or "", row.user_id, row.body)
    return _send_zalo(account, row)


def _send_zalo(account: Account, row: Delivery) -> SendResult:
    try:
        token = zalo_tokens.access_token(account.id)
        result = zalo_send.send(token, row.user_id, row.body)
        if result.outcome == STALE_TOKEN:  # revoked or replaced early: one refresh, one more try
            token = zalo_tokens.refresh(account.id, stale=token)
            result = zalo_send.send(token, row.user_id, row.body)
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


def _give_up(rows: list[Delivery], reason: str, code: str | None, detail: str | None, status: str = "failed") -> None:
    now = datetime.now(timezone.utc)
    with session_scope() as db:
        for row in rows:
            db.execute(update(Delivery).where(Delivery.id == row.id).values(
                status=status, error_code=code, error_message=(detail or reason)[:500], attempts=row.attempts,
                updated_at=now))
            _keep_dead_letter(db, row, reason, code, (detail or "")[:500], now)


def _keep_dead_letter(db: Session, row: Delivery, reason: str, code: str | None, detail: str, now: datetime) -> None:
    """One dead letter per part: a part staff sent again that fails again reopens its letter."""
    letter = db.scalar(select(DeadLetter).where(DeadLetter.delivery_id == row.id))
    if letter is None:
        db.add(DeadLetter(delivery_id=row.id, platform=row.platform, commune_id=row.commune_id, user_id=row.user_id,
                          reason=reason, error_code=code, detail=detail, body=row.body, attempts=row.attempts))
        return
    letter.reason, letter.error_code, letter.detail, letter.attempts = reason, code, detail, row.attempts
    letter.created_at, letter.resolved_at = now, None


def resend(delivery_id: int) -> bool:
    """Staff try a reply that did not get through once more (a token replaced, the resident wrote again).

    The part and the unsent parts after it go back to pending with fresh attempts, their dead letters
    are closed, and a job sends them through the usual path (window check, retries, dead letter again
    on failure). False when the part is not failed or skipped (sent meanwhile, or unknown)."""
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
                   .values(resolved_at=now))
        event_key = part.event_key
    from channels.worker import deliver_job

    current_app.extensions["jobs"].enqueue(deliver_job, event_key)
    return True
