"""Step-by-step guidance: the questions that change the answer, the personal checklist, then the
prepared form data and the hand-off page. Flows are data (procedures/flows/*.yaml).

While a flow runs this handler answers every text: an answer moves it on, a new question on
another topic pauses it (and says so) before the next handlers answer, "tiếp tục" resumes it.
Back, menu and stop come through bot/handlers/navigation.py (`navigate`).
"""
from __future__ import annotations

from datetime import date

from flask import current_app

from bot import flow_session as session
from bot import office_hours, payloads, prefill_collect
from bot.context import Turn
from bot.messages import Button, QuickReply, Reply
from i18n import N_
from knowledge.overrides import commune_answer
from procedures import answers, prefill, render, validators
from procedures import flow as flows
from procedures.flow_render import summary
from procedures.portal import build_portal_link

COLLECTING = ("collect", "change", "confirm")


# --------------------------------------------------------------------------- dispatch

def handles(turn: Turn) -> bool:
    if turn.payload.startswith(session.PREFIX):
        return True
    if turn.incoming.kind == "payload":
        return session.active(turn) is not None and _is_topic_payload(turn.payload)
    if turn.incoming.kind != "text":
        return False
    text = turn.incoming.text
    if answers.says(text, "erase") or session.active(turn) is not None:
        return True
    if session.paused(turn) is not None and (answers.says(text, "resume") or answers.says(text, "restart")):
        return True
    return answers.mentions(text, "start_flow") and _flow_for_topic(turn) is not None


def handle(turn: Turn) -> list[Reply]:
    parsed = session.parse(turn.payload)
    text = turn.incoming.text if turn.incoming.kind == "text" else None
    if (parsed and parsed[0] == "erase") or (text and answers.says(text, "erase")):
        return prefill_collect.erase(turn)
    state = session.active(turn)
    if state is not None and flows.is_stale(state, session.ttl()):
        return _restart_politely(turn, state["id"])
    if parsed:
        return _on_payload(turn, *parsed)
    if state is None:
        return _without_active_flow(turn, text)
    written = session.pin_language(turn, state)
    turn.record("flow", state["id"])
    if turn.incoming.kind == "payload":
        return _topic_change(turn, state, written)
    if state["phase"] in COLLECTING:
        return _collecting_text(turn, state, written)
    if state["phase"] == "result":
        return _result_text(turn, state, written)
    return _answer_text(turn, state, text or "", written)


def _is_topic_payload(value: str) -> bool:
    return value.startswith(payloads.ASK) or value.startswith(payloads.SECTION)


def _flow_for_topic(turn: Turn) -> str | None:
    """The flow a "step by step" request means: the procedure named in it, else the one on screen."""
    if turn.match is not None and turn.match.decision == "answer" and flows.has_flow(turn.match.intent):
        return turn.match.intent
    steps = turn.state.get("steps") or []
    return steps[-1][0] if steps and flows.has_flow(steps[-1][0]) else None


def _on_payload(turn: Turn, action: str, args: list[str]) -> list[Reply]:
    state = session.active(turn)
    if action == "start" and args and flows.has_flow(args[0]):
        return start(turn, args[0])
    if action == "resume":
        return _resume(turn)
    if action == "restart":
        paused = session.paused(turn) or state
        return start(turn, paused["id"], fresh=True) if paused else _nothing_to_resume(turn)
    if state is None:
        return _nothing_to_resume(turn)
    session.pin_language(turn, state)
    turn.record("flow", state["id"])
    if action == "ans" and len(args) == 2:
        return _answer_payload(turn, state, args[0], args[1])
    return _collection_payload(turn, state, action, args)


def _collection_payload(turn: Turn, state: dict, action: str, args: list[str]) -> list[Reply]:
    if action == "prefill" and state["phase"] == "result":
        return prefill_collect.start(turn, state, _result(turn, state))
    if action == "link" and state["phase"] == "result":
        return _link_only(turn, state)
    if action == "cancel":
        return prefill_collect.cancel(turn)
    if state["phase"] not in COLLECTING:
        return current_step(turn, state)
    prefill_collect.private(turn, state)
    if action == "confirm" and state["phase"] == "confirm":
        return prefill_collect.confirm(turn, state)
    if action == "change":
        return prefill_collect.choose_change(turn, state)
    if action == "edit" and args:
        return prefill_collect.change(turn, state, args[0])
    return current_step(turn, state)


