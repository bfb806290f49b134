"""Messenger Send API: render replies within Messenger's limits, send them, read the error codes.

The Page token goes in the Authorization header (Graph accepts OAuth bearer tokens), never in
the URL: URLs end up in logs and exception messages.
"""
from __future__ import annotations

import logging

import requests
from flask import current_app

from bot.messages import Reply
from channels.render import chunks, shorten, split_last, split_text
from channels.results import PERMANENT, SENT, TRANSIENT, SendResult, make_session, network_failure
from i18n import N_, gettext

log = logging.getLogger(__name__)

TEXT_LIMIT = 2000
TEMPLATE_TEXT_LIMIT = 640  # button template text
MAX_QUICK_REPLIES = 13
QUICK_REPLY_TITLE = 20
QUICK_REPLY_PAYLOAD = 1000
MAX_BUTTONS = 3
BUTTON_TITLE = 20
MORE_LINKS = N_("More links")  # text of a further button template beyond the first three links

# Retry: rate limits (4, 17, 32, 613), temporary send failure (1200), unexpected error (2).
TRANSIENT_CODES = {"2", "4", "17", "32", "341", "613", "1200"}
REASONS = {"10/2018278": "outside_window", "551": "user_unreachable", "100/2018001": "user_unreachable",
           "190": "invalid_token", "4/2018354": "frequency_limit", "9/2018352": "frequency_limit"}
PERMANENT_SUBCODES = {"4/2018354"}

session = make_session()


# --------------------------------------------------------------------------- rendering

def render(replies: list[Reply], lang: str) -> list[dict]:
    """Messenger `message` objects, in order; quick replies ride on the last one of each reply."""
    messages: list[dict] = []
    for reply in replies:
        messages.extend(_render_reply(reply, lang))
    return messages


def _render_reply(reply: Reply, lang: str) -> list[dict]:
    buttons = [b for b in reply.buttons if b.url]
    pieces = split_last(reply.text, TEXT_LIMIT, TEMPLATE_TEXT_LIMIT) if buttons else split_text(reply.text, TEXT_LIMIT)
    messages = [{"text": p} for p in (pieces[:-1] if buttons else pieces)]
    for i, group in enumerate(chunks(buttons, MAX_BUTTONS)):
        text = pieces[-1] if i == 0 else gettext(lang, MORE_LINKS)
        messages.append({"attachment": {"type": "template", "payload": {
            "template_type": "button", "text": text or "…",
            "buttons": [{"type": "web_url", "url": b.url, "title": shorten(b.title, BUTTON_TITLE)} for b in group],
        }}})
    quick = [q for q in reply.quick_replies if q.payload][:MAX_QUICK_REPLIES]
    if quick and messages:
        messages[-1]["quick_replies"] = [
            {"content_type": "text", "title": shorten(q.title, QUICK_REPLY_TITLE),
             "payload": q.payload[:QUICK_REPLY_PAYLOAD]} for q in quick]
    return messages


# --------------------------------------------------------------------------- sending

def _post(token: str, body: dict) -> requests.Response:
    config = current_app.config
    return session.post_json(f"{config['FACEBOOK_GRAPH_URL']}/me/messages", body,
                             headers={"Authorization": f"Bearer {token}"}, timeout=config["SEND_TIMEOUT"])


def send(token: str, psid: str, message: dict, messaging_type: str = "RESPONSE") -> SendResult:
    """One message; `messaging_type` UPDATE for a message the bot starts inside the 24 h window."""
    body = {"recipient": {"id": psid}, "messaging_type": messaging_type, "message": message}
    try:
        response = _post(token, body)
    except requests.RequestException as error:
        return network_failure(error)
    return classify(response)


def utility_template(name: str, language: str, body_params: list[str], url_params: list[str] = ()) -> dict:
    """A Utility Message template (the only Messenger message allowed outside the 24 h window in 2026,
    outreach.md §1.4): `message.template` with positional body parameters and URL-button suffixes."""
    components = [{"type": "body", "parameters": [{"type": "text", "text": p} for p in body_params]}]
    if url_params:
        components.append({"type": "buttons", "parameters": [{"type": "URL", "url": p} for p in url_params]})
    return {"template": {"name": name, "language": {"code": language}, "components": components}}


def typing_on(graph_url: str, timeout: float, token: str, psid: str) -> None:
    """Best effort "typing…" bubble (a separate request: sender_action cannot ride with a message)."""
    try:
        session.post_json(f"{graph_url}/me/messages", {"recipient": {"id": psid}, "sender_action": "typing_on"},
                          headers={"Authorization": f"Bearer {token}"}, timeout=timeout)
    except requests.RequestException as error:
        log.info("typing indicator not shown: %s", type(error).__name__)


def classify(response: requests.Response) -> SendResult:
    try:
        data = response.json()
    except ValueError:
        data = None
    if response.status_code == 200 and isinstance(data, dict) and data.get("message_id"):
        return SendResult(SENT, message_id=str(data["message_id"]))
    error = data.get("error") if isinstance(data, dict) else None
    if not isinstance(error, dict):
        outcome = TRANSIENT if response.status_code >= 500 or response.status_code == 429 else PERMANENT
        return SendResult(outcome, code=f"http_{response.status_code}")
    code = str(error.get("code", ""))
    full = f"{code}/{error['error_subcode']}" if error.get("error_subcode") else code
    detail = str(error.get("message", ""))[:500]
    transient = (code in TRANSIENT_CODES and full not in PERMANENT_SUBCODES) or response.status_code >= 500
    return SendResult(TRANSIENT if transient else PERMANENT, code=full, detail=detail,
                      reason=REASONS.get(full) or REASONS.get(code) or ("rate_limited" if transient else "rejected"))
