"""Collecting the online form's fields: ask, validate, summarise, confirm, change one, cancel.

Values go straight into the encrypted prefill record; the conversation state holds only the
record's random id and which field is being asked. The resident's texts in these phases are
marked private so the message log does not keep them.
"""
from __future__ import annotations

from flask import current_app, has_request_context, request, url_for

from bot import consent
from bot import flow_session as session
from bot.context import Turn
from bot.messages import Button, QuickReply, Reply
from procedures import answers, communes, page_events, prefill, validators
from procedures import flow as flows
from i18n import N_
from infra.db import get_session
from procedures.handoff_token import make_token
from procedures.prefill_models import PrefillRecord


def _record(turn: Turn, state: dict):
    return prefill.load(state.get("record"))


def private(turn: Turn, state: dict) -> None:
    """The resident's text in this turn is a form detail: the message log keeps nothing, the
    transcript only the name of the field asked ("[họ và tên]")."""
    turn.outcome = {"decision": "flow", "intent": state["id"], "score": None, "private": True,
                    "redacted": field_placeholder(turn, state.get("field"))}


def field_placeholder(turn: Turn, name: str | None) -> str:
    """What a transcript keeps for a value typed for field `name`: its label, never the value."""
    field = flows.fields().get(name) if name else None
    return f"[{turn.localized(field['label']).lower()}]" if field else "[…]"


def start(turn: Turn, state: dict, result: flows.Result) -> list[Reply]:
    record = prefill.create(turn.incoming, turn.commune.id if turn.commune else None, state["id"],
                            result.variant, state["lang"])
    data = prefill.read(record)
    data["answers"] = dict(state["answers"])
    data["fields"].update({k: v for k, v in prefill.unseal(state.get("sealed")).items() if k in result.prefill})
    data["order"] = result.prefill
    prefill.write(record, data)
    state.update({"record": record.id, "sealed": None, "phase": "collect", "field": None, "asked": []})
    intro = Reply(turn._("I will ask for the details the online form needs. They are stored encrypted for {days} days, "
                         "only for you, and deleted when you cancel or type \"xóa dữ liệu của tôi\".",
                         days=_days()))
    return [intro] + _ask_next(turn, state)


