"""Sending a running campaign: workers take rows under a lease, send each through channels/ at the
Page's or OA's shared pace, and record its fate at once.

A row goes pending -> sending (leased for OUTREACH_LEASE_SECONDS) -> sent | skipped | failed. Each
sent row is written as soon as the platform accepts it, so a worker killed mid-batch leaves at most
the one message in flight to be sent twice; its other rows wait for their lease to pass and are
taken again. Send jobs hold a slot key in the store while they work; the periodic sweep restarts
the slots of running campaigns whose job died (a killed worker, a Redis restart). Nothing is sent
during the campaign's quiet hours.
"""
from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from flask import current_app
from sqlalchemy import and_, or_, select, update

from bot import campaign_links
from bot.messages import Button, QuickReply, Reply
from channels import delivery, facebook_send, zalo_send
from channels.accounts import Account, get_account
from channels.models import FACEBOOK
from channels.results import SENT as SENT_OK, TRANSIENT, SendResult
from i18n import N_, gettext
from infra import metrics
from infra.db import pinned_connection, session_scope
from infra.jobs import InlineQueue
from infra.models import Commune, Subscriber
from outreach import ratelimit
from outreach.audience import commune_options
from outreach.models import FAILED, PENDING, RUNNING, SENDING, SENT, SKIPPED, Campaign, CampaignDelivery, DONE
from outreach.platform_rules import TEMPLATE, Rules, fate, next_morning, quiet_wait

log = logging.getLogger(__name__)

OPEN_GUIDE = N_("Open the guide")  # the campaign button's title
NIGHT = {"night"}  # Zalo -234 / -133: not at night: again when the quiet hours end
DAILY = {"oa_daily_limit", "template_daily_limit", "out_of_quota"}  # again tomorrow morning
WINDOW_CLOSED = {"outside_window"}  # the platform says the window closed: template if any, else skipped
RESIDENT_SIDE = {"user_unreachable", "user_refused", "not_follower", "recipient_quota"}  # no staff action


def _slot_key(campaign_id: int, slot: int) -> str:
    return f"outreach:sender:{campaign_id}:{slot}"


def kick(campaign_id: int) -> None:
    """Queue the campaign's send jobs (a slot already held by a live job is left alone)."""
    jobs = current_app.extensions["jobs"]
    for slot in range(int(current_app.config["OUTREACH_SENDERS"])):
        jobs.enqueue(send_job, campaign_id, slot, None)


def sweep() -> None:
    """Periodic upkeep in every worker: running campaigns whose slot key vanished get a new job."""
    store = current_app.extensions["store"]
    with session_scope() as db:
        running = list(db.scalars(select(Campaign.id).where(Campaign.status == RUNNING)))
    for campaign_id in running:
        for slot in range(int(current_app.config["OUTREACH_SENDERS"])):
            if store.get(_slot_key(campaign_id, slot)) is None:
                current_app.extensions["jobs"].enqueue(send_job, campaign_id, slot, None)


@dataclass
class _Context:
    """What a send job reads once: the campaign, its communes' options and accounts."""
    campaign: Campaign
    options: dict
    names: dict[int, str]
    rules: Rules
    accounts: dict[tuple[int, str], Account | None] = field(default_factory=dict)

    def account(self, commune_id: int, platform: str) -> Account | None:
        key = (commune_id, platform)
        if key not in self.accounts:
            from channels.models import ChannelAccount

            with session_scope() as db:
                account_id = db.scalar(select(ChannelAccount.id).where(ChannelAccount.commune_id == commune_id,
                                                                       ChannelAccount.platform == platform))
                self.accounts[key] = get_account(db, account_id) if account_id else None
        return self.accounts[key]