# --------------------------------------------------------------------------- start, resume, expire

def start(turn: Turn, flow_id: str, fresh: bool = False) -> list[Reply]:
    paused = session.paused(turn)
    if not fresh and paused is not None and paused["id"] == flow_id and not flows.is_stale(paused, session.ttl()):
        return [_offer_resume(turn, paused)]
    state = session.begin(turn, flow_id)
    turn.record("flow", flow_id)
    name = turn.localized(turn.entry(flow_id).content["name"]) if turn.entry(flow_id) else flow_id
    intro = Reply(turn._("Let's find exactly what applies to you for: {name}. A few short questions; "
                         "type \"quay lại\" to go back one step or \"menu\" to leave.", name=name))
    return [intro] + current_step(turn, state)


def _offer_resume(turn: Turn, paused: dict) -> Reply:
    turn.record("flow", paused["id"])
    return Reply(turn._("You started this guide a little while ago. Continue where you left off, or start again?"),
                 quick_replies=[QuickReply(turn._("Continue"), session.payload("resume")),
                                QuickReply(turn._("Start again"), session.payload("restart"))])


def _resume(turn: Turn) -> list[Reply]:
    paused = session.paused(turn)
    if paused is None:
        return _nothing_to_resume(turn)
    if flows.is_stale(paused, session.ttl()):
        return _restart_politely(turn, paused["id"])
    state = session.resume(turn)
    turn.record("flow", state["id"])
    session.pin_language(turn, state)
    return [Reply(turn._("Welcome back! Let's continue."))] + current_step(turn, state)


def _without_active_flow(turn: Turn, text: str | None) -> list[Reply]:
    if text and answers.says(text, "resume"):
        return _resume(turn)
    if text and answers.says(text, "restart") and session.paused(turn):
        return start(turn, session.paused(turn)["id"], fresh=True)
    flow_id = _flow_for_topic(turn)
    return start(turn, flow_id) if flow_id else _nothing_to_resume(turn)


def _nothing_to_resume(turn: Turn) -> list[Reply]:
    turn.record("flow")
    return [Reply(turn._("There is no guide to continue. Choose a topic or type your question."),
                  quick_replies=turn.standard_choices())]


def _restart_politely(turn: Turn, flow_id: str) -> list[Reply]:
    session.end(turn)
    session.discard_paused(turn)
    notice = Reply(turn._("It has been a while since your last answer, so let's start this guide again from the beginning."))
    return [notice] + start(turn, flow_id, fresh=True)[1:]


# --------------------------------------------------------------------------- questions

def current_step(turn: Turn, state: dict) -> list[Reply]:
    """Say again where the flow stands: the question, the result, the field or the summary."""
    flow = flows.load_flow(state["id"])
    if state["phase"] in ("collect", "change"):
        return [prefill_collect.ask_field(turn, state["field"])]
    if state["phase"] == "confirm":
        return prefill_collect.show_summary(turn, state)
    question = flows.next_question(flow, state)
    if question is None:
        return _show_result(turn, state)
    state["phase"] = "ask"
    return [_ask(turn, state, question)]


def _ask(turn: Turn, state: dict, question: dict, prefix: str | None = None) -> Reply:
    text = turn.localized(question["text"])
    if prefix:
        text = f"{prefix}\n{text}"
    return Reply(text, quick_replies=_answer_choices(turn, question) + session.nav_choices(turn, back=True))


def _answer_choices(turn: Turn, question: dict) -> list[QuickReply]:
    qid = question["id"]
    if question["kind"] == "yes_no":
        return [QuickReply(turn._("Yes"), session.payload("ans", qid, "yes")),
                QuickReply(turn._("No"), session.payload("ans", qid, "no"))]
    if question["kind"] == "choice":
        return [QuickReply(turn.localized(c["label"]), session.payload("ans", qid, c["value"]))
                for c in question["choices"]]
    return []


