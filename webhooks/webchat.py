"""Web chat channel: a JSON endpoint and a page where anyone can talk to the bot in a browser.

POST /webchat/messages {"user": str, "text": str} or {"user": str, "payload": str}
→ {"replies": [{"text", "quick_replies": [{"title", "payload"}], "buttons": [{"title", "url"}]}]}

Errors are JSON {"error": reason}: 400 not a message, 413 body over MAX_BODY (counted while
reading, chunked or not), 429 over a rate limit (Retry-After says when to try again).
"""
from __future__ import annotations

from flask import Blueprint, current_app, g, jsonify, render_template, request
from flask_limiter import Limiter
from werkzeug.exceptions import RequestEntityTooLarge, TooManyRequests

from bot import payloads
from bot.campaign_links import referral_payload
from bot.engine import handle_message
from bot.messages import Incoming
from i18n import DEFAULT_LANGUAGE, LANGUAGES, gettext
from infra import limits, safe_json

from knowledge.store import knowledge_base

bp = Blueprint("webchat", __name__, template_folder="templates", static_folder="static",
               static_url_path="/webchat/static")

MAX_BODY = 16 * 1024
MAX_USER = 128
MAX_MESSAGE_ID = 2 ** 31 - 1


class BadRequest(ValueError):
    """The request is not a web chat message; the text says why."""


@bp.errorhandler(BadRequest)
def _bad_request(error: BadRequest):
    return jsonify({"error": str(error)}), 400


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(_error: RequestEntityTooLarge):
    return jsonify({"error": f"the body is larger than {MAX_BODY} bytes"}), 413


@bp.errorhandler(TooManyRequests)
def _too_many(error: TooManyRequests):
    response = jsonify({"error": "too many requests; try again later"})
    response.status_code = 429
    return response  # Flask-Limiter adds Retry-After and X-RateLimit-* to it


def rate_limits(limiter: Limiter) -> None:
    """Per resident (commune + user) for messages and polls, per address for everything here."""
    limiter.limit(limits.setting("WEBCHAT_RATE_RESIDENT"), key_func=_resident_key,
                  exempt_when=limits.only_for("webchat.post_message"))(bp)
    limiter.limit(limits.setting("WEBCHAT_POLL_RATE_RESIDENT"), key_func=_resident_key,
                  exempt_when=limits.only_for("webchat.staff_messages"))(bp)
    limiter.shared_limit(limits.setting("WEBCHAT_RATE_IP"), scope="webchat-ip")(bp)


def _resident_key() -> str:
    """commune and user of the message or poll; a body that names no user counts for its address."""
    if request.method == "POST":
        try:
            data = _json_body()
        except RequestEntityTooLarge:
            data = None  # the view answers 413; it still counts for the address
        user = data.get("user") if isinstance(data, dict) else None
    else:
        user = request.args.get("user")
    if not isinstance(user, str) or not user.strip() or len(user) > MAX_USER:
        return "address:" + limits.client_address()
    return f"resident:{request.args.get('commune', '')[:64]}:{user}"


def _json_body() -> object:
    """The body as JSON, read once and kept for the view; None if it is not JSON.

    Raises RequestEntityTooLarge (413) past MAX_BODY, counted while reading (chunked bodies too)."""
    if "webchat_body" not in g:
        # one byte more than allowed is read, so a chunked body cut at the cap is told from one that fits
        request.max_content_length = MAX_BODY + 1
        try:
            raw = request.get_data(cache=True)
            if len(raw) > MAX_BODY:
                raise RequestEntityTooLarge()
            g.webchat_body = safe_json.loads(raw)
        except safe_json.JsonRejected:
            g.webchat_body = None
        except RequestEntityTooLarge:
            g.webchat_body = RequestEntityTooLarge
    if g.webchat_body is RequestEntityTooLarge:
        raise RequestEntityTooLarge()
    return g.webchat_body


def parse_message(data: object, commune: str) -> Incoming:
    if not isinstance(data, dict):
        raise BadRequest("expected a JSON object with 'user' and 'text' or 'payload'")
    user = data.get("user")
    if not isinstance(user, str) or not user.strip() or len(user) > MAX_USER or "\x00" in user:
        raise BadRequest(f"'user' must be a non-empty string of at most {MAX_USER} characters")
    text, payload = data.get("text"), data.get("payload")
    if payload is not None:
        if not isinstance(payload, str):
            raise BadRequest("'payload' must be a string")
        return Incoming(channel="webchat", commune=commune, user=user, kind="payload", payload=payload)
    if not isinstance(text, str):
        raise BadRequest("'text' (a string) or 'payload' is required")
    return Incoming(channel="webchat", commune=commune, user=user, kind="text", text=text)


@bp.post("/webchat/messages")
def post_message():
    data = _json_body()
    if data is None:
        raise BadRequest("the body must be JSON")
    incoming = parse_message(data, _commune_arg())
    replies = handle_message(incoming)
    return jsonify({"replies": [r.to_dict() for r in replies]})


@bp.get("/webchat/messages")
def staff_messages():
    """GET ?user=...&after=ID: replies commune staff wrote to this user from the admin (the page polls)."""
    from channels.staff_replies import webchat_staff_messages
    from bot.residents import find_commune

    user, after = request.args.get("user") or "", request.args.get("after") or "0"
    if not user.strip() or len(user) > MAX_USER or "\x00" in user:
        raise BadRequest(f"'user' must be a non-empty string of at most {MAX_USER} characters")
    if not (after.isascii() and after.isdigit() and len(after) <= 18):
        raise BadRequest("'after' must be a message id")
    commune = find_commune(_commune_arg())
    # ids are 32-bit in PostgreSQL: nothing lies after the largest one
    after_id = min(int(after), MAX_MESSAGE_ID)
    return jsonify({"messages": webchat_staff_messages(commune, user, after_id) if commune else []})


def _commune_arg() -> str:
    """?commune= (a slug) or the web chat's own; text no slug can be is a 400, not a database error."""
    slug = request.args.get("commune") or current_app.config["WEBCHAT_COMMUNE"]
    if len(slug) > MAX_USER or "\x00" in slug:
        raise BadRequest("'commune' must be a commune's short name")
    return slug


@bp.get("/chat")
def chat_page():
    """The page's own labels follow ?lang= or the browser's language (Vietnamese first)."""
    chosen = request.args.get("lang")
    chosen = chosen if chosen in LANGUAGES else None  # asked for in the address: the bot greets in it too
    lang = chosen or request.accept_languages.best_match(LANGUAGES) or DEFAULT_LANGUAGE
    # ?start=<intent>[__c<campaign>]: a campaign's or a poster's link opens that guide directly
    start = referral_payload(request.args.get("start"), knowledge_base().snapshot().entries) \
        if request.args.get("start") else payloads.start(chosen)
    return render_template("webchat/chat.html", commune=request.args.get("commune", ""), lang=lang,
                           start=start, max_chars=current_app.config["MAX_MESSAGE_CHARS"],
                           _=lambda message, **values: gettext(lang, message, **values))
