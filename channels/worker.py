"""Worker jobs: drain a shard of the inbox (answer its events in order, a batch at a time), and
resume a delivery after a transient failure.

They run inside an app context (RQ: worker.run_in_app; embedded: the ThreadQueue).
"""
from __future__ import annotations

import json
import logging
import random
import time
from dataclasses import dataclass
from datetime import datetime, timezone

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from bot import campaign_links
from channels import receipts
from bot.engine import answer_turn
from bot.messages import Incoming
from bot.records import TurnRecords, write_records
from channels import delivery, facebook_send, zalo_send
from channels.accounts import Account, cached_account, commune_id_of
from channels.crypto import TokenKeyError
from channels.events import Event
from channels.inbox import FLAG_TTL, inbox
from channels.models import FACEBOOK, DeadLetter
from channels.timers import Later, timers
from infra import metrics, sealing
from infra.db import get_session, pinned_connection, session_scope
from infra.logs import log_context
from infra.models import Commune, Subscriber
from infra.outage import StoreUnavailable, is_outage
from knowledge.store import knowledge_base

log = logging.getLogger(__name__)

RENDERERS = {FACEBOOK: facebook_send.render, "zalo": zalo_send.render}
DEAD_LETTER = "dead-letter"  # infra.sealing purpose of an unanswered event's words


DRAIN_BATCH = 50  # events answered together: their records and deliveries are written in one transaction


def drain_shard(shard: int) -> None:
    """Answer the shard's events in arrival order until its list stays empty.

    An event leaves the shard only once its answer or its dead letter is written. When that cannot
    be done (the database down or refusing writes, Redis away) the batch stays unacknowledged and
    the shard is held for a backoff; when the hold lapses the next sweep starts a new drainer (no
    scheduler needed: sweeps run after every drain and every INBOX_SWEEP_SECONDS in each worker)."""
    box = inbox()
    try:
        with pinned_connection():
            _drain(box, shard)
    except Exception as error:
        _drain_later(box, shard, error)
        return
    _forget_put_offs(shard)
    sweep_orphaned_shards()


def _tries_key(shard: int) -> str:
    return f"inbox:{shard}:tries"


def _forget_put_offs(shard: int) -> None:
    """The shard drained: its next outage starts the backoff from the beginning."""
    store = current_app.extensions["store"]
    try:
        if store.get(_tries_key(shard)) is not None:
            store.delete(_tries_key(shard))
    except Exception as error:  # Redis just went away: the counter expires on its own
        log.warning("backoff counter of shard %d not reset (%s)", shard, type(error).__name__)


def _drain_later(box, shard: int, error: Exception) -> None:
    """Hold the shard's flag for a backoff (no drainer meanwhile, the events stay in order)."""
    config, jobs = current_app.config, current_app.extensions["jobs"]
    if not getattr(jobs, "runs_later", True):  # inline jobs (tests, CLI): the caller sees the failure
        _abandon_quietly(box, shard)
        raise error
    outage = is_outage(error)
    metrics.DRAINS_PUT_OFF.labels("outage" if outage else "error").inc()
    try:
        tries = current_app.extensions["store"].incr(_tries_key(shard), ttl=10 * 60)
        ceiling = min(config["INBOX_RETRY_MAX_SECONDS"], config["INBOX_RETRY_BASE_SECONDS"] * 2 ** min(tries - 1, 16))
        delay = ceiling / 2 + random.uniform(0, ceiling / 2)
        box.hold(shard, delay)
    except Exception as again:  # Redis away too: the flag is cleared or lapses, and a sweep takes over
        log.warning("shard %d not drained (%s), nor held (%s); a sweep will start it again", shard,
                    type(error).__name__, type(again).__name__)
        _abandon_quietly(box, shard)
        return
    log.warning("shard %d not drained, %s (%s); its events stay queued, next try in %.1f s", shard,
                "a store is away" if outage else "the batch failed", type(error).__name__, delay, exc_info=not outage)


def _abandon_quietly(box, shard: int) -> None:
    try:
        box.abandon(shard)
    except Exception as error:  # the flag lapses after FLAG_TTL
        log.warning("drain flag of shard %d not cleared (%s)", shard, type(error).__name__)


def _drain(box, shard: int) -> None:
    while True:
        batch = box.take(shard, DRAIN_BATCH)
        if not batch:
            if box.release(shard):
                return
            continue
        answer_batch(batch, keepalive=lambda: box.hold(shard, FLAG_TTL))
        box.ack(shard, len(batch))


def sweep_orphaned_shards() -> list[int]:
    """Start a drainer for every shard whose drainer died (its flag lapsed with events left) or
    gave up: run after each drain and every INBOX_SWEEP_SECONDS by the workers."""
    claimed = inbox().claim_orphans()
    for shard in claimed:
        current_app.extensions["jobs"].enqueue(drain_shard, shard)
    return claimed


@dataclass
class _Answered:
    raw: str
    answer: delivery.Outgoing
    records: TurnRecords
    typing: Later | None = None


KEEPALIVE_SECONDS = 5  # a batch whose sends are slow (a platform timing out) keeps its shard's flag alive


