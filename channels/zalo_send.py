"""Zalo OA consultation messages (POST /v3.0/oa/message/cs): rendering, sending, error codes.

Zalo answers HTTP 200 with {"error": <code>} on failure, so the body decides. Quick replies
become `oa.query.hide` buttons whose payload comes back as a hidden user_send_text message.
Zalo has no typing indicator in the OA API.
"""
from __future__ import annotations

import requests
from flask import current_app

from bot.messages import Reply
from channels.render import chunks, shorten, split_text
from channels.results import PERMANENT, SENT, STALE_TOKEN, TRANSIENT, SendResult, make_session, network_failure
from channels.zalo_events import PAYLOAD_PREFIX
from i18n import N_, gettext

TEXT_LIMIT = 2000
MAX_BUTTONS = 5  # vendor SDKs cap a message at 5 buttons (official maximum not published)
BUTTON_TITLE = 100
BUTTON_PAYLOAD = 1000
MORE_OPTIONS = N_("More options")  # text of a further message carrying buttons beyond the first five

TRANSIENT_CODES = {"-32", "-100"}  # API call rate limit, unknown error: back off
STALE_TOKEN_CODES = {"-216", "-220"}  # access token invalid / expired: refresh once
REASONS = {"-230": "outside_window", "-232": "outside_window", "-213": "not_follower", "-227": "user_unreachable",
           "-244": "user_unreachable", "-218": "recipient_quota", "-211": "out_of_quota", "-32": "rate_limited",
           "-216": "invalid_token", "-220": "invalid_token", "-201": "invalid_message", "-204": "oa_disabled",
           "-205": "oa_disabled", "-234": "night", "-133": "night", "-144": "oa_daily_limit",
           "-147": "template_daily_limit", "-131": "template_not_approved", "-146": "template_disabled",
           "-115": "balance", "-137": "balance", "-320": "balance", "-321": "balance", "-139": "user_refused",
           "-141": "user_refused", "-114": "user_unreachable", "-119": "user_unreachable", "-249": "template_no_uid",
           "-100": "unknown"}

session = make_session()


# --------------------------------------------------------------------------- rendering

def render(replies: list[Reply], lang: str) -> list[dict]:
    messages: list[dict] = []
    for reply in replies:
        messages.extend(_render_reply(reply, lang))
    return messages


def _buttons(reply: Reply) -> list[dict]:
    links = [{"type": "oa.open.url", "title": shorten(b.title, BUTTON_TITLE), "payload": {"url": b.url}}
             for b in reply.buttons if b.url]
    queries = [{"type": "oa.query.hide", "title": shorten(q.title, BUTTON_TITLE),
                "payload": (PAYLOAD_PREFIX + q.payload)[:BUTTON_PAYLOAD]} for q in reply.quick_replies if q.payload]
    return links + queries


def _render_reply(reply: Reply, lang: str) -> list[dict]:
    messages = [{"text": p} for p in split_text(reply.text, TEXT_LIMIT)] or [{"text": "…"}]
    for i, group in enumerate(chunks(_buttons(reply), MAX_BUTTONS)):
        if i > 0:
            messages.append({"text": gettext(lang, MORE_OPTIONS)})
        messages[-1]["attachment"] = {"type": "template", "payload": {"buttons": group}}
    return messages


# --------------------------------------------------------------------------- sending

def send(token: str, user_id: str, message: dict) -> SendResult:
    config = current_app.config
    body = {"recipient": {"user_id": user_id}, "message": message}
    try:
        response = session.post_json(f"{config['ZALO_OPENAPI_URL']}/v3.0/oa/message/cs", body,
                                     headers={"access_token": token}, timeout=config["SEND_TIMEOUT"])
    except requests.RequestException as error:
        return network_failure(error)
    return classify(response)


def send_template(token: str, user_id: str, template_id: str, data: dict) -> SendResult:
    """A ZBS template message by user id (POST /v3.0/oa/message/template): Zalo's way to reach a resident
    more than 7 days after their last interaction (outreach.md §4.2). Same error envelope as /cs."""
    config = current_app.config
    body = {"user_id": user_id, "template_id": template_id, "template_data": data}
    try:
        response = session.post_json(f"{config['ZALO_OPENAPI_URL']}/v3.0/oa/message/template", body,
                                     headers={"access_token": token}, timeout=config["SEND_TIMEOUT"])
    except requests.RequestException as error:
        return network_failure(error)
    return classify(response)


def classify(response: requests.Response) -> SendResult:
    if response.status_code >= 500 or response.status_code == 429:
        return SendResult(TRANSIENT, code=f"http_{response.status_code}")
    try:
        data = response.json()
    except ValueError:
        data = None
    if not isinstance(data, dict) or "error" not in data:
        return SendResult(TRANSIENT if response.status_code == 200 else PERMANENT, code=f"http_{response.status_code}",
                          detail="unexpected response body")
    code = str(data["error"])
    if code == "0":
        payload = data.get("data") if isinstance(data.get("data"), dict) else {}
        return SendResult(SENT, message_id=str(payload.get("message_id") or ""))
    detail = str(data.get("message", ""))[:500]
    if code in STALE_TOKEN_CODES:
        return SendResult(STALE_TOKEN, code=code, detail=detail, reason="invalid_token")
    outcome = TRANSIENT if code in TRANSIENT_CODES else PERMANENT
    return SendResult(outcome, code=code, detail=detail, reason=REASONS.get(code, "rejected"))
