"""The conversation so far, per resident: what they sent and what the bot or staff answered."""
from __future__ import annotations

from sqlalchemy import insert, select

from bot.messages import Incoming, Reply
from bot.residents import mask_personal_numbers
from infra.db import get_session
from infra.models import Commune, TranscriptLine

MAX_TEXT = 4000


def _inbound_text(incoming: Incoming) -> str | None:
    if incoming.kind == "text" or incoming.text:  # a tapped or typed button: its title
        return incoming.text
    if incoming.kind == "attachment":
        return incoming.attachment
    return incoming.payload


def record_inbound(incoming: Incoming, commune: Commune | None, mask: bool = True) -> None:
    _insert_lines([_inbound_line(incoming, commune, mask)])


def _inbound_line(incoming: Incoming, commune: Commune | None, mask: bool) -> dict:
    text = _inbound_text(incoming)
    text = mask_personal_numbers(text) if mask else text
    return {"channel": incoming.channel, "commune_id": commune.id if commune else None, "user_id": incoming.user,
            "direction": "in", "kind": incoming.kind, "text": (text or "")[:MAX_TEXT]}


PRIVATE_TEXT = "[…]"


def turn_lines(incoming: Incoming, commune: Commune | None, replies: list[Reply],
               outcome: dict | None = None) -> list[dict]:
    """One bot turn as staff may read it: long digit runs masked (0912***678), a form detail the
    resident typed replaced by the field's name ("[họ và tên]"), other personal details by "[…]", the
    bot's summary of the form by its redacted rendering. The turn that erased the resident's data
    leaves no line."""
    outcome = outcome or {}
    if outcome.get("erased"):
        return []
    inbound = _inbound_line(incoming, commune, mask=True)
    if outcome.get("private"):
        inbound["text"] = outcome.get("redacted") or PRIVATE_TEXT
    return [inbound] + _bot_lines(incoming, commune, replies)


def _bot_lines(incoming: Incoming, commune: Commune | None, replies: list[Reply]) -> list[dict]:
    return [{"channel": incoming.channel, "commune_id": commune.id if commune else None, "user_id": incoming.user,
             "direction": "bot", "kind": "text", "text": reply.kept_text[:MAX_TEXT]} for reply in replies]


def record_bot(incoming: Incoming, commune: Commune | None, replies: list[Reply]) -> None:
    """What the bot said outside a turn of its own (it acknowledges while staff hold the talk)."""
    if replies:
        _insert_lines(_bot_lines(incoming, commune, replies))


def _insert_lines(lines: list[dict]) -> None:
    # plain inserts in one statement: never read back in the turn that writes them
    get_session().execute(insert(TranscriptLine), lines)


def record_staff(channel: str, commune: Commune, user: str, text: str, username: str) -> TranscriptLine:
    line = TranscriptLine(channel=channel, commune_id=commune.id, user_id=user, direction="staff", kind="text",
                          text=text[:MAX_TEXT], staff_username=username)
    get_session().add(line)
    return line


def conversation(channel: str, commune: Commune, user: str, limit: int = 200) -> list[TranscriptLine]:
    rows = get_session().scalars(
        select(TranscriptLine).where(TranscriptLine.channel == channel, TranscriptLine.commune_id == commune.id,
                                     TranscriptLine.user_id == user)
        .order_by(TranscriptLine.id.desc()).limit(limit))
    return list(reversed(list(rows)))
