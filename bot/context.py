"""What a handler knows about one turn of the conversation."""
from __future__ import annotations

from dataclasses import dataclass, field

from bot.messages import Incoming, QuickReply
from bot import payloads
from i18n import gettext
from infra.models import Commune, Entry
from knowledge.matcher import Match
from knowledge.ownership import visible_to
from knowledge.store import Snapshot


@dataclass
class Turn:
    incoming: Incoming
    lang: str
    state: dict
    kb: Snapshot
    commune: Commune | None
    match: Match | None = None
    outcome: dict = field(default_factory=dict)  # what the message log records: decision, intent
    outcome_cache: dict = field(default_factory=dict)  # answers computed once per turn (the catalogue tier's)

    def _(self, message: str, **values: object) -> str:
        return gettext(self.lang, message, **values)

    @property
    def payload(self) -> str:
        return self.incoming.payload or ""

    def entry(self, intent: str) -> Entry | None:
        entry = self.kb.entries.get(intent)
        return entry if entry is not None and visible_to(entry, self.commune) else None  # another commune's own

    def entry_name(self, entry: Entry) -> str:
        return entry.name_en if self.lang == "en" else entry.name_vi

    def localized(self, value: dict | str | None) -> str | None:
        """A {vi, en} field of the content in the turn's language."""
        if value is None or isinstance(value, str):
            return value
        return value.get(self.lang) or value.get("vi")

    def record(self, decision: str, intent: str | None = None, score: float | None = None) -> None:
        # a text already known to be a form detail stays private whatever the turn goes on to answer
        kept = {key: self.outcome[key] for key in ("private", "redacted", "erased") if key in self.outcome}
        self.outcome = {"decision": decision, "intent": intent, "score": score, **kept}

    def standard_choices(self) -> list[QuickReply]:
        return [
            QuickReply(self._("Talk to staff"), payloads.HANDOFF),
            QuickReply(self._("Menu"), payloads.MENU),
        ]

    def chosen_entry(self) -> Entry | None:
        """The entry the resident picked (ASK payload) or the matcher answered with confidence."""
        if self.payload.startswith(payloads.ASK):
            return self.entry(self.payload[len(payloads.ASK):])
        if self.match is not None and self.match.decision == "answer":
            return self.entry(self.match.intent)
        return None

    def chosen_kind(self, *kinds: str) -> Entry | None:
        entry = self.chosen_entry()
        return entry if entry is not None and entry.kind in kinds else None

    def chosen_behaviour(self, behaviour: str) -> bool:
        entry = self.chosen_kind("meta")
        return entry is not None and entry.content.get("behaviour") == behaviour