def _answer_payload(turn: Turn, state: dict, qid: str, value: str) -> list[Reply]:
    flow = flows.load_flow(state["id"])
    question = flows.next_question(flow, state) if state["phase"] == "ask" else None
    if question is None or question["id"] != qid:
        return current_step(turn, state)  # a button from an earlier message
    if question["kind"] == "yes_no" and value in ("yes", "no"):
        return _accept(turn, state, flow, question, value == "yes")
    if question["kind"] == "choice" and value in {c["value"] for c in question["choices"]}:
        return _accept(turn, state, flow, question, value)
    return current_step(turn, state)


def _answer_text(turn: Turn, state: dict, text: str, written: str) -> list[Reply]:
    flow = flows.load_flow(state["id"])
    question = flows.next_question(flow, state)
    if question is None:
        return _show_result(turn, state)
    value, error = _understand(turn, question, text)
    if value is not None:
        return _accept(turn, state, flow, question, value)
    if _is_new_topic(turn, state):
        return _topic_change(turn, state, written)
    return [_ask(turn, state, question, prefix=turn._(error))]


def _understand(turn: Turn, question: dict, text: str) -> tuple[object, str]:
    if question["kind"] == "yes_no":
        return answers.yes_no(text), N_("Sorry, I did not catch that. Please answer yes or no (\"có\" / \"không\").")
    if question["kind"] == "choice":
        return answers.choice(text, question["choices"], turn.lang), N_("Sorry, I did not catch that. Please tap one of the choices.")
    checked = validators.check_date(text)
    return (validators.parse_date(text) if checked.ok else None), (checked.error or validators.DATE_ERROR)


def _accept(turn: Turn, state: dict, flow: dict, question: dict, value: object) -> list[Reply]:
    if question["kind"] == "date" and question.get("fills"):
        sealed = prefill.unseal(state.get("sealed"))
        sealed[question["fills"]] = value.strftime("%d/%m/%Y")
        state["sealed"] = prefill.seal(sealed)
    if question["kind"] == "date" and turn.incoming.kind == "text":  # a birth or death date: kept nowhere in clear
        turn.outcome.update(private=True, redacted=prefill_collect.field_placeholder(turn, question.get("fills")))
    flows.record_answer(flow, state, question["id"], value, date.today())
    flows.touch(state)
    return current_step(turn, state)


def _is_new_topic(turn: Turn, state: dict) -> bool:
    match = turn.match
    if match is None or match.decision != "answer" or match.intent == state["id"]:
        return False
    entry = turn.entry(match.intent)
    return entry is not None and entry.kind in ("procedure", "faq")


