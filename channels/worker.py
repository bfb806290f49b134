"""Worker jobs: drain a shard of the inbox (answer its events in order), answer one platform event,
and resume a delivery after a transient failure.

They run inside an app context (RQ: infra.jobs.run_in_app; embedded: the ThreadQueue).
"""
from __future__ import annotations

import json
import logging
import threading
from datetime import datetime, timezone

from flask import current_app
from sqlalchemy.exc import DBAPIError

from bot import payloads
from bot.engine import handle_turn
from bot.messages import Incoming, Reply
from channels import delivery, facebook_send, zalo_send
from channels.accounts import Account, cached_account
from channels.events import Event
from channels.inbox import inbox
from channels.models import FACEBOOK, DeadLetter
from infra.db import get_session, pinned_connection, session_scope
from infra.models import Subscriber
from knowledge.store import knowledge_base

log = logging.getLogger(__name__)

RENDERERS = {FACEBOOK: facebook_send.render, "zalo": zalo_send.render}


DRAIN_BATCH = 50  # events moved to the processing list at a time


def drain_shard(shard: int) -> None:
    """Answer the shard's events in arrival order until its list stays empty."""
    box = inbox()
    with pinned_connection():
        while True:
            batch = box.take(shard, DRAIN_BATCH)
            if not batch:
                if box.release(shard):
                    break
                continue
            for raw in batch:
                _process_safely(raw)
                box.ack(shard)
    sweep_orphaned_shards()


def sweep_orphaned_shards() -> list[int]:
    """Start a drainer for every shard whose drainer died (its flag lapsed with events left):
    called after each drain, so a crash is recovered by the next traffic on any shard."""
    claimed = inbox().claim_orphans()
    for shard in claimed:
        current_app.extensions["jobs"].enqueue(drain_shard, shard)
    return claimed


def _process_safely(raw: str) -> None:
    """One event's failure (a bug, the database away) must not hold up the residents behind it;
    it is kept as a dead letter, so staff see that a resident went unanswered."""
    try:
        _process_reconnecting(raw)
    except Exception as error:
        log.exception("event %s not answered", _key_of(raw))
        _discard_turn()
        _keep_unanswered(raw, error)


def _process_reconnecting(raw: str) -> None:
    """A connection the database dropped (a restart, a failover) fails the first statement of the
    turn; the job's pinned connection is replaced after the rollback, so the event is answered anew."""
    try:
        process_event(json.loads(raw))
    except DBAPIError as error:
        if not error.connection_invalidated:
            raise
        log.warning("database connection lost; answering event %s on a new one", _key_of(raw))
        _discard_turn()
        process_event(json.loads(raw))


def _discard_turn() -> None:
    """The failed turn's uncommitted records must not ride on the next event's commit; rolling back
    is also what lets a connection broken meanwhile be replaced."""
    try:
        get_session().rollback()
    except Exception:
        log.exception("rollback after a failed event failed")


def _keep_unanswered(raw: str, error: Exception) -> None:
    try:
        data = json.loads(raw)
        with session_scope() as session:
            session.add(DeadLetter(
                platform=str(data.get("platform") or "unknown"), user_id=str(data.get("user") or ""),
                commune_id=_commune_id(data), reason="not_answered", error_code=type(error).__name__,
                detail=str(error)[:500], body=data,
            ))
    except Exception:  # the database itself is away: the log line above is all that can be kept
        log.exception("event %s could not be kept as a dead letter", _key_of(raw))


def _commune_id(data: dict) -> int | None:
    account = cached_account(data.get("platform"), data.get("account"))
    return account.commune_id if account is not None else None


def _key_of(raw: str) -> str:
    try:
        return str(json.loads(raw).get("key"))
    except ValueError:
        return "(unreadable)"


def process_event(data: dict) -> None:
    event = Event.from_dict(data)
    account = cached_account(event.platform, event.account)
    if account is None:
        log.warning("%s event for unknown page/OA %s acknowledged and dropped", event.platform, event.account)
        return
    if event.kind == "unfollow":
        record_unfollow(event, account)
        return
    incoming = to_incoming(event, account)
    replies, lang = _answer(incoming, account)
    messages = RENDERERS[event.platform](replies, lang)
    # one transaction for the turn and the deliveries that answer it
    delivery.schedule(account, event.key, event.user, messages, db=get_session(), wrote_at=incoming.time)


def deliver_job(event_key: str) -> None:
    delivery.deliver(event_key)


def to_incoming(event: Event, account: Account) -> Incoming:
    moment = datetime.fromtimestamp(event.timestamp_ms / 1000, timezone.utc) if event.timestamp_ms else \
        datetime.now(timezone.utc)
    common = {"channel": event.platform, "commune": account.commune_slug, "user": event.user,
              "message_id": event.message_id, "time": moment}
    if event.kind == "referral":
        return Incoming(**common, kind="referral", payload=referral_payload(event.ref))
    return Incoming(**common, kind=event.kind, text=event.text, payload=event.payload, attachment=event.attachment)


def referral_payload(ref: str | None) -> str:
    """m.me/PAGE?ref=<intent id> opens that guide; any other ref is a plain start."""
    if ref and ref in knowledge_base().snapshot().entries:
        return payloads.ask(ref)
    return payloads.START


def _answer(incoming: Incoming, account: Account) -> tuple[list[Reply], str]:
    """The engine's replies and language; on Messenger a "typing…" bubble if they are slow to come."""
    if account.platform != FACEBOOK or not account.access_token:
        return handle_turn(incoming, commit=False)
    config = current_app.config
    args = (config["FACEBOOK_GRAPH_URL"], config["SEND_TIMEOUT"], account.access_token, incoming.user)
    after = config["TYPING_INDICATOR_AFTER_MS"] / 1000
    if after <= 0:
        facebook_send.typing_on(*args)
        return handle_turn(incoming, commit=False)
    timer = threading.Timer(after, facebook_send.typing_on, args=args)
    timer.daemon = True
    timer.start()
    try:
        return handle_turn(incoming, commit=False)
    finally:
        timer.cancel()


def record_unfollow(event: Event, account: Account) -> None:
    """The resident left the OA: no reply (it could not be delivered), no more reminders."""
    with session_scope() as db:
        subscriber = db.query(Subscriber).filter_by(channel=event.platform, user_id=event.user,
                                                    commune_id=account.commune_id).one_or_none()
        if subscriber is None:
            subscriber = Subscriber(channel=event.platform, user_id=event.user, commune_id=account.commune_id)
            db.add(subscriber)
        subscriber.reminders_opt_in = False
        subscriber.unsubscribed_at = datetime.now(timezone.utc)
