"""What a turn leaves in the database: the resident's subscriber record, the message log line and
the transcript lines, as plain rows.

The engine returns them instead of writing them, so a caller answering many messages (the platform
worker) writes a whole batch in a few statements; `write_records` is the one place that writes them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from infra.db import dialect_insert
from infra.models import MessageLog, Subscriber, TranscriptLine


@dataclass
class TurnRecords:
    subscribers: list[dict] = field(default_factory=list)  # upserts: language, when they last wrote
    messages: list[dict] = field(default_factory=list)  # message log (statistics, unanswered questions)
    transcript: list[dict] = field(default_factory=list)  # the conversation as staff read it
    erased: list = field(default_factory=list)  # residents who said "xóa dữ liệu của tôi" (bot.privacy.Resident)

    def extend(self, other: "TurnRecords") -> None:
        self.subscribers += other.subscribers
        self.messages += other.messages
        self.transcript += other.transcript
        self.erased += other.erased


def write_records(session: Session, records: TurnRecords) -> None:
    """One statement per table, whatever the number of turns; committing is the caller's."""
    if records.erased:
        _erase_first(session, records)
    _upsert_subscribers(session, records.subscribers)
    if records.messages:
        session.execute(insert(MessageLog), records.messages)
    if records.transcript:
        session.execute(insert(TranscriptLine), records.transcript)


def _erase_first(session: Session, records: TurnRecords) -> None:
    """A resident who asked for erasure in this batch: the lines of their earlier turns in the same
    batch are not written, their logged texts lose the text, and what earlier batches kept is erased."""
    from bot import privacy

    owners = [privacy.owner_of(session, r) for r in records.erased]
    ids = {(o.channel, o.commune_id, o.user) for o in owners}
    hashes = {o.user_hash for o in owners}
    records.transcript = [line for line in records.transcript
                          if (line["channel"], line["commune_id"], line["user_id"]) not in ids]
    for row in records.messages:
        if row.get("user_hash") in hashes:
            row.update(text=None, user_hash=None)
    for resident in records.erased:
        privacy.erase(session, resident, forget_state=False)


def _upsert_subscribers(session: Session, rows: list[dict]) -> None:
    # One row per resident: an upsert may not touch the same row twice, and the latest message wins.
    latest = {(row["channel"], row["user_id"], row["commune_id"]): row for row in rows}
    keyed = [row for row in latest.values() if row["commune_id"] is not None]
    for row in latest.values():
        if row["commune_id"] is None:  # NULLs never conflict in a unique key: no upsert without a commune
            _touch_without_commune(session, row)
    if keyed:
        session.execute(_subscriber_upsert(session.get_bind().dialect.name), keyed)


def _touch_without_commune(session: Session, row: dict) -> None:
    subscriber = session.scalar(select(Subscriber).where(
        Subscriber.channel == row["channel"], Subscriber.user_id == row["user_id"], Subscriber.commune_id.is_(None)))
    if subscriber is None:
        subscriber = Subscriber(channel=row["channel"], user_id=row["user_id"], commune_id=None)
        session.add(subscriber)
    subscriber.language, subscriber.last_message_at = row["language"], row["last_message_at"]


@lru_cache(maxsize=None)
def _subscriber_upsert(dialect: str):
    # built once per dialect: constructing the statement (its EXCLUDED columns) cost more than running it
    statement = dialect_insert(dialect, Subscriber)
    return statement.on_conflict_do_update(
        index_elements=["channel", "user_id", "commune_id"],
        set_={"language": statement.excluded.language, "last_message_at": statement.excluded.last_message_at})


def subscriber_row(channel: str, user: str, commune_id: int | None, lang: str, wrote_at: datetime | None) -> dict:
    return {"channel": channel, "user_id": user, "commune_id": commune_id, "language": lang,
            "last_message_at": wrote_at or datetime.now(timezone.utc), "reminders_opt_in": False,
            "first_seen_at": datetime.now(timezone.utc)}
