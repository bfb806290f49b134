"""Channel tables: a commune's platform accounts (encrypted tokens), reply deliveries, dead letters."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from infra.models import Base, utcnow

FACEBOOK = "facebook"
ZALO = "zalo"
PLATFORMS = (FACEBOOK, ZALO)


class ChannelAccount(Base):
    """A commune's Facebook Page or Zalo OA. Tokens are Fernet ciphertext (channels.crypto)."""
    __tablename__ = "channel_accounts"
    __table_args__ = (UniqueConstraint("platform", "external_id"), UniqueConstraint("commune_id", "platform"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id", ondelete="CASCADE"), index=True)
    platform: Mapped[str] = mapped_column(String(20))  # facebook | zalo
    external_id: Mapped[str] = mapped_column(String(64))  # Page id | OA id (strings: ids exceed 2^53)
    access_token: Mapped[str | None] = mapped_column(Text)
    refresh_token: Mapped[str | None] = mapped_column(Text)  # Zalo only; single use
    token_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:  # never the tokens
        return f"<ChannelAccount {self.platform}:{self.external_id} commune={self.commune_id}>"


class Delivery(Base):
    """One platform message of a reply: its fate (pending, sent, retrying, failed, skipped)."""
    __tablename__ = "channel_deliveries"
    __table_args__ = (UniqueConstraint("event_key", "seq"), Index("ix_channel_deliveries_status", "status"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_key: Mapped[str] = mapped_column(String(200))  # platform:account:message id of the event answered
    seq: Mapped[int] = mapped_column(Integer)  # order of this part within the answer
    platform: Mapped[str] = mapped_column(String(20))
    account_id: Mapped[int] = mapped_column(ForeignKey("channel_accounts.id", ondelete="CASCADE"))
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[str] = mapped_column(String(128))
    # the rendered platform message as staff may see it (a form summary redacted to field names)
    body: Mapped[dict | None] = mapped_column(JSON)
    # the message as the resident receives it, sealed (infra.sealing, purpose "delivery") while it may
    # still be sent; cleared once sent, and when its dead letter is handled
    sealed: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error_code: Mapped[str | None] = mapped_column(String(40))  # platform code[/subcode], "timeout", "http_503"
    error_message: Mapped[str | None] = mapped_column(String(500))
    platform_message_id: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class DeadLetter(Base):
    """A reply that did not reach the resident and will not be tried again: staff see these."""
    __tablename__ = "channel_dead_letters"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    delivery_id: Mapped[int | None] = mapped_column(ForeignKey("channel_deliveries.id", ondelete="SET NULL"),
                                                    unique=True)
    platform: Mapped[str] = mapped_column(String(20))
    commune_id: Mapped[int | None] = mapped_column(ForeignKey("communes.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[str] = mapped_column(String(128))
    reason: Mapped[str] = mapped_column(String(40))  # permanent | retries_exhausted | outside_window | ...
    error_code: Mapped[str | None] = mapped_column(String(40))
    detail: Mapped[str | None] = mapped_column(String(500))
    # what staff may see: a reply's redacted rendering, or an unanswered event whose words are sealed
    # under "sealed" (purpose "dead-letter")
    body: Mapped[dict | None] = mapped_column(JSON)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    resolved_by: Mapped[str | None] = mapped_column(String(80))  # staff username; None: unknown or reopened