def send_job(campaign_id: int, slot: int, owner: str | None) -> None:
    """Send for up to OUTREACH_SLICE_SECONDS, then queue the next slice (other jobs run between)."""
    config, store = current_app.config, current_app.extensions["store"]
    key, lease = _slot_key(campaign_id, slot), float(config["OUTREACH_LEASE_SECONDS"])
    if owner is None or store.get(key) != owner:
        owner = uuid.uuid4().hex
        if not store.set_if_absent(key, owner, ttl=lease):
            return  # another live job has this slot
    again: float | None = None
    try:
        with pinned_connection():  # one database connection for the slice's many short transactions
            again = _send_slice(campaign_id, key, owner, lease)
    finally:
        if again is None:
            if store.get(key) == owner:
                store.delete(key)
        else:  # keep the slot while waiting, so the sweep does not start a second job
            store.set(key, owner, ttl=again + lease)
            jobs = current_app.extensions["jobs"]
            if not (isinstance(jobs, InlineQueue) and again > 0):  # inline (tests, CLI): no sleeping here
                jobs.enqueue(send_job, campaign_id, slot, owner, delay=again)


def _send_slice(campaign_id: int, key: str, owner: str, lease: float) -> float | None:
    """Seconds until this slot should run again, or None when it is done (paused, cancelled, finished)."""
    config, store = current_app.config, current_app.extensions["store"]
    deadline = time.monotonic() + float(config["OUTREACH_SLICE_SECONDS"])
    context = _context(campaign_id)
    if context is None:
        return None
    while time.monotonic() < deadline:
        now = datetime.now(timezone.utc)
        wait = quiet_wait(now, context.campaign.quiet_hours)
        scheduled = context.campaign.scheduled_at
        if scheduled is not None:
            wait = max(wait, (_utc(scheduled) - now).total_seconds())
        if wait > 0:
            return min(wait, 3600.0)
        if _status(campaign_id) != RUNNING:
            return None
        rows = _claim(campaign_id, int(config["OUTREACH_BATCH"]), lease)
        if not rows:
            return _idle(campaign_id)
        store.set(key, owner, ttl=lease)  # this job is alive: the sweep leaves its slot alone
        for row in rows:
            _send_row(context, row)
    return 0.0


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _context(campaign_id: int) -> _Context | None:
    with session_scope() as db:
        campaign = db.get(Campaign, campaign_id)
        if campaign is None or campaign.status != RUNNING:
            return None
        db.expunge(campaign)
        options = commune_options(db, campaign.commune_ids)
        for value in options.values():
            db.expunge(value)
        names = dict(db.execute(select(Commune.id, Commune.name).where(Commune.id.in_(campaign.commune_ids))).all())
    return _Context(campaign, options, names, Rules.from_config(current_app.config))


def _status(campaign_id: int) -> str | None:
    with session_scope() as db:
        return db.scalar(select(Campaign.status).where(Campaign.id == campaign_id))


@dataclass
class _Row:
    id: int
    platform: str
    commune_id: int
    user_id: str
    language: str
    link_token: str
    attempts: int
    last_message_at: datetime | None


def _claim(campaign_id: int, size: int, lease: float) -> list[_Row]:
    """Take up to `size` rows due now, or whose lease has passed (their worker died), under a new lease.
    FOR UPDATE SKIP LOCKED keeps two PostgreSQL workers off the same rows; SQLite has one writer."""
    now = datetime.now(timezone.utc)
    due = select(CampaignDelivery.id).where(
        CampaignDelivery.campaign_id == campaign_id,
        or_(and_(CampaignDelivery.status == PENDING,
                 or_(CampaignDelivery.not_before.is_(None), CampaignDelivery.not_before <= now)),
            and_(CampaignDelivery.status == SENDING, CampaignDelivery.lease_until < now)),
    ).order_by(CampaignDelivery.id).limit(size).with_for_update(skip_locked=True)
    with session_scope() as db:
        ids = list(db.scalars(due))
        if not ids:
            return []
        db.execute(update(CampaignDelivery).where(CampaignDelivery.id.in_(ids)).values(
            status=SENDING, lease_until=now + timedelta(seconds=lease), updated_at=now))
        rows = db.execute(select(CampaignDelivery.id, CampaignDelivery.platform, CampaignDelivery.commune_id,
                                 CampaignDelivery.user_id, CampaignDelivery.language, CampaignDelivery.link_token,
                                 CampaignDelivery.attempts, Subscriber.last_message_at)
                          .join(Subscriber, Subscriber.id == CampaignDelivery.subscriber_id)
                          .where(CampaignDelivery.id.in_(ids)).order_by(CampaignDelivery.id)).all()
    return [_Row(*row) for row in rows]


