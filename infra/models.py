"""Database tables. Changes go through an Alembic revision in migrations/versions."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint, Index
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    pass


class Commune(Base):
    """A commune served by the bot; its facts feed answers about hours and address."""
    __tablename__ = "communes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    province: Mapped[str | None] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(String(500))
    phone: Mapped[str | None] = mapped_column(String(50))
    # {"vi": "...", "en": "..."} free text plus {"days": [0..6], "periods": [["07:30","11:30"], ...]}
    office_hours: Mapped[dict | None] = mapped_column(JSON)
    # The commune police post: identity card and residence procedures are filed there, not at the
    # People's Committee one-stop desk, so answers about them name its own place and hours.
    police_name: Mapped[str | None] = mapped_column(String(200))
    police_address: Mapped[str | None] = mapped_column(String(500))
    police_phone: Mapped[str | None] = mapped_column(String(50))
    police_hours: Mapped[dict | None] = mapped_column(JSON)  # same shape as office_hours
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Entry(Base):
    """One knowledge-base entry; `id` is the intent id of the catalogue."""
    __tablename__ = "kb_entries"
    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # procedure | faq | meta | none
    name_vi: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str] = mapped_column(String(300))
    content: Mapped[dict] = mapped_column(JSON)  # the data file's entry, as loaded
    # hash of the data file's entry when last imported: tells a staff edit from a stale import
    source_hash: Mapped[str | None] = mapped_column(String(64))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    phrasings: Mapped[list["Phrasing"]] = relationship(back_populates="entry", cascade="all, delete-orphan")


class Phrasing(Base):
    """An example of how residents ask for an entry, used by the matcher."""
    __tablename__ = "kb_phrasings"
    __table_args__ = (UniqueConstraint("entry_id", "text", "commune_id", name="uq_kb_phrasings_entry_text_commune"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_id: Mapped[str] = mapped_column(ForeignKey("kb_entries.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(String(500))
    origin: Mapped[str] = mapped_column(String(20), default="seed")  # seed | staff
    # the commune whose staff added it: it counts only for that commune's residents; None: national
    commune_id: Mapped[int | None] = mapped_column(ForeignKey("communes.id", ondelete="CASCADE"), index=True)
    entry: Mapped[Entry] = relationship(back_populates="phrasings")


class Subscriber(Base):
    """A resident as seen on one channel: language, last contact, reminder opt-in."""
    __tablename__ = "subscribers"
    __table_args__ = (UniqueConstraint("channel", "user_id", "commune_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[str] = mapped_column(String(128))
    commune_id: Mapped[int | None] = mapped_column(ForeignKey("communes.id"), index=True)
    language: Mapped[str] = mapped_column(String(8), default="vi")
    reminders_opt_in: Mapped[bool] = mapped_column(Boolean, default=False)
    unsubscribed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    first_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_message_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class HandoffRequest(Base):
    """A resident asked for a staff member; staff see these in the admin inbox."""
    __tablename__ = "handoff_requests"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[str] = mapped_column(String(128))
    commune_id: Mapped[int | None] = mapped_column(ForeignKey("communes.id"), index=True)
    text: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="open")  # open | taken | closed
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class MessageLog(Base):
    """What residents asked and how the bot decided: statistics and the unanswered inbox."""
    __tablename__ = "message_log"
    __table_args__ = (Index("ix_message_log_commune_time", "commune_id", "created_at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))
    commune_id: Mapped[int | None] = mapped_column(ForeignKey("communes.id"))
    text: Mapped[str | None] = mapped_column(String(2000))
    # keyed hash of channel + commune + user (procedures.prefill.user_hash): finds a resident's texts to
    # erase or export them, names nobody; cleared with the text after RETENTION_DAYS
    user_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    intent: Mapped[str | None] = mapped_column(String(80))
    score: Mapped[float | None] = mapped_column(Float)
    decision: Mapped[str] = mapped_column(String(20))  # answer | clarify | none | flow | payload
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CommuneAnswer(Base):
    """A commune's own answer to a national entry, shown to its residents instead of the national one:
    a FAQ's {vi, en} text, or a procedure's {field: {vi, en}} note, place, fee, papers and hours."""
    __tablename__ = "commune_answers"
    __table_args__ = (UniqueConstraint("commune_id", "entry_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"))
    entry_id: Mapped[str] = mapped_column(ForeignKey("kb_entries.id", ondelete="CASCADE"))
    answer: Mapped[dict] = mapped_column(JSON)  # {"vi": ..., "en": ...}, or {"fee": {"vi": ..., "en": ...}, ...}
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class TranscriptLine(Base):
    """One line of a resident's conversation: what they sent, what the bot or a staff member replied."""
    __tablename__ = "transcript_lines"
    __table_args__ = (Index("ix_transcript_conversation", "channel", "commune_id", "user_id", "id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))
    commune_id: Mapped[int | None] = mapped_column(ForeignKey("communes.id"))
    user_id: Mapped[str] = mapped_column(String(128))
    direction: Mapped[str] = mapped_column(String(10))  # in | bot | staff
    kind: Mapped[str] = mapped_column(String(20), default="text")  # text | payload | attachment | ...
    text: Mapped[str | None] = mapped_column(Text)
    staff_username: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CatalogueEntry(Base):
    """One procedure of the national portal's catalogue (issue 13: the second tier of knowledge).

    Imported from a portal snapshot by `flask --app app catalogue import DIR`; `source_hash`
    tells a changed record from an unchanged one on the next import, and `active` is false
    for a procedure a newer snapshot no longer lists (its staff notes are kept).
    """
    __tablename__ = "catalogue_entries"
    code: Mapped[str] = mapped_column(String(40), primary_key=True)  # the national code, e.g. 1.013134
    formality_id: Mapped[str] = mapped_column(String(64))  # the portal page: /thu-tuc-hanh-chinh/{id}
    name: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(30))  # STANDARD | SPECIFIC | STANDARD_INTERNAL
    province: Mapped[str | None] = mapped_column(String(200))  # who issued a SPECIFIC one
    categories: Mapped[list] = mapped_column(JSON, default=list)
    departments: Mapped[list] = mapped_column(JSON, default=list)
    targets: Mapped[list] = mapped_column(JSON, default=list)
    detail: Mapped[dict | None] = mapped_column(JSON)  # the facts of the detail record, when there is one
    source_hash: Mapped[str] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class CatalogueNote(Base):
    """A commune's own facts about a catalogue procedure: its desk, local fee, local papers."""
    __tablename__ = "catalogue_notes"
    __table_args__ = (UniqueConstraint("code", "commune_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(ForeignKey("catalogue_entries.code", ondelete="CASCADE"), index=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id", ondelete="CASCADE"))
    desk: Mapped[str | None] = mapped_column(Text)
    fee: Mapped[str | None] = mapped_column(Text)
    papers: Mapped[str | None] = mapped_column(Text)
    updated_by: Mapped[str | None] = mapped_column(String(80))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class CataloguePhrasing(Base):
    """How residents of a commune ask for a catalogue procedure, added by staff.

    A commune's phrasing helps only that commune's residents (one commune's staff never change
    what another's residents see); one with no commune (added by a super admin) helps everyone.
    """
    __tablename__ = "catalogue_phrasings"
    __table_args__ = (UniqueConstraint("code", "commune_id", "text"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(ForeignKey("catalogue_entries.code", ondelete="CASCADE"), index=True)
    commune_id: Mapped[int | None] = mapped_column(ForeignKey("communes.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
