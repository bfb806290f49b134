"""Campaign tables: a campaign, one delivery row per (campaign, resident), a commune's templates and
reminder rules. Rows hold platform ids and states only: never what a resident typed."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, Boolean, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from infra.models import Base, utcnow

# campaign states
DRAFT, RUNNING, PAUSED, CANCELLED, DONE = "draft", "running", "paused", "cancelled", "done"
# delivery states: pending -> sending (leased) -> sent | skipped | failed
PENDING, SENDING, SENT, SKIPPED, FAILED = "pending", "sending", "sent", "skipped", "failed"


class Campaign(Base):
    """What to send to whom: audience filters, the text per language, the guide its button opens."""
    __tablename__ = "outreach_campaigns"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    commune_ids: Mapped[list] = mapped_column(JSON)  # a province admin may name all their communes
    # {"channels": [...], "languages": [...], "topics": [...], "active_days": int | None}
    audience: Mapped[dict] = mapped_column(JSON, default=dict)
    messages: Mapped[dict] = mapped_column(JSON)  # {"vi": "...", "en": "..."}
    intent: Mapped[str | None] = mapped_column(String(80))  # the procedure guide the button opens
    quiet_hours: Mapped[str] = mapped_column(String(11), default="21:00-07:00")  # Asia/Ho_Chi_Minh
    status: Mapped[str] = mapped_column(String(20), default=DRAFT)
    rule: Mapped[str | None] = mapped_column(String(40))  # a life-event rule's run, else None
    scheduled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class CampaignDelivery(Base):
    """One resident of one campaign. The unique key makes starting twice harmless; the lease lets a
    row whose worker died be taken again once `lease_until` has passed."""
    __tablename__ = "outreach_deliveries"
    __table_args__ = (UniqueConstraint("campaign_id", "subscriber_id"),
                      Index("ix_outreach_deliveries_campaign_status", "campaign_id", "status"),
                      Index("ix_outreach_deliveries_message", "platform_message_id"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("outreach_campaigns.id", ondelete="CASCADE"))
    subscriber_id: Mapped[int] = mapped_column(ForeignKey("subscribers.id", ondelete="CASCADE"))
    platform: Mapped[str] = mapped_column(String(20))
    commune_id: Mapped[int] = mapped_column(Integer)
    user_id: Mapped[str] = mapped_column(String(128))
    language: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(20), default=PENDING)
    route: Mapped[str | None] = mapped_column(String(20))  # window | paid_window | template
    reason: Mapped[str | None] = mapped_column(String(60))  # why skipped or failed
    error_code: Mapped[str | None] = mapped_column(String(40))  # the platform's code[/subcode]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    not_before: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # backoff, night, quota
    link_token: Mapped[str] = mapped_column(String(24), unique=True)  # our redirect /o/<token>: no personal data
    platform_message_id: Mapped[str | None] = mapped_column(String(200))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # our clock, once accepted
    # the platform's own time of the message (Messenger: the echo's timestamp, ms): read watermarks
    # are on the platform's clock, so "read" compares with this, never with our clock
    platform_sent_ms: Mapped[int | None] = mapped_column(BigInteger)
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    clicked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class ReadMark(Base):
    """The latest Messenger read watermark (platform clock, ms) of a resident who still had a campaign
    message without its echo when it came, and when we received it. A read can arrive before the
    echo that gives the message its platform time: the echo then applies the watermark kept here,
    so no read is lost whatever the order. Platform id and times only (erased, exported and purged
    with the resident's data: outreach/receipts.py)."""
    __tablename__ = "outreach_read_marks"
    platform: Mapped[str] = mapped_column(String(20), primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    watermark_ms: Mapped[int] = mapped_column(BigInteger)
    seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))  # our clock: the read time it gives


class OutreachSettings(Base):
    """A commune's sending options: its approved templates and whether it pays for Zalo days 3–7.

    facebook_template: {"name", "language", "body": [params...]} (Messenger utility template);
    zalo_template: {"template_id", "data": {key: value}} (ZBS template by user_id). Values may use
    {commune}, {link} and {campaign}."""
    __tablename__ = "outreach_settings"
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id", ondelete="CASCADE"), primary_key=True)
    facebook_template: Mapped[dict | None] = mapped_column(JSON)
    zalo_template: Mapped[dict | None] = mapped_column(JSON)
    zalo_paid_consultation: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class ReminderRule(Base):
    """A life-event reminder staff switched on for their commune (outreach/rules.py names them)."""
    __tablename__ = "outreach_rules"
    __table_args__ = (UniqueConstraint("commune_id", "rule"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id", ondelete="CASCADE"))
    rule: Mapped[str] = mapped_column(String(40))
    enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
