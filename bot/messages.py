"""Channel-neutral messages. Channels translate platform payloads to and from these."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone


def _now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(frozen=True)
class Incoming:
    """One thing a resident did: typed text, tapped a button, sent an attachment, arrived by a link.

    kind: "text" | "payload" | "attachment" | "referral" | "follow"
    payload: the machine value behind a tapped quick reply or button, or a referral ref.
    attachment: the attachment type for kind == "attachment" ("image", "sticker", "audio", ...).
    """
    channel: str
    commune: str
    user: str
    kind: str = "text"
    text: str | None = None
    payload: str | None = None
    attachment: str | None = None
    message_id: str | None = None
    time: datetime = field(default_factory=_now)


@dataclass(frozen=True)
class QuickReply:
    title: str
    payload: str


@dataclass(frozen=True)
class Button:
    title: str
    url: str


@dataclass
class Reply:
    text: str
    quick_replies: list[QuickReply] = field(default_factory=list)
    buttons: list[Button] = field(default_factory=list)
    # what transcripts and staff pages keep instead of `text` when the text holds a resident's form
    # details (the summary to confirm): the resident receives `text`, nothing stores it in clear
    redacted: str | None = None
    private_links: bool = False  # the buttons are bearer links to personal data (/go/<token>): never stored

    def __post_init__(self) -> None:
        if self.private_links and self.redacted is None:
            self.redacted = self.text

    @property
    def kept_text(self) -> str:
        """The text as it may be stored and shown to staff."""
        return self.text if self.redacted is None else self.redacted

    def for_record(self) -> "Reply":
        """This reply as it may be stored (the redacted text; the same buttons and quick replies)."""
        if self.redacted is None:
            return self
        return Reply(self.redacted, self.quick_replies, [] if self.private_links else self.buttons)

    def to_dict(self) -> dict:
        return {
            "text": self.text,
            "quick_replies": [{"title": q.title, "payload": q.payload} for q in self.quick_replies],
            "buttons": [{"title": b.title, "url": b.url} for b in self.buttons],
        }
