"""How a campaign's button opens a procedure guide: the m.me `ref`, the web chat's `?start=` and the
Zalo button payload carry the intent id and the campaign id, and nothing about the resident.

Messenger allows only letters, digits, `-`, `_` and `=` in a ref (channels.md A2), hence `__c`.
"""
from __future__ import annotations

import re

from bot import payloads

_REF = re.compile(r"^(?P<intent>[A-Za-z0-9-]{1,80})(?:__c(?P<campaign>\d{1,12}))?$")


def ref_for(intent: str, campaign_id: int | None) -> str:
    return intent if campaign_id is None else f"{intent}__c{campaign_id}"


def payload_for(intent: str, campaign_id: int) -> str:
    return f"{payloads.CAMPAIGN}{campaign_id}:{intent}"


def parse_ref(ref: str | None) -> tuple[str, int | None] | None:
    match = _REF.match(ref or "")
    if match is None:
        return None
    campaign = match.group("campaign")
    return match.group("intent"), int(campaign) if campaign else None


def parse_payload(value: str) -> tuple[int, str] | None:
    if not value.startswith(payloads.CAMPAIGN):
        return None
    campaign, _, intent = value[len(payloads.CAMPAIGN):].partition(":")
    return (int(campaign), intent) if campaign.isdigit() and intent else None


def referral_payload(ref: str | None, known_intents) -> str:
    """m.me/PAGE?ref=<intent>[__c<campaign>] or /chat?start=...: the payload that opens the guide
    (through the campaign handler when a campaign is named); any other ref is a plain start."""
    parsed = parse_ref(ref)
    if parsed is None or parsed[0] not in known_intents:
        return payloads.START
    intent, campaign = parsed
    return payloads.ask(intent) if campaign is None else payload_for(intent, campaign)
