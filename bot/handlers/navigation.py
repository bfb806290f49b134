"""Menu, back and stop: they work anywhere, by button or by word."""
from __future__ import annotations

from bot import payloads
from bot.commands import command_of
from bot.context import Turn
from bot.handlers import guided_flow, procedure_guide
from bot.menu import main_menu
from bot.messages import Reply

_PAYLOADS = {payloads.MENU: "menu", payloads.BACK: "back", payloads.STOP: "stop"}


def _command(turn: Turn) -> str | None:
    if turn.incoming.kind == "payload":
        return _PAYLOADS.get(turn.payload)
    if turn.incoming.kind == "text":
        return command_of(turn.incoming.text)
    return None


def handles(turn: Turn) -> bool:
    return _command(turn) is not None


def handle(turn: Turn) -> list[Reply]:
    command = _command(turn)
    if turn.state.get("flow"):
        return guided_flow.navigate(turn, command)
    turn.record("navigation", command)
    if command == "back":
        return _back(turn)
    turn.state.pop("steps", None)
    if command == "stop":
        return [Reply(turn._("All right, I have stopped. Type your question any time, or tap Menu."),
                      quick_replies=turn.standard_choices())]
    return [main_menu(turn, turn._("What would you like to do? Choose a topic or type your question."))]


def _back(turn: Turn) -> list[Reply]:
    steps = turn.state.get("steps") or []
    if len(steps) >= 2:
        steps.pop()
        procedure, section = steps[-1]
        return procedure_guide.show(turn, procedure, section, remember=False)
    turn.state.pop("steps", None)
    return [main_menu(turn, turn._("Back to the start. What would you like to do?"))]