def _idle(campaign_id: int) -> float | None:
    """Nothing due now: finished (None, and the campaign is marked done) or when to look again."""
    with session_scope() as db:
        open_rows = db.execute(select(CampaignDelivery.status, CampaignDelivery.not_before,
                                      CampaignDelivery.lease_until)
                               .where(CampaignDelivery.campaign_id == campaign_id,
                                      CampaignDelivery.status.in_((PENDING, SENDING)))).all()
        if not open_rows:
            db.execute(update(Campaign).where(Campaign.id == campaign_id, Campaign.status == RUNNING)
                       .values(status=DONE, finished_at=datetime.now(timezone.utc)))
            return None
    now = datetime.now(timezone.utc)
    moments = [_utc(nb if status == PENDING else lease) for status, nb, lease in open_rows if (nb or lease)]
    soonest = min(((m - now).total_seconds() for m in moments), default=1.0)
    return min(max(soonest, 0.05), 30.0)


# --------------------------------------------------------------------------- one resident

def _send_row(context: _Context, row: _Row) -> None:
    account = context.account(row.commune_id, row.platform)
    if account is None:
        _finish(row, SKIPPED, reason="no_page_or_oa")
        return
    settings = context.options.get(row.commune_id)
    now = datetime.now(timezone.utc)
    chosen = fate(row.platform, row.last_message_at, now, context.rules,
                  facebook_template=bool(settings and settings.facebook_template),
                  zalo_template=bool(settings and settings.zalo_template),
                  zalo_paid=bool(settings and settings.zalo_paid_consultation))
    if chosen.route is None:
        _finish(row, SKIPPED, reason=chosen.reason)
        return
    blocked = current_app.extensions["store"].get(f"outreach:daily:{account.platform}:{account.external_id}")
    if blocked is not None:  # the OA's daily limit was reached: wait for tomorrow without calling
        _again(row, datetime.fromisoformat(blocked), None, "daily_limit")
        return
    _attempt(context, row, account, chosen.route)


def _attempt(context: _Context, row: _Row, account: Account, route: str) -> None:
    message = _message(context, row, account, route)
    ratelimit.wait_turn(account)
    row.attempts += 1
    result = delivery.send_outreach(account, row.user_id, message, "template" if route == TEMPLATE else "window")
    if result.outcome == SENT_OK:
        _finish(row, SENT, route=route, platform_message_id=result.message_id, sent_at=datetime.now(timezone.utc))
        return
    _after_failure(context, row, account, route, message, result)


def _after_failure(context: _Context, row: _Row, account: Account, route: str, message: dict,
                   result: SendResult) -> None:
    config, reason = current_app.config, result.reason or "rejected"
    now = datetime.now(timezone.utc)
    if result.outcome == TRANSIENT:
        if reason == "rate_limited":
            ratelimit.slow_down(account)
        if row.attempts < int(config["DELIVERY_MAX_ATTEMPTS"]):
            _again(row, now + timedelta(seconds=delivery.backoff(row.attempts)), result.code, reason)
            return
        _fail(row, account, message, "retries_exhausted", result)
        return
    if reason in NIGHT:
        _again(row, now + timedelta(seconds=max(60.0, quiet_wait(now, "22:00-06:00"))), result.code, reason)
        return
    if reason in DAILY:
        morning = next_morning(now, context.campaign.quiet_hours)
        current_app.extensions["store"].set(f"outreach:daily:{account.platform}:{account.external_id}",
                                            morning.isoformat(), ttl=(morning - now).total_seconds())
        _again(row, morning, result.code, reason)
        return
    if reason in WINDOW_CLOSED and route != TEMPLATE and _has_template(context, row):
        _attempt(context, row, account, TEMPLATE)  # our clock said open, the platform's says closed
        return
    if reason in WINDOW_CLOSED:
        _finish(row, SKIPPED, reason="outside_window", error_code=result.code)
        return
    if reason in RESIDENT_SIDE:
        _finish(row, FAILED, reason=reason, error_code=result.code)
        return
    _fail(row, account, message, reason, result)