def _topic_change(turn: Turn, state: dict, written: str) -> list[Reply]:
    """Pause the flow, say so, and let the next handlers answer the new question (in the
    language it was written in)."""
    from bot.handlers import HANDLERS  # the list imports this module
    from bot.handlers import guided_flow

    name = turn.localized(turn.entry(state["id"]).content["name"]) if turn.entry(state["id"]) else state["id"]
    session.pause(turn)
    notice = Reply(turn._("I have paused the step-by-step guide for {name} to answer your new question. "
                          "Type \"tiếp tục\" within {minutes} minutes to come back to it.",
                          name=name, minutes=int(session.ttl() // 60)))
    later = HANDLERS[HANDLERS.index(guided_flow) + 1:]
    turn.outcome = {}
    turn.lang = written
    return [notice] + next(h for h in later if h.handles(turn)).handle(turn)


# --------------------------------------------------------------------------- result

def _result(turn: Turn, state: dict) -> flows.Result:
    flow = flows.load_flow(state["id"])
    entry = turn.entry(flow["procedure"])
    procedure = entry.content if entry is not None else {"name": {"vi": flow["id"], "en": flow["id"]}}
    facts = commune_answer(turn.commune, entry) if entry is not None else None
    return flows.for_commune(flows.result(flow, state["answers"], procedure), facts)


def _show_result(turn: Turn, state: dict) -> list[Reply]:
    state["phase"] = "result"
    result = _result(turn, state)
    place = render.office_for(result.content, turn.commune, lambda hours: office_hours.describe(hours, turn.lang),
                              turn.localized, turn._)
    text = summary(result, place, turn.localized, turn._)
    choices = []
    if result.prefill:
        choices.append(QuickReply(turn._("Prepare my form details"), session.payload("prefill")))
    choices.append(QuickReply(turn._("My checklist page"), session.payload("link")))
    choices += session.nav_choices(turn) + [QuickReply(turn._("Talk to staff"), payloads.HANDOFF)]
    link = build_portal_link(result.content, current_app.config["PORTAL_BASE_URL"])
    buttons = [Button(turn._("Open on the national portal"), link)] if link else []
    turn.record("answer", state["id"])
    return [Reply(text, quick_replies=choices, buttons=buttons)]


def _result_text(turn: Turn, state: dict, written: str) -> list[Reply]:
    said = answers.yes_no(turn.incoming.text)
    result = _result(turn, state)
    if said is True and result.prefill:
        return prefill_collect.start(turn, state, result)
    if _is_new_topic(turn, state) or said is None:
        return _topic_change(turn, state, written) if _is_new_topic(turn, state) else _leave_quietly(turn, written)
    return current_step(turn, state)


def _leave_quietly(turn: Turn, written: str) -> list[Reply]:
    """After the result, other words are a new conversation: the flow steps aside (resumable)."""
    from bot.handlers import HANDLERS
    from bot.handlers import guided_flow

    session.pause(turn)
    turn.outcome = {}
    turn.lang = written
    later = HANDLERS[HANDLERS.index(guided_flow) + 1:]
    return next(h for h in later if h.handles(turn)).handle(turn)


def _link_only(turn: Turn, state: dict) -> list[Reply]:
    result = _result(turn, state)
    record = prefill.create(turn.incoming, turn.commune.id if turn.commune else None, state["id"],
                            result.variant, state["lang"])
    prefill.write(record, {"answers": dict(state["answers"]), "fields": {}, "order": []})
    session.end(turn, keep_record=True)
    return [prefill_collect.hand_off_reply(turn, record.id, with_data=False)] + prefill_collect.offer_reminders(turn)


def _collecting_text(turn: Turn, state: dict, written: str) -> list[Reply]:
    # A question instead of the value asked starts its own guide, as during the questions; only when
    # the text is no valid value, since a name can look like a procedure to the matcher.
    text = turn.incoming.text or ""
    if state["phase"] != "confirm" and not prefill_collect.accepts(state, text) and _is_new_topic(turn, state):
        return _topic_change(turn, state, written)
    return prefill_collect.on_text(turn, state)


# --------------------------------------------------------------------------- navigation

def navigate(turn: Turn, command: str) -> list[Reply]:
    """"quay lại" / "menu" / "thôi" while a flow is active (called by the navigation handler)."""
    from bot.menu import main_menu

    state = session.active(turn)
    session.pin_language(turn, state)
    turn.record("navigation", command)
    if command == "back":
        return _back(turn, state)
    if command == "stop" and state["phase"] in COLLECTING:
        return prefill_collect.cancel(turn)
    session.pause(turn)
    minutes = int(session.ttl() // 60)
    if command == "stop":
        return [Reply(turn._("All right, I have stopped the guide. Type \"tiếp tục\" within {minutes} minutes to "
                             "continue it, or ask me anything.", minutes=minutes), quick_replies=turn.standard_choices())]
    return [main_menu(turn, turn._("I have paused the guide (type \"tiếp tục\" within {minutes} minutes to continue). "
                                   "What would you like to do?", minutes=minutes))]


def _back(turn: Turn, state: dict) -> list[Reply]:
    from bot.handlers import procedure_guide

    flow = flows.load_flow(state["id"])
    if state["phase"] in COLLECTING:
        replies = prefill_collect.back(turn, state)
        if replies is not None:
            return replies
        prefill.delete_record(state.get("record"))
        state.update({"record": None, "field": None})
        return _show_result(turn, state)
    question = flows.undo_last(flow, state)
    if question is None:
        session.end(turn)
        return procedure_guide.show(turn, flow["procedure"], "overview", remember=False)
    state["phase"] = "ask"
    return [_ask(turn, state, question)]
