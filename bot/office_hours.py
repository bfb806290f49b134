"""Commune office hours: how they read, whether the office is open, when it opens next.

A commune stores {"days": [0..6] (Monday = 0), "periods": [["07:30", "11:30"], ...]}
and optionally a free-text note {"vi": ..., "en": ...}. Times are local (Asia/Ho_Chi_Minh).
"""
from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from babel.dates import get_day_names

from i18n import LANGUAGES

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
# Day names from CLDR (vi: "Thứ Hai" … "Chủ Nhật"), Monday first, per reply language.
DAY_NAMES = {lang: [get_day_names("wide", locale=lang)[day] for day in range(7)] for lang in LANGUAGES}


def _periods(hours: dict) -> list[tuple[time, time]]:
    return [(time.fromisoformat(a), time.fromisoformat(b)) for a, b in hours.get("periods", [])]


def describe(hours: dict | None, lang: str) -> str | None:
    """'Thứ Hai–Thứ Sáu: 07:30–11:30, 13:30–17:00' (or the commune's own note)."""
    if not hours:
        return None
    note = hours.get("note") or {}
    if isinstance(note, dict) and note.get(lang):
        return note[lang]
    days, periods = sorted(hours.get("days", [])), _periods(hours)
    if not days or not periods:
        return None
    names = DAY_NAMES.get(lang, DAY_NAMES["vi"])
    consecutive = days == list(range(days[0], days[-1] + 1))
    day_text = f"{names[days[0]]}–{names[days[-1]]}" if consecutive and len(days) > 2 else ", ".join(names[d] for d in days)
    return f"{day_text}: " + ", ".join(f"{a:%H:%M}–{b:%H:%M}" for a, b in periods)


def is_open(hours: dict | None, at: datetime) -> bool:
    if not hours:
        return False
    local = at.astimezone(LOCAL)
    if local.weekday() not in hours.get("days", []):
        return False
    return any(a <= local.time() < b for a, b in _periods(hours))


def next_opening(hours: dict | None, after: datetime) -> datetime | None:
    """The next moment the office opens (local time), within two weeks; None if unknown."""
    if not hours or not hours.get("days") or not hours.get("periods"):
        return None
    local = after.astimezone(LOCAL)
    for offset in range(15):
        day = (local + timedelta(days=offset)).date()
        if day.weekday() not in hours["days"]:
            continue
        for start, _end in _periods(hours):
            moment = datetime.combine(day, start, tzinfo=LOCAL)
            if moment > local:
                return moment
    return None


def format_moment(moment: datetime, lang: str) -> str:
    return f"{DAY_NAMES.get(lang, DAY_NAMES['vi'])[moment.weekday()]} {moment:%d/%m} {moment:%H:%M}"