def answer_batch(raws: list[str], keepalive=None) -> None:
    """Answer events in order, each turn on its own, then write all their records and reply parts
    in one transaction and send the replies: a few statements per batch instead of per event.
    `keepalive` (the drainer's: refresh the shard's flag) is called every KEEPALIVE_SECONDS of sending."""
    events = [(raw, _loaded(raw)) for raw in raws]
    communes = _reconnecting(_communes_of, [data for _raw, data in events if data is not None])
    answered = [item for item in (_answer_safely(raw, data, communes) for raw, data in events) if item is not None]
    prepared = _record_safely(answered)
    typing = {item.answer.event_key: item.typing for item in answered if item.typing is not None}
    last = [time.monotonic()]

    def before_each(answer: delivery.Outgoing) -> None:
        _stop_typing(typing.get(answer.event_key))
        if keepalive is not None and time.monotonic() - last[0] > KEEPALIVE_SECONDS:
            keepalive()
            last[0] = time.monotonic()

    try:
        delivery.send(prepared, before_each=before_each)
    finally:  # answers that could not be recorded, or a send that raised: no bubble for them either
        for later in typing.values():
            later.cancel()


def _stop_typing(later: Later | None) -> None:
    if later is not None:  # the answer goes out now: no bubble after it
        later.cancel()


def _loaded(raw: str) -> dict | None:
    """The event's fields, parsed once for the batch; None if unreadable (it becomes a dead letter)."""
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def _communes_of(events: list[dict]) -> dict[str, Commune]:
    """The batch's communes, read once (their facts answer questions about hours and address)."""
    slugs = set()
    for data in events:
        try:
            account = cached_account(data.get("platform"), data.get("account"))
        except TokenKeyError:  # that commune's residents become dead letters; the others are answered
            continue
        if account is not None:
            slugs.add(account.commune_slug)
    session = get_session()
    communes = {c.slug: c for c in session.scalars(select(Commune).where(Commune.slug.in_(slugs)))} if slugs else {}
    session.commit()  # no transaction held open across the turns (expire_on_commit is off: they stay loaded)
    return communes


def _answer_safely(raw: str, data: dict | None, communes: dict[str, Commune]) -> _Answered | None:
    """One event's failure (a bug, the database away) must not hold up the residents behind it;
    it is kept as a dead letter, so staff see that a resident went unanswered."""
    token = log_context.set(str(data.get("key")) if data is not None else "(unreadable)")
    try:
        return _reconnecting(_answer_event, raw, data, communes)
    except Exception as error:
        if is_outage(error):  # nothing about this event can be written now: the batch stays queued
            raise
        log.exception("event %s not answered", _key_of(raw))
        _discard_turn()
        _keep_unanswered(raw, error)
        return None
    finally:
        log_context.reset(token)


def _record_safely(answered: list[_Answered]) -> list[delivery.Prepared]:
    """The batch in one transaction; if that fails, each answer in its own, so one bad row costs
    one resident (a dead letter), not the batch."""
    try:
        return _reconnecting(_record, answered)
    except Exception as error:
        if is_outage(error):
            raise
        log.exception("writing a batch of %d answers failed; writing them one by one", len(answered))
        _discard_turn()
    prepared = []
    for item in answered:
        try:
            prepared += _reconnecting(_record, [item])
        except Exception as error:
            if is_outage(error):
                raise
            log.exception("event %s not answered", item.answer.event_key)
            _discard_turn()
            _keep_unanswered(item.raw, error)
    return prepared


def _record(answered: list[_Answered]) -> list[delivery.Prepared]:
    session = get_session()
    records = TurnRecords()
    for item in answered:
        records.extend(item.records)
    write_records(session, records)
    prepared = delivery.record(session, [item.answer for item in answered])
    session.commit()
    return prepared


def _reconnecting(fn, *args):
    """A connection the database dropped (a restart, a failover) fails the first statement after it;
    the job's pinned connection is replaced after the rollback, so the work is done anew once."""
    try:
        return fn(*args)
    except DBAPIError as error:
        if not error.connection_invalidated:
            raise
        log.warning("database connection lost; trying %s again on a new one", fn.__name__)
        _discard_turn()
        return fn(*args)


def _discard_turn() -> None:
    """The failed turn's uncommitted records must not ride on the next event's commit; rolling back
    is also what lets a connection broken meanwhile be replaced."""
    try:
        get_session().rollback()
    except Exception:
        log.exception("rollback after a failed event failed")


def _keep_unanswered(raw: str, error: Exception) -> None:
    """The event's dead letter, with its body; without it if the body itself cannot be stored. If no
    dead letter can be written, StoreUnavailable: the event must stay queued, not vanish."""
    try:
        data = json.loads(raw)
    except ValueError:
        data = None
    data = data if isinstance(data, dict) else {"unreadable": raw[:2000]}
    letter = {"platform": str(data.get("platform") or "unknown")[:20], "user_id": str(data.get("user") or "")[:128],
              "reason": "not_answered", "error_code": type(error).__name__[:40], "detail": str(error)[:500]}
    try:
        _write_dead_letter({**letter, "commune_id": _commune_id(data), "body": sealed_event(data)})
    except Exception as first:
        if is_outage(first):
            raise StoreUnavailable("the dead letter of an unanswered event could not be written") from first
        log.exception("dead letter of event %s not written with its body; writing it without", _key_of(raw))
        _discard_turn()
        try:
            _write_dead_letter(letter)
        except Exception as second:
            raise StoreUnavailable("the dead letter of an unanswered event could not be written") from second
    metrics.DEAD_LETTERS.labels("not_answered").inc()