def _days() -> int:
    return max(1, int(current_app.config.get("PREFILL_TTL", 7 * 24 * 3600)) // 86400)


def _missing(data: dict) -> list[str]:
    return [name for name in data.get("order") or [] if name not in data["fields"]]


def _ask_next(turn: Turn, state: dict) -> list[Reply]:
    record = _record(turn, state)
    if record is None:
        return expired(turn)
    missing = _missing(prefill.read(record))
    if not missing:
        return show_summary(turn, state)
    state.update({"phase": "collect", "field": missing[0]})
    state.setdefault("asked", []).append(missing[0])
    return [ask_field(turn, missing[0])]


def ask_field(turn: Turn, name: str) -> Reply:
    field = flows.fields()[name]
    return Reply(turn.localized(field["prompt"]),
                 quick_replies=session.nav_choices(turn) + [QuickReply(turn._("Cancel"), session.payload("cancel"))])


def on_text(turn: Turn, state: dict) -> list[Reply]:
    """A text while collecting, changing or confirming."""
    private(turn, state)
    if state["phase"] == "confirm":
        return _on_confirm_text(turn, state)
    return _take_value(turn, state, turn.incoming.text or "")


def _take_value(turn: Turn, state: dict, text: str) -> list[Reply]:
    record = _record(turn, state)
    if record is None:
        return expired(turn)
    name = state["field"]
    field = flows.fields()[name]
    checked = validators.check(field["kind"], text)
    if not checked.ok:
        return [Reply(turn._(checked.error) + "\n" + turn.localized(field["prompt"]),
                      quick_replies=ask_field(turn, name).quick_replies)]
    value, notes = checked.value, []
    if checked.warning:
        notes.append(Reply(turn._(checked.warning)))
    if field["kind"] == "place":
        value, notes = _with_current_commune(turn, value, name)
    prefill.set_field(record, name, value)
    if state["phase"] == "change":
        return notes + show_summary(turn, state)
    return notes + _ask_next(turn, state)


def accepts(state: dict, text: str) -> bool:
    """Whether `text` is a valid value for the field being asked."""
    return validators.check(flows.fields()[state["field"]]["kind"], text).ok


def _with_current_commune(turn: Turn, value: str, name: str) -> tuple[str, list[Reply]]:
    place = communes.resolve(value)
    if place is None or not place.converted:
        return value, []
    message = N_("After the 2025 reorganisation this place is now: {place}.")
    note = Reply(turn._(message, place=place.label), redacted=turn._(message, place=field_placeholder(turn, name)))
    return f"{value} ({place.label})", [note]


def show_summary(turn: Turn, state: dict) -> list[Reply]:
    record = _record(turn, state)
    if record is None:
        return expired(turn)
    data = prefill.read(record)
    state.update({"phase": "confirm", "field": None})
    lines, kept = [turn._("Please check your details:")], [turn._("Please check your details:")]
    for n, name in enumerate(data.get("order") or [], 1):
        label = turn.localized(flows.fields()[name]["label"])
        lines.append(f"{n}. {label}: {data['fields'].get(name, '—')}")
        kept.append(f"{n}. {label}: {field_placeholder(turn, name)}")
    lines.append(turn._("Is everything correct?"))
    kept.append(turn._("Is everything correct?"))
    # the resident reads their details; transcripts, delivery rows and staff pages keep the field names
    return [Reply("\n".join(lines), redacted="\n".join(kept), quick_replies=[
        QuickReply(turn._("Yes, correct"), session.payload("confirm")),
        QuickReply(turn._("Change one item"), session.payload("change")),
        QuickReply(turn._("Cancel"), session.payload("cancel")),
    ])]


def _on_confirm_text(turn: Turn, state: dict) -> list[Reply]:
    said = answers.yes_no(turn.incoming.text)
    if said is True:
        return confirm(turn, state)
    record = _record(turn, state)
    order = prefill.read(record).get("order", []) if record else []
    choices = [{"value": name, "label": flows.fields()[name]["label"]} for name in order]
    named = answers.choice(turn.incoming.text, choices, turn.lang)
    if named:
        return change(turn, state, named)
    return choose_change(turn, state)


def choose_change(turn: Turn, state: dict) -> list[Reply]:
    record = _record(turn, state)
    if record is None:
        return expired(turn)
    order = prefill.read(record).get("order") or []
    fields = flows.fields()
    choices = [QuickReply(turn.localized(fields[name].get("button") or fields[name]["label"]), session.payload("edit", name))
               for name in order]
    lines = [turn._("Which item do you want to change? Tap it or type its number.")]
    lines += [f"{n}. {turn.localized(flows.fields()[name]['label'])}" for n, name in enumerate(order, 1)]
    return [Reply("\n".join(lines), quick_replies=choices)]


def change(turn: Turn, state: dict, name: str) -> list[Reply]:
    record = _record(turn, state)
    if record is None:
        return expired(turn)
    if name not in (prefill.read(record).get("order") or []):
        return choose_change(turn, state)
    state.update({"phase": "change", "field": name})
    return [ask_field(turn, name)]


def back(turn: Turn, state: dict) -> list[Reply] | None:
    """One step back inside the collection; None when the collection is at its first field."""
    record = _record(turn, state)
    if record is None:
        return expired(turn)
    data = prefill.read(record)
    order = data.get("order") or []
    if state["phase"] == "change":
        return show_summary(turn, state)
    if state["phase"] == "confirm":
        return change(turn, state, order[-1]) if order else None
    asked = state.setdefault("asked", [])
    if len(asked) < 2:
        return None
    asked.pop()
    previous = asked[-1]
    data["fields"].pop(previous, None)
    prefill.write(record, data)
    state["field"] = previous
    return [ask_field(turn, previous)]


def offer_reminders(turn: Turn) -> list[Reply]:
    from bot.handlers import unsubscribe

    return unsubscribe.offer(turn)


def confirm(turn: Turn, state: dict) -> list[Reply]:
    record = _record(turn, state)
    if record is None:
        return expired(turn)
    session.end(turn, keep_record=True)
    get_session().flush()  # the record's fields are read back for reminders if the resident agrees
    return [hand_off_reply(turn, record.id, with_data=True)] + offer_reminders(turn)


def hand_off_reply(turn: Turn, record_id: str, with_data: bool) -> Reply:
    record = get_session().get(PrefillRecord, record_id)
    if record is not None:  # when it was sent: the "not opened after 3 days" reminder reads it
        page_events.prepared(record)
    url = page_url(make_token(record_id))
    if with_data:
        text = turn._("Your details are ready. Open the page below: it has your checklist and each detail with a "
                      "Copy button. Then tap the button there to go to the national portal, sign in with VNeID, "
                      "choose your commune and paste the details. The page works for {days} days.", days=_days())
    else:
        text = turn._("Here is your personal checklist with the button to the national portal. "
                      "The page works for {days} days.", days=_days())
    return Reply(text, buttons=[Button(turn._("Open my prepared page"), url)], private_links=True, quick_replies=[
        QuickReply(turn._("Delete my data"), session.payload("erase")),
        QuickReply(turn._("Menu"), "MENU"),
    ])


def page_url(token: str) -> str:
    """The /go/<token> link: on PUBLIC_BASE_URL, else on the host of the request. A platform worker
    answers outside any request, so the path is built from the URL map itself."""
    base = (current_app.config.get("PUBLIC_BASE_URL") or "").rstrip("/")
    if has_request_context():
        path = url_for("handoff_page.show", token=token)
    else:
        path = current_app.url_map.bind("localhost").build("handoff_page.show", {"token": token})
    if base:
        return base + path
    return request.host_url.rstrip("/") + path if has_request_context() else path


def cancel(turn: Turn) -> list[Reply]:
    session.end(turn)
    return [Reply(turn._("Cancelled. The details you typed have been deleted."),
                  quick_replies=turn.standard_choices())]


def erase(turn: Turn) -> list[Reply]:
    """"xóa dữ liệu của tôi": everything kept about the resident goes now (bot.privacy), the
    conversation state with it, and the reply says exactly what was deleted and what is kept."""
    from bot import privacy

    life_events = consent.erase(turn.incoming)  # before the subscriber record they hang on
    erased = privacy.erase(get_session(), turn.incoming, forget_state=False)
    erased.counts["life_events"] = life_events
    lang = turn.state.get("lang")
    turn.state.clear()
    if lang:
        turn.state["lang"] = lang
    turn.outcome = {"decision": "flow", "intent": "erase", "score": None, "private": True, "erased": True}
    return [Reply(erased_text(turn, erased), quick_replies=turn.standard_choices())]


# what "xóa dữ liệu của tôi" deleted, in the resident's words (keys: bot.privacy and the parts it calls)
ERASED_TEXTS = {
    "prepared_forms": N_("your prepared form details ({count})"),
    "transcript_lines": N_("our conversation history ({count} lines)"),
    "logged_messages": N_("your questions in our log ({count})"),
    "handover_texts": N_("the texts of your requests to staff ({count})"),
    "subscriber_records": N_("your contact record"),
    "life_events": N_("the dates you gave us for reminders ({count})"),
    "campaign_guide_starts": N_("the guides you opened from our reminders ({count})"),
    "handoff_page_events": N_("when your prepared pages were sent and opened ({count})"),
    "read_marks": N_("when you last read our reminders"),
    "deliveries": N_("our replies to you kept for sending ({count})"),
    "dead_letters": N_("messages that could not be delivered ({count})"),
}


def erased_text(turn: Turn, erased) -> str:
    items = [turn._(ERASED_TEXTS[key], count=count) for key, count in erased.counts.items()
             if count and key in ERASED_TEXTS]
    parts = [turn._("Done: I deleted {items}.", items="; ".join(items)) if items
             else turn._("There was nothing of yours stored here to delete.")]
    if erased.kept_opt_out:
        parts.append(turn._("I keep only a note that you do not want reminders, so that none are sent to you."))
    parts.append(turn._("Messages already in this chat stay in your app or browser; you can delete them there."))
    return " ".join(parts)


def expired(turn: Turn) -> list[Reply]:
    session.end(turn)
    return [Reply(turn._("Your prepared details are no longer stored (they expire after {days} days or were deleted). "
                         "Tap Menu to start again.", days=_days()), quick_replies=turn.standard_choices())]
