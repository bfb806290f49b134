"""Conversation state per resident, kept in the store with a TTL (plain JSON data)."""
from __future__ import annotations

import json

from bot.messages import Incoming
from infra.store import Store


def state_key(incoming: Incoming) -> str:
    return f"conv:{incoming.channel}:{incoming.commune}:{incoming.user}"


def parse_state(raw: str | None) -> dict:
    """The stored JSON as a dict; anything else (expired, corrupt) is a fresh start."""
    if not raw:
        return {}
    try:
        state = json.loads(raw)
    except ValueError:
        return {}
    return state if isinstance(state, dict) else {}


def save_state(store: Store, incoming: Incoming, state: dict, ttl: int) -> None:
    store.set(state_key(incoming), json.dumps(state, ensure_ascii=False), ttl=ttl)
