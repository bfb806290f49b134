"""Statistics of one commune over a date range (local days): messages, answered share, procedures, clicks."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import select

from i18n import N_
from infra.db import get_session
from infra.models import Commune, Entry, MessageLog
from procedures.prefill_models import PortalClick

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
QUESTION_DECISIONS = ("answer", "clarify", "none")  # turns where the resident asked something in words
MAX_DAYS = 366


@dataclass
class Day:
    day: date
    messages: int = 0
    answered: int = 0
    clarified: int = 0
    unanswered: int = 0


@dataclass
class Stats:
    start: date
    end: date
    days: list[Day]
    procedures: list[tuple[str, str, int, int]] = field(default_factory=list)  # id, name, answers, clicks

    @property
    def messages(self) -> int:
        return sum(d.messages for d in self.days)

    @property
    def questions(self) -> int:
        return sum(d.answered + d.clarified + d.unanswered for d in self.days)

    def share(self, attribute: str) -> float:
        total = self.questions
        return sum(getattr(d, attribute) for d in self.days) / total if total else 0.0


class RangeError(ValueError):
    pass


def parse_range(start: str | None, end: str | None, today: date) -> tuple[date, date]:
    try:
        last = date.fromisoformat(end) if end else today
        first = date.fromisoformat(start) if start else last - timedelta(days=29)
    except ValueError as exc:
        raise RangeError(N_("Dates must be written YYYY-MM-DD.")) from exc
    if first > last:
        raise RangeError(N_("The start date is after the end date."))
    if (last - first).days >= MAX_DAYS:
        raise RangeError(N_("Choose a range of at most one year."))
    return first, last


def _bounds(first: date, last: date) -> tuple[datetime, datetime]:
    return (datetime.combine(first, time.min, tzinfo=LOCAL),
            datetime.combine(last + timedelta(days=1), time.min, tzinfo=LOCAL))


def _local_day(moment: datetime) -> date:
    if moment.tzinfo is None:  # SQLite returns naive UTC
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(LOCAL).date()


def compute(commune: Commune, first: date, last: date) -> Stats:
    since, until = _bounds(first, last)
    days = {first + timedelta(days=i): Day(first + timedelta(days=i)) for i in range((last - first).days + 1)}
    answers: Counter[str] = Counter()
    rows = get_session().execute(
        select(MessageLog.created_at, MessageLog.decision, MessageLog.intent)
        .where(MessageLog.commune_id == commune.id, MessageLog.created_at >= since, MessageLog.created_at < until))
    for created_at, decision, intent in rows:
        day = days.get(_local_day(created_at))
        if day is None:
            continue
        day.messages += 1
        if decision == "answer":
            day.answered += 1
            if intent:
                answers[intent] += 1
        elif decision == "clarify":
            day.clarified += 1
        elif decision == "none":
            day.unanswered += 1
    stats = Stats(first, last, list(days.values()))
    stats.procedures = _procedures(answers, _clicks(commune, since, until))
    return stats


def _procedures(answers: Counter, clicks: Counter, limit: int = 10) -> list[tuple[str, str, int, int]]:
    ids = set(answers) | set(clicks)
    entries = {e.id: e for e in get_session().scalars(select(Entry).where(Entry.id.in_(ids), Entry.kind == "procedure"))}
    ranked = sorted(entries, key=lambda i: (-answers[i], -clicks[i], i))[:limit]
    return [(i, entries[i].name_vi, answers[i], clicks[i]) for i in ranked]


def _clicks(commune: Commune, since: datetime, until: datetime) -> Counter:
    """Portal click-throughs per procedure, as the guided flows record them."""
    rows = get_session().execute(
        select(PortalClick.flow_id).where(PortalClick.commune_id == commune.id, PortalClick.created_at >= since,
                                          PortalClick.created_at < until))
    return Counter(flow_id for (flow_id,) in rows)
