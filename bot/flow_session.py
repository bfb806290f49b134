"""The guided flow inside the conversation state: where it is kept, paused, resumed, ended.

turn.state["flow"] is the active flow (plain data, see procedures/flow.py);
turn.state["paused_flow"] is one flow the resident left and may resume within FLOW_TTL.
"""
from __future__ import annotations

from flask import current_app

from bot import payloads
from bot.context import Turn
from bot.messages import QuickReply
from procedures import flow as flows
from procedures import prefill

PREFIX = "FLOW:"  # FLOW:<action>[:<arg>[:<arg>]]


def payload(action: str, *args: str) -> str:
    return ":".join([PREFIX + action, *args])


def parse(value: str) -> tuple[str, list[str]] | None:
    if not value.startswith(PREFIX):
        return None
    action, *args = value[len(PREFIX):].split(":")
    return action, args


def ttl() -> float:
    return float(current_app.config.get("FLOW_TTL", 20 * 60))


def active(turn: Turn) -> dict | None:
    return turn.state.get("flow")


def paused(turn: Turn) -> dict | None:
    return turn.state.get("paused_flow")


def begin(turn: Turn, flow_id: str) -> dict:
    discard_paused(turn)
    state = flows.new_state(flow_id, turn.lang)
    turn.state["flow"] = state
    return state


def pause(turn: Turn) -> dict | None:
    """Set the active flow aside so the resident can come back to it within FLOW_TTL."""
    state = turn.state.pop("flow", None)
    if state is not None:
        discard_paused(turn)
        flows.touch(state)
        turn.state["paused_flow"] = state
    return state


def resume(turn: Turn) -> dict | None:
    state = turn.state.pop("paused_flow", None)
    if state is not None:
        flows.touch(state)
        turn.state["flow"] = state
    return state


def end(turn: Turn, keep_record: bool = False) -> None:
    """Finish the active flow; its unconfirmed form data is deleted unless kept."""
    state = turn.state.pop("flow", None)
    if state is not None and not keep_record:
        prefill.delete_record(state.get("record"))


def discard_paused(turn: Turn) -> None:
    """Only one flow waits to be resumed: an older one and its unconfirmed data go."""
    state = turn.state.pop("paused_flow", None)
    if state is not None:
        prefill.delete_record(state.get("record"))


def pin_language(turn: Turn, state: dict) -> str:
    """The flow keeps its language: a short answer ("mat the", "ok") or a Vietnamese name typed in
    an English flow must not switch it. An explicit switch (the language handler saved a new
    language since the flow's last turn) is followed. Returns the language the text was in."""
    written = turn.lang
    saved = turn.state.get("lang")
    if saved and saved != state.get("lang_seen", state["lang"]):
        state["lang"] = saved
    turn.lang = state["lang"]
    state["lang_seen"] = state["lang"]
    return written


def nav_choices(turn: Turn, back: bool = True) -> list[QuickReply]:
    choices = [QuickReply(turn._("Back"), payloads.BACK)] if back else []
    return choices + [QuickReply(turn._("Menu"), payloads.MENU)]
