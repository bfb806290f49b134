"""Tables of the guided flows: prepared form data (encrypted) and portal click-throughs."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from infra.models import Base, utcnow


class PrefillRecord(Base):
    """What a resident prepared for a portal form. Everything personal is in `payload`,
    Fernet-encrypted; the row is deleted on cancel, on "xóa dữ liệu của tôi" and after expiry."""
    __tablename__ = "prefill_records"
    __table_args__ = (Index("ix_prefill_records_owner", "channel", "user_hash"),)
    id: Mapped[str] = mapped_column(String(43), primary_key=True)  # random, url-safe
    channel: Mapped[str] = mapped_column(String(20))
    # a keyed hash of the platform user id: finds a resident's rows without storing the id
    user_hash: Mapped[str] = mapped_column(String(64))
    commune_id: Mapped[int | None] = mapped_column(ForeignKey("communes.id", ondelete="SET NULL"))
    flow_id: Mapped[str] = mapped_column(String(80))
    variant: Mapped[str] = mapped_column(String(80))
    lang: Mapped[str] = mapped_column(String(8))
    payload: Mapped[str] = mapped_column(Text)  # Fernet token of the JSON {"answers", "fields"}
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class PortalClick(Base):
    """One tap on "go to the national portal" from a hand-off page: per procedure and commune."""
    __tablename__ = "portal_clicks"
    __table_args__ = (Index("ix_portal_clicks_commune_time", "commune_id", "created_at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    flow_id: Mapped[str] = mapped_column(String(80))
    variant: Mapped[str] = mapped_column(String(80))
    code: Mapped[str | None] = mapped_column(String(40))  # national procedure code
    commune_id: Mapped[int | None] = mapped_column(ForeignKey("communes.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class HandoffPageEvent(Base):
    """A resident's prepared hand-off page was sent ("prepared") or first opened ("opened"): the
    reminder rule "not opened after 3 days" and the campaign funnel read these. Nothing personal:
    the resident's keyed hash (as on prefill_records), the commune, the procedure, a keyed hash of
    the page (ties an open to its preparation without the record id) and the time. Deleted with
    "xóa dữ liệu của tôi" and after RETENTION_DAYS."""
    __tablename__ = "handoff_page_events"
    __table_args__ = (Index("ix_handoff_page_events_commune_kind_time", "commune_id", "kind", "created_at"),
                      Index("ix_handoff_page_events_owner", "channel", "user_hash"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))  # prepared | opened
    channel: Mapped[str] = mapped_column(String(20))
    user_hash: Mapped[str] = mapped_column(String(64))
    commune_id: Mapped[int | None] = mapped_column(ForeignKey("communes.id", ondelete="CASCADE"))
    flow_id: Mapped[str] = mapped_column(String(80))
    page_key: Mapped[str] = mapped_column(String(64), index=True)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # the page's end of life
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
