"""The main menu: the procedures residents of this commune ask about most."""
from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path

import yaml
from sqlalchemy import func, select

from bot import payloads
from bot.context import Turn
from flask import current_app

from bot.messages import QuickReply, Reply
from infra.db import get_session
from infra.models import MessageLog

DATA = Path(__file__).parent / "data" / "menu.yaml"


@lru_cache(maxsize=1)
def _defaults() -> tuple[list[str], int]:
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    return list(data["default"]), int(data["size"])


RANKING_SECONDS = 60  # the ranking moves slowly; counting the log at every greeting costs a scan


def most_asked(turn: Turn, days: int = 30) -> list[str]:
    """Intents answered most in the last days for this commune, topped up with the defaults."""
    defaults, size = _defaults()
    asked = _ranking(turn.commune.id if turn.commune else None, days, size)
    chosen = [i for i in asked + defaults if (e := turn.entry(i)) is not None and e.kind in ("procedure", "faq")]
    return list(dict.fromkeys(chosen))[:size]


def _ranking(commune_id: int | None, days: int, size: int) -> list[str]:
    """The commune's most answered intents, remembered per process for RANKING_SECONDS."""
    cache = current_app.extensions.setdefault("menu_ranking", {})
    key = (commune_id, days, size)
    hit = cache.get(key)
    if hit is not None and hit[0] > time.monotonic():
        return hit[1]
    since = datetime.now(timezone.utc) - timedelta(days=days)
    query = (
        select(MessageLog.intent, func.count())
        .where(MessageLog.decision == "answer", MessageLog.created_at >= since,
               MessageLog.commune_id == commune_id)
        .group_by(MessageLog.intent).order_by(func.count().desc()).limit(size)
    )
    asked = [intent for intent, _count in get_session().execute(query) if intent]
    cache[key] = (time.monotonic() + RANKING_SECONDS, asked)
    return asked


def main_menu(turn: Turn, text: str) -> Reply:
    choices = [QuickReply(turn.entry_name(turn.entry(i)), payloads.ask(i)) for i in most_asked(turn)]
    choices.append(QuickReply(turn._("Talk to staff"), payloads.HANDOFF))
    return Reply(text, quick_replies=choices)