def _has_template(context: _Context, row: _Row) -> bool:
    settings = context.options.get(row.commune_id)
    if settings is None:
        return False
    return bool(settings.facebook_template if row.platform == FACEBOOK else settings.zalo_template)


def _fail(row: _Row, account: Account, message: dict, reason: str, result: SendResult) -> None:
    """Failed for good: recorded with the platform's code, and a dead letter staff see."""
    log.warning("campaign message to a %s resident failed: %s (code %s)", row.platform, reason, result.code)
    _finish(row, FAILED, reason=reason, error_code=result.code)
    delivery.keep_outreach_dead_letter(account, row.user_id, message, reason, result.code, result.detail,
                                       row.attempts)


def _again(row: _Row, when: datetime, code: str | None, reason: str) -> None:
    with session_scope() as db:
        db.execute(update(CampaignDelivery).where(CampaignDelivery.id == row.id).values(
            status=PENDING, not_before=when, lease_until=None, attempts=row.attempts, error_code=code,
            reason=reason[:60], updated_at=datetime.now(timezone.utc)))


def _finish(row: _Row, status: str, **values) -> None:
    with session_scope() as db:
        db.execute(update(CampaignDelivery).where(CampaignDelivery.id == row.id).values(
            status=status, lease_until=None, attempts=row.attempts, updated_at=datetime.now(timezone.utc), **values))
    metrics.CAMPAIGN_DELIVERIES.labels(row.platform, status).inc()  # a campaign's progress, on /metrics


# --------------------------------------------------------------------------- the message

def link(row_token: str) -> str:
    base = (current_app.config.get("PUBLIC_BASE_URL") or "http://127.0.0.1:5000").rstrip("/")
    return f"{base}/o/{row_token}"


def _message(context: _Context, row: _Row, account: Account, route: str) -> dict:
    campaign = context.campaign
    if route == TEMPLATE:
        return _template(context, row, account)
    text = campaign.messages.get(row.language) or campaign.messages["vi"]
    lang = row.language if row.language in campaign.messages else "vi"
    title = gettext(lang, OPEN_GUIDE)
    if account.platform == FACEBOOK:
        buttons = [Button(title, link(row.link_token))] if campaign.intent else []
        return facebook_send.render([Reply(text, buttons=buttons)], lang)[0]
    # Zalo: no documented deep link with a parameter (channels.md B4); a hidden-query button opens the
    # guide in the same chat, and its tap is the "opened" step of the funnel
    quick = [QuickReply(title, campaign_links.payload_for(campaign.intent, campaign.id))] if campaign.intent else []
    return zalo_send.render([Reply(text, quick_replies=quick)], lang)[0]


def _template(context: _Context, row: _Row, account: Account) -> dict:
    settings = context.options[row.commune_id]
    values = {"commune": context.names.get(row.commune_id, ""), "link": link(row.link_token),
              "link_token": row.link_token, "campaign": str(context.campaign.id)}
    if account.platform == FACEBOOK:
        template = settings.facebook_template
        return facebook_send.utility_template(template["name"], template.get("language", "vi"),
                                              [str(p).format(**values) for p in template.get("body", [])],
                                              [str(p).format(**values) for p in template.get("url", [])])
    template = settings.zalo_template
    return {"zalo_template": {"template_id": template["template_id"],
                              "data": {k: str(v).format(**values) for k, v in (template.get("data") or {}).items()}}}
