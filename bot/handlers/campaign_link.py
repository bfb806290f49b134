"""A resident arrives by a campaign's button or link: record it (the funnel's last step), then open
the guide the button names exactly as the menu would."""
from __future__ import annotations

from dataclasses import replace

from bot import campaign_links, consent, payloads
from bot.context import Turn
from bot.messages import Reply


def handles(turn: Turn) -> bool:
    return campaign_links.parse_payload(turn.payload) is not None


def handle(turn: Turn) -> list[Reply]:
    from bot.handlers import HANDLERS

    campaign_id, intent = campaign_links.parse_payload(turn.payload)
    consent.record_guide_start(turn.incoming, campaign_id, intent)
    turn.incoming = replace(turn.incoming, payload=payloads.ask(intent))
    return next(h for h in HANDLERS if h.__name__ != __name__ and h.handles(turn)).handle(turn)
