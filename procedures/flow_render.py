"""The end of a guided flow written out: the personal checklist, fee, time, where to go."""
from __future__ import annotations

from typing import Callable

from infra.models import Commune
from procedures import render
from procedures.flow import Result

Localize = Callable[[object], str | None]
Gettext = Callable[..., str]


def checklist_lines(result: Result, loc: Localize, _: Gettext) -> list[str]:
    items = [loc(d) for d in result.documents]
    if not items:
        return [_("The list of papers for this case is not confirmed yet. Please ask the one-stop desk before you go.")]
    return [_("📄 Papers to prepare:")] + [f"{n}. {item}" for n, item in enumerate(items, 1)]


def fee_line(result: Result, loc: Localize, _: Gettext) -> str:
    return _("💰 Fee: {fee}", fee=loc(result.fee) or _("not confirmed; please ask the one-stop desk"))


def time_line(result: Result, loc: Localize, _: Gettext) -> str:
    time = loc(result.content.get("processing_time")) or _("not confirmed; please ask the one-stop desk")
    return _("⏳ Processing time: {time}", time=time)


def summary(result: Result, commune: Commune | None, loc: Localize, _: Gettext, hours: str | None) -> str:
    content = result.content
    lines = [_("✅ For your case: {title}", title=loc(result.title))]
    if content.get("code"):
        lines.append(_("National procedure code: {code}", code=content["code"]))
    agency = loc(content.get("agency")) or _("not confirmed; please ask the one-stop desk")
    lines.append(_("🏛 Handled by: {agency}", agency=agency))
    lines += checklist_lines(result, loc, _)
    lines += [fee_line(result, loc, _), time_line(result, loc, _)]
    lines.append(_(render.ONLINE_LEVELS.get(content.get("online") or "unknown", render.ONLINE_LEVELS["unknown"])))
    lines.append(render.office_lines(commune, _, hours))
    lines += [f"ℹ️ {loc(note)}" for note in result.notes]
    return "\n".join(lines)
