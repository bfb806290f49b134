"""Tables of reminder consent: who said yes (when, on which channel, to which wording) and the
life-event data kept for reminders only while that consent stands (encrypted)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from infra.models import Base, utcnow


class ReminderConsent(Base):
    """A resident's answer to the reminder question, kept as evidence (Law 91/2025/QH15: who, when,
    channel, purpose, wording). `given_at` set and `withdrawn_at` empty: reminders may be sent."""
    __tablename__ = "reminder_consents"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subscriber_id: Mapped[int] = mapped_column(ForeignKey("subscribers.id", ondelete="CASCADE"), unique=True)
    topics: Mapped[list] = mapped_column(JSON, default=list)  # births | id_card | handoff | general
    wording: Mapped[str] = mapped_column(String(80))  # which question text was shown (msgid version)
    asked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    given_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class LifeEvent(Base):
    """A date a reminder depends on (a child's birth, the resident's birth year), Fernet-encrypted
    with the prepared-data key; deleted on opt-out and on "xóa dữ liệu của tôi"."""
    __tablename__ = "reminder_life_events"
    __table_args__ = (UniqueConstraint("subscriber_id", "kind"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subscriber_id: Mapped[int] = mapped_column(ForeignKey("subscribers.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30))  # child_birth | own_birth
    payload: Mapped[str] = mapped_column(Text)  # Fernet token of {"date": "YYYY-MM-DD"} or {"year": 1990}
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class GuideStart(Base):
    """A guide opened from a campaign link (m.me ref, Zalo button, /chat?start=): the funnel's last
    step. Only the campaign, the channel id and the time: nothing the resident typed."""
    __tablename__ = "reminder_guide_starts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(Integer, index=True)
    channel: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[str] = mapped_column(String(128))
    commune_id: Mapped[int | None] = mapped_column(ForeignKey("communes.id", ondelete="CASCADE"))
    intent: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