def _write_dead_letter(fields: dict) -> None:
    with session_scope() as session:
        session.add(DeadLetter(**fields))


UNSEALED_FIELDS = ("platform", "account", "user", "kind", "key", "timestamp_ms", "message_id", "attachment")


def sealed_event(data: dict) -> dict:
    """An unanswered event as its dead letter keeps it: ids and kind in clear, the resident's words
    (which may be a form detail) sealed for staff to read masked, and erased with the resident."""
    kept = {name: data.get(name) for name in UNSEALED_FIELDS if name in data}
    words = {name: data.get(name) for name in ("text", "payload", "ref") if data.get(name) is not None}
    return {**kept, "sealed": sealing.seal(words, DEAD_LETTER)} if words else kept


def _commune_id(data: dict) -> int | None:
    """The commune the event was for (so its staff see the letter), even when its tokens do not decrypt."""
    platform, external_id = data.get("platform"), data.get("account")
    if not isinstance(platform, str) or not isinstance(external_id, str):
        return None
    try:
        account = cached_account(platform, external_id)
    except TokenKeyError:
        return commune_id_of(platform, external_id)
    return account.commune_id if account is not None else None


def _key_of(raw: str) -> str:
    try:
        return str(json.loads(raw).get("key"))
    except ValueError:
        return "(unreadable)"


def _answer_event(raw: str, data: dict | None, communes: dict[str, Commune]) -> _Answered | None:
    """The engine's answer to one event, rendered for its platform; None when there is none to give."""
    if data is None:
        raise ValueError("the queued event is not a JSON object")
    event = Event.from_dict(data)
    account = cached_account(event.platform, event.account)
    if account is None:
        log.warning("%s event for unknown page/OA %s acknowledged and dropped", event.platform, event.account)
        return None
    if event.kind == "unfollow":
        record_unfollow(event, account)
        return None
    if event.kind == "read":
        receipts.notify(receipts.Receipt(
            event.platform, account.commune_id, event.user,
            watermark_ms=int(event.payload) if event.platform == FACEBOOK and event.payload else None,
            message_ids=tuple((event.payload or "").split(",")) if event.platform != FACEBOOK else ()))
        return None
    if event.kind == "echo":  # the platform's time of one of our messages: what read watermarks compare with
        receipts.notify(receipts.Receipt(event.platform, account.commune_id, event.user,
                                         message_ids=(event.message_id or "",), sent_ms=event.timestamp_ms))
        return None
    incoming = to_incoming(event, account)
    typing = _typing_later(account, incoming.user)
    try:
        answer = answer_turn(incoming, communes.get(account.commune_slug))
    except BaseException:
        _stop_typing(typing)
        raise
    session = get_session()
    if session.in_transaction():  # the turn wrote through the session (a form, a handoff): keep it now
        session.commit()
    render = RENDERERS[event.platform]
    messages = render(answer.replies, answer.lang)
    _count_answer(event, answer)
    # a form summary is sent as the resident typed it; its delivery row and dead letter keep field names
    shown = render([r.for_record() for r in answer.replies], answer.lang) \
        if any(r.redacted is not None for r in answer.replies) else None
    return _Answered(raw, delivery.Outgoing(account, event.key, event.user, messages, wrote_at=incoming.time,
                                            shown=shown), answer.records, typing)


def _count_answer(event: Event, answer) -> None:
    """Metrics: the answer's decision and intent, and how long the event waited in the inbox."""
    logged = answer.records.messages[0] if answer.records.messages else {}
    metrics.ANSWERS.labels(event.platform, logged.get("decision") or "none", logged.get("intent") or "none").inc()
    if event.queued_ms:
        metrics.QUEUE_LATENCY.observe(max(0.0, time.time() - event.queued_ms / 1000))


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
    """m.me/PAGE?ref=<intent id>[__c<campaign id>] opens that guide; any other ref is a plain start."""
    return campaign_links.referral_payload(ref, knowledge_base().snapshot().entries)


def _typing_later(account: Account, user: str) -> Later | None:
    """On Messenger, a "typing…" bubble if the answer has not gone out after a while."""
    if account.platform != FACEBOOK or not account.access_token:
        return None
    config = current_app.config
    args = (config["FACEBOOK_GRAPH_URL"], config["SEND_TIMEOUT"], account.access_token, user)
    after = config["TYPING_INDICATOR_AFTER_MS"] / 1000
    if after <= 0:  # always, and before the answer
        facebook_send.typing_on(*args)
        return None
    return timers.call_later(after, facebook_send.typing_on, *args)


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
