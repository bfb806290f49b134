"""A campaign's life: create, start (one delivery row per consenting resident), pause, resume,
cancel, and its progress. Sending itself is outreach/sender.py."""
from __future__ import annotations

import secrets
from datetime import datetime, timezone

from flask import current_app
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from infra.db import dialect_insert, session_scope
from infra.models import Commune
from outreach.audience import residents
from outreach.models import (CANCELLED, DONE, DRAFT, FAILED, PAUSED, PENDING, RUNNING, SENDING, SENT, SKIPPED,
                             Campaign, CampaignDelivery)
from outreach.platform_rules import parse_quiet_hours

TEXT_LIMIT = 640  # Messenger's button-template text: one platform message per resident


class CampaignError(ValueError):
    """A campaign that cannot be made or moved that way; the text says why (shown to staff as is)."""


def create(db: Session, name: str, commune_slugs: list[str], messages: dict[str, str], *, intent: str | None = None,
           channels: list[str] | None = None, languages: list[str] | None = None, topics: list[str] | None = None,
           active_days: int | None = None, quiet_hours: str | None = None, created_by: str | None = None,
           scheduled_at: datetime | None = None) -> Campaign:
    """A draft campaign; nothing is sent before `start`."""
    communes = db.scalars(select(Commune).where(Commune.slug.in_(commune_slugs))).all()
    missing = set(commune_slugs) - {c.slug for c in communes}
    if missing or not communes:
        raise CampaignError(f"unknown commune(s): {', '.join(sorted(missing)) or '(none given)'}")
    if "vi" not in messages or not all(isinstance(t, str) and t.strip() for t in messages.values()):
        raise CampaignError("a Vietnamese message (vi) is required, and no message may be empty")
    if any(len(t) > TEXT_LIMIT for t in messages.values()):
        raise CampaignError(f"a campaign message has at most {TEXT_LIMIT} characters")
    quiet = quiet_hours or current_app.config["OUTREACH_QUIET_HOURS"]
    try:
        parse_quiet_hours(quiet)
    except ValueError:
        raise CampaignError("quiet hours look like 21:00-07:00") from None
    if intent is not None and intent not in _known_intents():
        raise CampaignError(f"unknown procedure guide: {intent}")
    campaign = Campaign(name=name, commune_ids=sorted(c.id for c in communes), messages=messages, intent=intent,
                        audience={"channels": channels or [], "languages": languages or [], "topics": topics or [],
                                  "active_days": active_days},
                        quiet_hours=quiet, status=DRAFT, created_by=created_by, scheduled_at=scheduled_at)
    db.add(campaign)
    db.flush()
    return campaign


def _known_intents():
    from knowledge.store import knowledge_base

    return knowledge_base().snapshot().entries


def start(campaign_id: int, kick_senders: bool = True) -> int:
    """Write the delivery rows (once: the unique key makes a second start add only newcomers) and
    start the senders (without `kick_senders`, the workers' sweep starts them within
    OUTREACH_SWEEP_SECONDS). Returns how many residents are targeted."""
    with session_scope() as db:
        campaign = _get(db, campaign_id)
        if campaign.status not in (DRAFT, RUNNING):
            raise CampaignError(f"campaign {campaign_id} is {campaign.status}: only a draft can be started")
        _materialize(db, campaign)
        campaign.status, campaign.started_at = RUNNING, campaign.started_at or datetime.now(timezone.utc)
        targeted = db.scalar(select(func.count()).select_from(CampaignDelivery)
                             .where(CampaignDelivery.campaign_id == campaign_id))
    if kick_senders:
        from outreach.sender import kick

        kick(campaign_id)
    return targeted


def _materialize(db: Session, campaign: Campaign) -> None:
    statement = dialect_insert(db.get_bind().dialect.name, CampaignDelivery).on_conflict_do_nothing(
        index_elements=["campaign_id", "subscriber_id"])
    batch: list[dict] = []
    for resident in residents(db, campaign):
        if not resident.consents or resident.channel == "webchat":
            continue  # not targeted: never asked for it, or a web chat (nothing is ever pushed there)
        batch.append({"campaign_id": campaign.id, "subscriber_id": resident.subscriber_id,
                      "platform": resident.channel, "commune_id": resident.commune_id, "user_id": resident.user_id,
                      "language": resident.language, "status": PENDING, "attempts": 0,
                      "link_token": secrets.token_urlsafe(12)})
        if len(batch) >= 5000:
            db.execute(statement, batch)
            batch = []
    if batch:
        db.execute(statement, batch)


def pause(campaign_id: int) -> None:
    """Senders stop after the batch in hand (at most OUTREACH_BATCH rows); the rest stay pending for `resume`."""
    _move(campaign_id, {RUNNING}, PAUSED)


def resume(campaign_id: int, kick_senders: bool = True) -> None:
    _move(campaign_id, {PAUSED}, RUNNING)
    if kick_senders:
        from outreach.sender import kick

        kick(campaign_id)


def cancel(campaign_id: int) -> None:
    """Nothing more is sent; what was not sent is recorded as skipped (cancelled)."""
    _move(campaign_id, {DRAFT, RUNNING, PAUSED}, CANCELLED)
    with session_scope() as db:
        db.execute(update(CampaignDelivery).where(CampaignDelivery.campaign_id == campaign_id,
                                                  CampaignDelivery.status == PENDING)
                   .values(status=SKIPPED, reason="cancelled"))


def _move(campaign_id: int, allowed: set[str], to: str) -> None:
    with session_scope() as db:
        campaign = _get(db, campaign_id)
        if campaign.status not in allowed:
            raise CampaignError(f"campaign {campaign_id} is {campaign.status}; cannot become {to}")
        campaign.status = to
        if to in (CANCELLED, DONE):
            campaign.finished_at = datetime.now(timezone.utc)


def _get(db: Session, campaign_id: int) -> Campaign:
    campaign = db.get(Campaign, campaign_id)
    if campaign is None:
        raise CampaignError(f"no campaign {campaign_id}")
    return campaign


def progress(db: Session, campaign_id: int) -> dict:
    """sent, skipped, failed, pending (pending + being sent), targeted, and the campaign's status:
    what the CLI prints and the admin's progress bar shows."""
    campaign = _get(db, campaign_id)
    counts = dict(db.execute(select(CampaignDelivery.status, func.count()).where(
        CampaignDelivery.campaign_id == campaign_id).group_by(CampaignDelivery.status)).all())
    result = {"campaign": campaign_id, "name": campaign.name, "status": campaign.status,
              "sent": counts.get(SENT, 0), "skipped": counts.get(SKIPPED, 0), "failed": counts.get(FAILED, 0),
              "pending": counts.get(PENDING, 0) + counts.get(SENDING, 0)}
    result["targeted"] = result["sent"] + result["skipped"] + result["failed"] + result["pending"]
    done = result["targeted"] - result["pending"]
    result["percent"] = round(100 * done / result["targeted"], 1) if result["targeted"] else 100.0
    return result


def reasons(db: Session, campaign_id: int) -> dict[str, int]:
    """Skipped and failed rows by reason (and platform code): why residents were not reached."""
    rows = db.execute(select(CampaignDelivery.status, CampaignDelivery.reason, CampaignDelivery.error_code,
                             func.count()).where(CampaignDelivery.campaign_id == campaign_id,
                                                 CampaignDelivery.status.in_((SKIPPED, FAILED)))
                      .group_by(CampaignDelivery.status, CampaignDelivery.reason, CampaignDelivery.error_code))
    return {f"{status}:{reason}" + (f" ({code})" if code else ""): n for status, reason, code, n in rows}
