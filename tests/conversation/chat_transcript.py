"""Transcript helpers of the conversation tests: a resident (Chat) and what the bot said (Said)."""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from pathlib import Path

import yaml

PROCEDURES = Path(__file__).resolve().parents[2] / "procedures" / "data"


@dataclass
class Said:
    """One reply of the bot, as the web chat returns it."""
    text: str
    quick_replies: list[dict]
    buttons: list[dict]

    @property
    def payloads(self) -> list[str]:
        return [q["payload"] for q in self.quick_replies]

    @property
    def titles(self) -> list[str]:
        return [q["title"] for q in self.quick_replies]

    @property
    def urls(self) -> list[str]:
        return [b["url"] for b in self.buttons]


class Chat:
    """One resident talking to the bot through the web chat (Errbot's testbot, for our engine)."""

    def __init__(self, client, user: str = "resident-1", commune: str | None = None) -> None:
        self.client = client
        self.user = user
        self.commune = commune
        self.inbox: deque[Said] = deque()

    def post(self, body: dict):
        url = "/webchat/messages" + (f"?commune={self.commune}" if self.commune else "")
        response = self.client.post(url, json=body)
        assert response.status_code == 200, (body, response.status_code, response.get_data(as_text=True))
        replies = [Said(r["text"], r["quick_replies"], r["buttons"]) for r in response.get_json()["replies"]]
        assert replies, f"no reply to {body!r}"
        for reply in replies:
            assert reply.text.strip(), f"an empty reply to {body!r}"
        self.inbox.extend(replies)
        return replies

    def push_message(self, text: str) -> list[Said]:
        return self.post({"user": self.user, "text": text})

    def push_payload(self, payload: str) -> list[Said]:
        return self.post({"user": self.user, "payload": payload})

    def pop_message(self) -> Said:
        assert self.inbox, "the bot said nothing (more)"
        return self.inbox.popleft()

    def ask(self, text: str) -> Said:
        """Send a text and return the bot's one reply (the inbox is emptied)."""
        self.inbox.clear()
        self.push_message(text)
        return self._only()

    def tap(self, payload: str) -> Said:
        """Tap a quick reply or button payload and return the bot's one reply."""
        self.inbox.clear()
        self.push_payload(payload)
        return self._only()

    def _only(self) -> Said:
        reply = self.pop_message()
        assert not self.inbox, f"expected one reply, got more: {list(self.inbox)}"
        return reply


def procedure_ids() -> list[str]:
    return sorted(p.stem for p in PROCEDURES.glob("*.yaml"))


def procedure_content(procedure: str) -> dict:
    return yaml.safe_load((PROCEDURES / f"{procedure}.yaml").read_text(encoding="utf-8"))


SECTIONS = ("documents", "fee", "time", "online", "details")  # one tap away from the first reply


def section_of(said: Said, procedure: str) -> str | None:
    """Which section of `procedure`'s guide a reply shows: the one its quick replies leave out, or
    "overview" (the first reply) when every section is offered."""
    offered = {p.rsplit(":", 1)[1] for p in said.payloads if p.startswith(f"PROC:{procedure}:")}
    if not offered or not offered <= set(SECTIONS):
        return None
    missing = set(SECTIONS) - offered
    if not missing:
        return "overview"
    return missing.pop() if len(missing) == 1 else None


def leads_to(said: Said, procedure: str, section: str | None = None) -> bool:
    """True when the bot answered with `procedure`'s guide (at `section` if given), or, unsure,
    asked back with `procedure` among the choices. Robust to matcher tuning, strict on topic."""
    if f"ASK:{procedure}" in said.payloads:  # a clarifying question that offers it
        return not any(p.startswith("PROC:") for p in said.payloads)
    shown = section_of(said, procedure)
    return shown is not None and (section is None or shown == section)
