"""The end of a guided flow written out: the personal checklist, fee, time, where to go.

Unlike the first reply to a question (procedures/render.py), the result of a guide is the resident's
full checklist for their case, so its facts are given in full, with the code the desk looks it up by."""
from __future__ import annotations

from typing import Callable

from procedures import render
from procedures.flow import Result
from procedures.render import Office

Localize = Callable[[object], str | None]
Gettext = Callable[..., str]


def checklist_lines(result: Result, loc: Localize, _: Gettext) -> list[str]:
    items = [loc(d) for d in result.documents]
    if not items:
        return [_("The list of papers for this case is not confirmed yet. Please ask the one-stop desk before you go.")]
    return [_("📄 Papers to prepare:")] + [f"{n}. {item}" for n, item in enumerate(items, 1)]


def fee_line(result: Result, loc: Localize, _: Gettext) -> str:
    fee = loc(result.fee)
    return _("💰 Fee: {fee}", fee=fee or _("not confirmed; please ask the one-stop desk"))


def time_line(result: Result, loc: Localize, _: Gettext) -> str:
    time = loc(result.content.get("processing_time"))
    return _("⏳ Processing time: {time}", time=time or _("not confirmed; please ask the one-stop desk"))


def summary(result: Result, office: Office, loc: Localize, _: Gettext) -> str:
    """The result of a guide: for whom, the papers, fee, time, online level and the office to go to."""
    content = result.content
    lines = [_("✅ For your case: {title}", title=loc(result.title))]
    lines += checklist_lines(result, loc, _)
    lines += [fee_line(result, loc, _), time_line(result, loc, _)]
    lines.append(_(render.ONLINE_LEVELS.get(content.get("online") or "unknown", render.ONLINE_LEVELS["unknown"])))
    lines.append(render.office_lines(office, _))
    lines += [f"ℹ️ {loc(note)}" for note in result.notes]
    lines += [note for note in [render.note_line(content, loc, _)] if note]
    if content.get("code"):  # for the desk: the officer finds the procedure by its code
        lines.append(_("National procedure code: {code}", code=content["code"]))
    return "\n".join(lines)
