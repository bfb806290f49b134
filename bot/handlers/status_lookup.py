"""Application status: a resident who gives an application code (mã hồ sơ) gets the portal's
lookup page and what the statuses mean. The code is repeated in the text only, never put in a
URL: the lookup page is opened plain and the resident types the code there."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml
from flask import current_app

from bot.context import Turn
from bot.messages import Button, Reply
from knowledge.normalize import normalize_vietnamese
from procedures.portal import status_lookup_link

DATA = Path(__file__).resolve().parent.parent.parent / "procedures" / "common" / "statuses.yaml"
# Application codes look like "H26.107-250312-0001" or "000.00.31.H26-250101-0001": letters,
# digits, dots and dashes with at least six digits. A bare 9–12 digit number is a phone or an
# ID number, not an application code.
_CODE = re.compile(r"(?<![\w.-])(?=[\w.-]*\d[\w.-]*\d[\w.-]*\d[\w.-]*\d[\w.-]*\d[\w.-]*\d)"
                   r"(?=[\w.-]*[A-Za-z.-])[A-Za-z0-9][\w.-]{7,40}(?![\w.-])")
_KEYWORDS = ("ma ho so", "tra cuu ho so", "ho so cua toi", "tinh trang ho so", "trang thai ho so",
             "application code", "application status", "status of my application", "my application")


@lru_cache(maxsize=1)
def statuses() -> dict:
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))


def application_code(text: str | None) -> str | None:
    found = _CODE.search(text or "")
    return found.group(0) if found else None


def handles(turn: Turn) -> bool:
    if turn.incoming.kind != "text":
        return False
    plain = f" {normalize_vietnamese(turn.incoming.text or '').plain} "
    return application_code(turn.incoming.text) is not None and any(f" {k} " in plain for k in _KEYWORDS)


def handle(turn: Turn) -> list[Reply]:
    code = application_code(turn.incoming.text)
    turn.record("answer", "faq-tra-cuu-ho-so")
    lines = [turn._("To see the status of application {code}: open the lookup page below and type the code there.",
                    code=code),
             turn._("What the statuses mean:")]
    for item in statuses()["statuses"]:
        lines.append(f"• {turn.localized(item['name'])}: {turn.localized(item['meaning'])}")
    link = status_lookup_link(current_app.config["PORTAL_BASE_URL"])
    return [Reply("\n".join(lines), buttons=[Button(turn._("Look up my application"), link)],
                  quick_replies=turn.standard_choices())]
