"""The hand-off page /go/<token>: the procedure, the personal checklist and the prepared details
with copy buttons, then the way to the national portal through /go/<token>/portal, which counts
the click (per procedure and commune) and redirects to a link with non-personal parameters only.

An expired, deleted or altered link shows a clear page and never the data.
"""
from __future__ import annotations

from flask import Blueprint, Response, current_app, make_response, redirect, render_template

from i18n import LANGUAGES, gettext
from infra.db import get_session
from knowledge.overrides import commune_answer_of
from knowledge.store import knowledge_base
from procedures import flow as flows
from procedures import page_events, prefill, render
from procedures.handoff_token import TokenExpired, TokenInvalid, read_token
from procedures.portal import build_portal_link
from procedures.prefill_models import PortalClick, PrefillRecord

bp = Blueprint("handoff_page", __name__, template_folder="templates", static_folder="static",
               static_url_path="/go-static")


def rate_limits(limiter) -> None:
    """Per address: a link holder opens a page a few times; nobody needs hundreds a minute."""
    from infra.limits import setting

    limiter.shared_limit(setting("WEBCHAT_RATE_IP"), scope="handoff-ip")(bp)

# The page holds personal data: no caching, no indexing, and no Referer to the portal.
PRIVATE_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
    "X-Content-Type-Options": "nosniff",
}


def _private(response: Response) -> Response:
    response.headers.update(PRIVATE_HEADERS)
    return response


def _unavailable(reason: str, status: int, lang: str = "vi") -> Response:
    _ = _gettext(lang)
    messages = {
        "expired": _("This link has expired or the prepared details were deleted. Please ask the chatbot again "
                     "to prepare a new page."),
        "invalid": _("This link is not valid. Please open the link exactly as the chatbot sent it, or ask the "
                     "chatbot again."),
    }
    page = render_template("handoff/unavailable.html", _=_, lang=lang, message=messages[reason])
    return _private(make_response(page, status))


def _gettext(lang: str):
    return lambda message, **values: gettext(lang, message, **values)


def _load(token: str) -> tuple[PrefillRecord | None, Response | None]:
    try:
        record_id = read_token(token)
    except TokenExpired:
        return None, _unavailable("expired", 410)
    except TokenInvalid:
        return None, _unavailable("invalid", 404)
    if not isinstance(record_id, str) or "\x00" in record_id:  # only our own tokens get here: ids we made
        return None, _unavailable("invalid", 404)
    record = prefill.load(record_id)
    if record is None:
        get_session().commit()  # an expired row found on the way is removed
        return None, _unavailable("expired", 410)
    return record, None


def _result(record: PrefillRecord, answers: dict) -> flows.Result | None:
    try:
        flow = flows.load_flow(record.flow_id)
    except KeyError:
        return None
    entry = knowledge_base().snapshot().entries.get(flow["procedure"])
    procedure = entry.content if entry is not None else {"name": {"vi": flow["id"], "en": flow["id"]}}
    facts = commune_answer_of(record.commune_id, entry.id) if entry is not None else None
    return flows.for_commune(flows.result(flow, answers, procedure), facts)


@bp.get("/go/<token>")
def show(token: str):
    record, failure = _load(token)
    if failure is not None:
        return failure
    data = prefill.read(record)
    lang = record.lang if record.lang in LANGUAGES else "vi"
    result = _result(record, data.get("answers") or {})
    if result is None:
        return _unavailable("expired", 410, lang)
    if page_events.opened(record):  # the first open: the funnel's step, and no "not opened" reminder
        get_session().commit()
    loc = _localizer(lang)
    details = [{"label": loc(flows.fields()[name]["label"]), "value": data["fields"][name]}
               for name in data.get("order") or [] if name in data.get("fields", {})]
    page = render_template(
        "handoff/page.html", _=_gettext(lang), lang=lang, loc=loc, result=result, details=details,
        portal_href=f"/go/{token}/portal" if _portal_link(result) else None,
        commune_note=render.note_line(result.content, loc, _gettext(lang)),
        expires=prefill.as_utc(record.expires_at).strftime("%d/%m/%Y"),
    )
    return _private(make_response(page, 200))


@bp.get("/go/<token>/portal")
def portal(token: str):
    record, failure = _load(token)
    if failure is not None:
        return failure
    result = _result(record, prefill.read(record).get("answers") or {})
    link = _portal_link(result) if result else None
    if link is None:
        return _unavailable("expired", 410, record.lang)
    get_session().add(PortalClick(flow_id=record.flow_id, variant=record.variant, code=result.content.get("code"),
                                  commune_id=record.commune_id))
    get_session().commit()
    return _private(redirect(link, code=302))


def _portal_link(result: flows.Result) -> str | None:
    return build_portal_link(result.content, current_app.config["PORTAL_BASE_URL"])


def _localizer(lang: str):
    def loc(value):
        if value is None or isinstance(value, str):
            return value
        return value.get(lang) or value.get("vi")
    return loc
