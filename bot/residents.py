"""What the bot records about residents: subscriber records, staff requests, opt-outs, the message log."""
from __future__ import annotations

import re
from functools import lru_cache
from datetime import datetime, timezone

from sqlalchemy import insert, select

from bot.messages import Incoming
from infra.db import dialect_insert, get_session
from infra.models import Commune, HandoffRequest, MessageLog, Subscriber

# Long digit runs are ID, phone or account numbers: never kept in the log.
_DIGITS = re.compile(r"\+?\d[\d .-]{7,}\d")


def mask_personal_numbers(text: str | None) -> str | None:
    return _DIGITS.sub("[…]", text) if text else text


def find_commune(slug: str) -> Commune | None:
    return get_session().scalar(select(Commune).where(Commune.slug == slug))


def find_subscriber(incoming: Incoming, commune: Commune | None) -> Subscriber | None:
    return get_session().scalar(select(Subscriber).where(
        Subscriber.channel == incoming.channel, Subscriber.user_id == incoming.user,
        Subscriber.commune_id == (commune.id if commune else None)))


def touch_subscriber(incoming: Incoming, commune: Commune | None, lang: str) -> None:
    """Create or update the resident's record: language and the time they last wrote.

    One upsert statement: this runs on every message, and two residents' first messages may race."""
    wrote_at = incoming.time or datetime.now(timezone.utc)
    session = get_session()
    if commune is None:  # NULLs never conflict in a unique key: no upsert for a resident of no commune
        subscriber = find_subscriber(incoming, commune)
        if subscriber is None:
            subscriber = Subscriber(channel=incoming.channel, user_id=incoming.user, commune_id=None)
            session.add(subscriber)
        subscriber.language, subscriber.last_message_at = lang, wrote_at
        return
    row = {"channel": incoming.channel, "user_id": incoming.user, "commune_id": commune.id, "language": lang,
           "last_message_at": wrote_at, "reminders_opt_in": False, "first_seen_at": datetime.now(timezone.utc)}
    session.execute(_subscriber_upsert(session.get_bind().dialect.name), [row])


@lru_cache(maxsize=None)
def _subscriber_upsert(dialect: str):
    # built once per dialect: constructing the statement (its EXCLUDED columns) cost more than running it
    statement = dialect_insert(dialect, Subscriber)
    return statement.on_conflict_do_update(
        index_elements=["channel", "user_id", "commune_id"],
        set_={"language": statement.excluded.language, "last_message_at": statement.excluded.last_message_at})


def open_handoff(incoming: Incoming, commune: Commune | None, question: str | None) -> None:
    get_session().add(HandoffRequest(channel=incoming.channel, user_id=incoming.user,
                                     commune_id=commune.id if commune else None,
                                     text=mask_personal_numbers(question)))


def unsubscribe(incoming: Incoming) -> None:
    commune = find_commune(incoming.commune)
    subscriber = find_subscriber(incoming, commune)
    if subscriber is not None:
        subscriber.reminders_opt_in = False
        subscriber.unsubscribed_at = datetime.now(timezone.utc)


def log_message(incoming: Incoming, commune: Commune | None, outcome: dict) -> None:
    text = incoming.text if incoming.kind == "text" else incoming.payload
    if outcome.get("private"):  # form details typed during a guided flow: never logged
        text = None
    # a plain insert: nothing reads the row back in this turn, and the ORM's unit of work costs more
    get_session().execute(insert(MessageLog), [{
        "channel": incoming.channel, "commune_id": commune.id if commune else None,
        "text": mask_personal_numbers(text)[:2000] if text else None,
        "intent": outcome.get("intent"), "score": outcome.get("score"),
        "decision": outcome.get("decision") or "none",
    }])
