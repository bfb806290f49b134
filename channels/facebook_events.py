"""Messenger webhook body → Events: every entry[] and every messaging[] item (batches are common).

Echoes, deliveries, reads, opt-ins, handovers and standby items are acknowledged and not answered
(reads and echoes are passed on for the campaign funnel: channels/receipts.py).
"""
from __future__ import annotations

import logging

from channels.events import Event, ShapeError, as_millis, require_str
from channels.models import FACEBOOK

log = logging.getLogger(__name__)

GET_STARTED = "GET_STARTED"  # the Page's "Get started" button payload (set with the Messenger profile)
START = "START"  # bot.payloads.START


def parse(data: object) -> list[Event]:
    if not isinstance(data, dict):
        raise ShapeError("expected a JSON object with \"object\": \"page\" and \"entry\"")
    if data.get("object") != "page":
        raise ShapeError(f"\"object\" must be \"page\", not {data.get('object')!r}")
    entries = data.get("entry")
    if not isinstance(entries, list):
        raise ShapeError("\"entry\" must be a list")
    events: list[Event] = []
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise ShapeError(f"entry[{i}] must be an object")
        page = require_str(entry, "id", f"entry[{i}]")
        items = entry.get("messaging", [])
        if not isinstance(items, list):  # standby[] (another app owns the thread) is not answered
            raise ShapeError(f"entry[{i}].messaging must be a list")
        for j, item in enumerate(items):
            event = _event(page, item, f"entry[{i}].messaging[{j}]")
            if event is not None:
                events.append(event)
    return events


def _event(page: str, item: object, where: str) -> Event | None:
    if not isinstance(item, dict):
        raise ShapeError(f"{where} must be an object")
    sender = require_str(item.get("sender") or {}, "id", f"{where}.sender")
    base = {"platform": FACEBOOK, "account": page, "user": sender, "timestamp_ms": as_millis(item.get("timestamp"))}
    if isinstance(item.get("message"), dict) and item["message"].get("is_echo"):
        return _echo(page, item, base["timestamp_ms"])
    if isinstance(item.get("message"), dict):
        return _message(base, item["message"], where)
    if isinstance(item.get("postback"), dict):
        return _postback(base, item["postback"])
    if isinstance(item.get("referral"), dict):
        return _referral(base, item["referral"], None)
    if isinstance(item.get("read"), dict) and as_millis(item["read"].get("watermark")) is not None:
        watermark = as_millis(item["read"]["watermark"])  # all messages sent at or before it were read
        return Event(**base, kind="read", payload=str(watermark),
                     key=f"{FACEBOOK}:{page}:read:{sender}:{watermark}")
    log.debug("messenger %s item without a message, postback or referral: acknowledged", where)
    return None


def _echo(page: str, item: dict, timestamp_ms: int | None) -> Event | None:
    """Our own (or the Page inbox's) message, never answered (that would loop). Its `timestamp` is
    the platform's time of the message: read watermarks are on that clock (outreach.md §3), so it is
    passed on for the campaign funnel. Sender is the Page here; the resident is the recipient."""
    recipient = item.get("recipient")
    recipient = recipient.get("id") if isinstance(recipient, dict) else None
    mid = item["message"].get("mid")
    if not isinstance(mid, str) or not mid or isinstance(recipient, bool) or not isinstance(recipient, (str, int)) \
            or not str(recipient).strip() or timestamp_ms is None:
        return None
    return Event(platform=FACEBOOK, account=page, user=str(recipient), kind="echo", timestamp_ms=timestamp_ms,
                 message_id=mid, key=f"{FACEBOOK}:{page}:echo:{mid}")


def _message(base: dict, message: dict, where: str) -> Event | None:
    mid = require_str(message, "mid", f"{where}.message")
    common = {**base, "key": f"{FACEBOOK}:{base['account']}:{mid}", "message_id": mid}
    quick = message.get("quick_reply")
    if isinstance(quick, dict) and isinstance(quick.get("payload"), str):
        return Event(**common, kind="payload", payload=quick["payload"], text=_text(message))
    if isinstance(message.get("text"), str):
        return Event(**common, kind="text", text=message["text"])
    attachments = message.get("attachments")
    if isinstance(attachments, list) and attachments:
        return Event(**common, kind="attachment", attachment=_attachment_type(message, attachments[0]))
    raise ShapeError(f"{where}.message has neither text nor attachments")


def _text(message: dict) -> str | None:
    return message["text"] if isinstance(message.get("text"), str) else None


def _attachment_type(message: dict, first: object) -> str:
    if message.get("sticker_id") or (isinstance(first, dict) and isinstance(first.get("payload"), dict)
                                     and first["payload"].get("sticker_id")):
        return "sticker"  # stickers arrive as images carrying a sticker_id
    kind = first.get("type") if isinstance(first, dict) else None
    return kind if isinstance(kind, str) and kind else "file"


def _postback(base: dict, postback: dict) -> Event:
    referral = postback.get("referral")
    if isinstance(referral, dict) and referral.get("ref"):
        return _referral(base, referral, postback.get("mid"))
    payload = postback.get("payload")
    payload = START if payload in (None, "", GET_STARTED) else str(payload)
    mid = postback.get("mid")
    key = f"{FACEBOOK}:{base['account']}:{mid}" if mid else \
        f"{FACEBOOK}:{base['account']}:postback:{base['user']}:{base['timestamp_ms']}"
    return Event(**base, kind="payload", payload=payload, key=key, message_id=mid)


def _referral(base: dict, referral: dict, mid: str | None) -> Event:
    """m.me/PAGE?ref=... : inside a Get Started postback (new thread) or on its own (existing thread)."""
    ref = referral.get("ref")
    key = f"{FACEBOOK}:{base['account']}:{mid}" if mid else \
        f"{FACEBOOK}:{base['account']}:referral:{base['user']}:{base['timestamp_ms']}"
    return Event(**base, kind="referral", ref=str(ref) if ref else None, key=key, message_id=mid)
