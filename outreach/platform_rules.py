"""Which way, if any, a campaign message may reach a resident, by the platforms' 2026 rules
(../shared/reference/channels.md A6, B4; outreach.md §1, §4), and when sending is allowed at all.

Messenger: an ordinary message only within 24 h of the resident's last message (tags are gone);
after that only an approved utility template the commune configured. Zalo: a consultation message
up to 7 days after the last interaction (free for 48 h; days 3–7 only if the commune pays), after
that a ZBS template by user id where configured. The web chat is never pushed to.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from channels.models import FACEBOOK, ZALO

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
WINDOW, PAID_WINDOW, TEMPLATE = "window", "paid_window", "template"


@dataclass(frozen=True)
class Fate:
    route: str | None  # window | paid_window | template; None: skipped
    reason: str | None = None  # why skipped

    @property
    def label(self) -> str:
        return self.route or f"skipped:{self.reason}"


@dataclass(frozen=True)
class Rules:
    messenger_hours: float
    zalo_free_hours: float
    zalo_hours: float

    @classmethod
    def from_config(cls, config) -> "Rules":
        return cls(config["MESSENGER_WINDOW_HOURS"], config["ZALO_FREE_HOURS"], config["ZALO_WINDOW_HOURS"])


def fate(platform: str, last_message_at: datetime | None, now: datetime, rules: Rules, *,
         facebook_template: bool, zalo_template: bool, zalo_paid: bool) -> Fate:
    """The route for one resident now; templates are used only outside the window."""
    age = None if last_message_at is None else (now - _utc(last_message_at)).total_seconds() / 3600
    if platform == FACEBOOK:
        if age is not None and age <= rules.messenger_hours:
            return Fate(WINDOW)
        return Fate(TEMPLATE) if facebook_template else Fate(None, "outside_window_no_template")
    if platform == ZALO:
        if age is not None and age <= rules.zalo_free_hours:
            return Fate(WINDOW)
        if age is not None and age <= rules.zalo_hours and zalo_paid:
            return Fate(PAID_WINDOW)
        if zalo_template:
            return Fate(TEMPLATE)
        inside = age is not None and age <= rules.zalo_hours
        return Fate(None, "paid_days_off_no_template" if inside else "outside_window_no_template")
    return Fate(None, "web_chat_never_pushed")


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)  # SQLite gives naive UTC


def parse_quiet_hours(spec: str) -> tuple[time, time]:
    """"21:00-07:00" -> (21:00, 07:00); raises ValueError on anything else."""
    start, end = spec.split("-")
    return time.fromisoformat(start.strip()), time.fromisoformat(end.strip())


def quiet_wait(now: datetime, spec: str) -> float:
    """Seconds until sending is allowed again (0 outside the quiet hours), in Asia/Ho_Chi_Minh."""
    start, end = parse_quiet_hours(spec)
    if start == end:
        return 0.0
    local = _utc(now).astimezone(LOCAL)
    clock = local.time()
    quiet = (start <= clock or clock < end) if start > end else (start <= clock < end)
    if not quiet:
        return 0.0
    day = local.date() if clock < end else local.date() + timedelta(days=1)
    opens = datetime.combine(day, end, tzinfo=LOCAL)
    return max(0.0, (opens - local).total_seconds())


def next_morning(now: datetime, spec: str) -> datetime:
    """When a daily limit resets for our purposes: the end of the next quiet period (07:00 tomorrow)."""
    _, end = parse_quiet_hours(spec)
    local = _utc(now).astimezone(LOCAL)
    day = local.date() + timedelta(days=1) if local.time() >= end else local.date()
    return datetime.combine(day, end, tzinfo=LOCAL).astimezone(timezone.utc)
