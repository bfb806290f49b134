"""A procedure guide written out, section by section, in the resident's language.

Facts come from the procedure's data file; a fact that is not known is said to be unknown
and the resident is sent to the one-stop desk, never given a guess.
"""
from __future__ import annotations

from typing import Callable

from i18n import N_
from infra.models import Commune

Localize = Callable[[object], str | None]
Gettext = Callable[..., str]

ONLINE_LEVELS = {
    "full": N_("Fully online: you can submit and receive the result online."),
    "partial": N_("Partly online: you can submit online, but some steps still happen at the office."),
    "none": N_("Not online: you have to go to the office."),
    "unknown": N_("Whether it can be done online is not confirmed; ask the one-stop desk."),
}


def overview(content: dict, loc: Localize, _: Gettext) -> str:
    lines = [f"📋 {loc(content.get('official_name') or content['name'])}"]
    if content.get("summary"):
        lines.append(loc(content["summary"]))
    if content.get("deadline"):
        lines.append(_("⏰ Deadline: {text}", text=loc(content["deadline"])))
    if content.get("agency"):
        lines.append(_("🏛 Handled by: {agency}", agency=loc(content["agency"])))
    lines.append(_(ONLINE_LEVELS.get(content.get("online") or "unknown", ONLINE_LEVELS["unknown"])))
    if content.get("code"):
        lines.append(_("National procedure code: {code}", code=content["code"]))
    return "\n".join(lines)


def documents(content: dict, loc: Localize, _: Gettext) -> str:
    items = [loc(d) for d in content.get("documents") or []]
    if not items:
        return _("The list of papers for this procedure is not confirmed yet. Please ask the one-stop desk before you go.")
    lines = [_("📄 Papers to prepare:")] + [f"{n}. {item}" for n, item in enumerate(items, 1)]
    return "\n".join(lines)


def fee_and_time(content: dict, loc: Localize, _: Gettext) -> str:
    fee = loc(content.get("fee")) or _("not confirmed; please ask the one-stop desk")
    time = loc(content.get("processing_time")) or _("not confirmed; please ask the one-stop desk")
    return "\n".join([_("💰 Fee: {fee}", fee=fee), _("⏳ Processing time: {time}", time=time)])


def where(content: dict, commune: Commune | None, loc: Localize, _: Gettext, hours: str | None) -> str:
    lines = [_(ONLINE_LEVELS.get(content.get("online") or "unknown", ONLINE_LEVELS["unknown"]))]
    if content.get("online_note"):
        lines.append(loc(content["online_note"]))
    lines.append(office_lines(commune, _, hours))
    return "\n".join(lines)


def office_lines(commune: Commune | None, _: Gettext, hours: str | None) -> str:
    if commune is None or not commune.address:
        return _("In person: the one-stop desk of your commune People's Committee. This commune has not entered its address here yet.")
    text = _("In person: {name}, {address}.", name=commune.name, address=commune.address)
    if hours:
        text += "\n" + _("Opening hours: {hours}", hours=hours)
    if commune.phone:
        text += "\n" + _("Phone: {phone}", phone=commune.phone)
    return text


def legal_basis(content: dict, _: Gettext) -> str | None:
    laws = content.get("legal_basis") or []
    return _("Legal basis: {laws}", laws="; ".join(laws)) if laws else None
