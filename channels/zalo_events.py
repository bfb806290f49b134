"""Zalo OA webhook body → Events. One event per POST; ids and timestamps are strings (they exceed 2^53).

Echoes of the OA's own messages (oa_send_*), delivery/read receipts and unknown events are
acknowledged and not answered.
"""
from __future__ import annotations

import logging

from channels.events import Event, ShapeError, as_millis, require_str
from channels.models import ZALO

log = logging.getLogger(__name__)

# Buttons we send with type oa.query.hide come back as a user_send_text carrying this prefix.
PAYLOAD_PREFIX = "#p:"
ATTACHMENT_EVENTS = {
    "user_send_image": "image", "user_send_gif": "gif", "user_send_sticker": "sticker",
    "user_send_audio": "audio", "user_send_video": "video", "user_send_file": "file",
    "user_send_location": "location", "user_send_link": "link", "user_send_business_card": "business_card",
}


def account_of(data: dict) -> str | None:
    """The OA the event is for: recipient.id for user events, oa_id for follow/unfollow."""
    if data.get("oa_id"):
        return str(data["oa_id"])
    recipient = data.get("recipient")
    return str(recipient["id"]) if isinstance(recipient, dict) and recipient.get("id") else None


def parse(data: object) -> list[Event]:
    if not isinstance(data, dict):
        raise ShapeError("expected a JSON object with \"event_name\"")
    name = data.get("event_name")
    if not isinstance(name, str) or not name:
        raise ShapeError("\"event_name\" must be a non-empty string")
    if name in ("follow", "unfollow"):
        return [_follow(data, name)]
    if name == "user_send_text" or name in ATTACHMENT_EVENTS:
        return [_user_message(data, name)]
    if name == "user_seen_message":
        return [_seen(data)]
    log.debug("zalo event %s acknowledged, not answered", name)
    return []


def _base(data: dict, user: str, oa: str) -> dict:
    return {"platform": ZALO, "account": oa, "user": user, "timestamp_ms": as_millis(data.get("timestamp"))}


def _follow(data: dict, name: str) -> Event:
    oa = require_str(data, "oa_id", name)
    user = require_str(data.get("follower") or {}, "id", f"{name}.follower")
    key = f"{ZALO}:{oa}:{name}:{user}:{data.get('timestamp')}"
    return Event(**_base(data, user, oa), kind=name, key=key)


def _seen(data: dict) -> Event:
    """`message.msg_ids` is a batch. Read like a user message (sender = resident, recipient = OA), as the
    OA is found for every Zalo event; OSS parsers disagree on the sides (outreach.md §4.6, L/U)."""
    user = require_str(data.get("sender") or {}, "id", "sender")
    oa = require_str(data.get("recipient") or {}, "id", "recipient")
    ids = (data.get("message") or {}).get("msg_ids")
    if not isinstance(ids, list) or not ids:
        raise ShapeError("user_seen_message: message.msg_ids must be a non-empty list")
    return Event(**_base(data, user, oa), kind="read", payload=",".join(str(i) for i in ids)[:2000],
                 key=f"{ZALO}:{oa}:seen:{user}:{data.get('timestamp')}")


def _user_message(data: dict, name: str) -> Event:
    user = require_str(data.get("sender") or {}, "id", "sender")
    oa = require_str(data.get("recipient") or {}, "id", "recipient")
    message = data.get("message")
    if not isinstance(message, dict):
        raise ShapeError(f"{name}: \"message\" must be an object")
    msg_id = require_str(message, "msg_id", "message")
    common = {**_base(data, user, oa), "key": f"{ZALO}:{oa}:{msg_id}", "message_id": msg_id}
    if name in ATTACHMENT_EVENTS:
        return Event(**common, kind="attachment", attachment=ATTACHMENT_EVENTS[name])
    text = message.get("text")
    if not isinstance(text, str):
        raise ShapeError("user_send_text: message.text must be a string")
    if text.startswith(PAYLOAD_PREFIX):
        return Event(**common, kind="payload", payload=text[len(PAYLOAD_PREFIX):])
    return Event(**common, kind="text", text=text)
