"""The main menu: the procedures residents of this commune ask about most."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path

import yaml
from sqlalchemy import func, select

from bot import payloads
from bot.context import Turn
from bot.messages import QuickReply, Reply
from infra.db import get_session
from infra.models import MessageLog

DATA = Path(__file__).parent / "data" / "menu.yaml"


@lru_cache(maxsize=1)
def _defaults() -> tuple[list[str], int]:
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    return list(data["default"]), int(data["size"])


def most_asked(turn: Turn, days: int = 30) -> list[str]:
    """Intents answered most in the last days for this commune, topped up with the defaults."""
    defaults, size = _defaults()
    since = datetime.now(timezone.utc) - timedelta(days=days)
    query = (
        select(MessageLog.intent, func.count())
        .where(MessageLog.decision == "answer", MessageLog.created_at >= since,
               MessageLog.commune_id == (turn.commune.id if turn.commune else None))
        .group_by(MessageLog.intent).order_by(func.count().desc()).limit(size)
    )
    asked = [intent for intent, _count in get_session().execute(query) if intent]
    chosen = [i for i in asked + defaults if (e := turn.entry(i)) is not None and e.kind in ("procedure", "faq")]
    return list(dict.fromkeys(chosen))[:size]


def main_menu(turn: Turn, text: str) -> Reply:
    choices = [QuickReply(turn.entry_name(turn.entry(i)), payloads.ask(i)) for i in most_asked(turn)]
    choices.append(QuickReply(turn._("Talk to staff"), payloads.HANDOFF))
    return Reply(text, quick_replies=choices)
