"""Web chat channel: a JSON endpoint and a page where anyone can talk to the bot in a browser.

POST /webchat/messages {"user": str, "text": str} or {"user": str, "payload": str}
→ {"replies": [{"text", "quick_replies": [{"title", "payload"}], "buttons": [{"title", "url"}]}]}
"""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template, request

from bot import payloads
from bot.engine import handle_message
from bot.messages import Incoming
from i18n import DEFAULT_LANGUAGE, LANGUAGES, gettext

bp = Blueprint("webchat", __name__, template_folder="templates", static_folder="static",
               static_url_path="/webchat/static")

MAX_BODY = 16 * 1024
MAX_USER = 128


class BadRequest(ValueError):
    """The request is not a web chat message; the text says why."""


@bp.errorhandler(BadRequest)
def _bad_request(error: BadRequest):
    return jsonify({"error": str(error)}), 400


def parse_message(data: object, commune: str) -> Incoming:
    if not isinstance(data, dict):
        raise BadRequest("expected a JSON object with 'user' and 'text' or 'payload'")
    user = data.get("user")
    if not isinstance(user, str) or not user.strip() or len(user) > MAX_USER:
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
    if request.content_length and request.content_length > MAX_BODY:
        raise BadRequest(f"the body is larger than {MAX_BODY} bytes")
    data = request.get_json(silent=True)
    if data is None:
        raise BadRequest("the body must be JSON")
    incoming = parse_message(data, request.args.get("commune") or current_app.config["WEBCHAT_COMMUNE"])
    replies = handle_message(incoming)
    return jsonify({"replies": [r.to_dict() for r in replies]})


@bp.get("/webchat/messages")
def staff_messages():
    """GET ?user=...&after=ID: replies commune staff wrote to this user from the admin (the page polls)."""
    from channels.staff_replies import webchat_staff_messages
    from bot.residents import find_commune

    user, after = request.args.get("user") or "", request.args.get("after") or "0"
    if not user.strip() or len(user) > MAX_USER:
        raise BadRequest(f"'user' must be a non-empty string of at most {MAX_USER} characters")
    if not after.isdigit():
        raise BadRequest("'after' must be a message id")
    commune = find_commune(request.args.get("commune") or current_app.config["WEBCHAT_COMMUNE"])
    return jsonify({"messages": webchat_staff_messages(commune, user, int(after)) if commune else []})


@bp.get("/chat")
def chat_page():
    """The page's own labels follow ?lang= or the browser's language (Vietnamese first)."""
    chosen = request.args.get("lang")
    chosen = chosen if chosen in LANGUAGES else None  # asked for in the address: the bot greets in it too
    lang = chosen or request.accept_languages.best_match(LANGUAGES) or DEFAULT_LANGUAGE
    return render_template("webchat/chat.html", commune=request.args.get("commune", ""), lang=lang,
                           start=payloads.start(chosen), max_chars=current_app.config["MAX_MESSAGE_CHARS"],
                           _=lambda message, **values: gettext(lang, message, **values))
