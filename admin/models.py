"""The admin's own tables: staff accounts, edit history, inbox decisions."""
from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from infra.models import Base, utcnow

ROLES = ("commune", "province", "super")


class StaffUser(UserMixin, Base):
    """A person who logs in to the admin. role: commune (one commune), province (its communes), super."""
    __tablename__ = "staff_users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(20))
    commune_id: Mapped[int | None] = mapped_column(ForeignKey("communes.id"))
    province: Mapped[str | None] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(8), default="vi")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    @property
    def is_active(self) -> bool:
        return bool(self.active)

    def get_id(self) -> str:
        # The session names the password too, so changing it logs out every other session.
        return f"{self.id}.{self.password_hash[-16:]}"



class EntryRevision(Base):
    """One change to an entry as a commune (or the nation, commune_id None) sees it: who, when, before, after."""
    __tablename__ = "entry_revisions"
    __table_args__ = (Index("ix_entry_revisions_entry", "entry_id", "commune_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_id: Mapped[str] = mapped_column(String(80))
    commune_id: Mapped[int | None] = mapped_column(ForeignKey("communes.id"))
    action: Mapped[str] = mapped_column(String(30))  # answer | override | enabled | phrasing-add | phrasing-remove | create
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    username: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)



class InboxDecision(Base):
    """Staff handled an unanswered question (by its plain form): attached, made an entry, or dismissed."""
    __tablename__ = "inbox_decisions"
    __table_args__ = (UniqueConstraint("commune_id", "plain"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"))
    plain: Mapped[str] = mapped_column(String(2000))
    action: Mapped[str] = mapped_column(String(20))  # phrasing | entry | catalogue | dismiss
    entry_id: Mapped[str | None] = mapped_column(String(80))
    username: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
