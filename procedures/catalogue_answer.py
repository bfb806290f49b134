"""The answer for a procedure of the national catalogue (issue 13), channel-neutral text.

The heading is the everyday title (official names run to 30–80 words); the official name is
one tap away. Facts come from the portal's detail record when the snapshot has one, and the
commune's own note (desk, local fee, local papers) comes first when staff wrote one. Without
a detail record the answer says honestly to ask the one-stop desk.
"""
from __future__ import annotations

from collections.abc import Callable

from infra.models import CatalogueEntry, CatalogueNote

MAX_PAPERS = 5
MAX_FACT_CHARS = 240

Gettext = Callable[..., str]


def portal_page(entry: CatalogueEntry, base: str) -> str:
    """The procedure's page on the national portal: /thu-tuc-hanh-chinh/{formalityId}."""
    return f"{base.rstrip('/')}/thu-tuc-hanh-chinh/{entry.formality_id}"


def who_handles(entry: CatalogueEntry, _: Gettext) -> str | None:
    """Who handles it, in residents' terms where the department says commune, province or police."""
    detail = entry.detail or {}
    names = [d for d in entry.departments or [] if d] or ([detail["agency"]] if detail.get("agency") else [])
    if not names:
        return None
    lowered = " ".join(names).lower()
    if "công an" in lowered and "xã" in lowered:
        return _("the commune police")
    if "xã" in lowered:
        return _("the commune (one-stop desk of the commune People's Committee)")
    if "công an" in lowered:
        return _("the police: {names}", names="; ".join(names[:2]))
    return "; ".join(names[:2])


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_FACT_CHARS else text[:MAX_FACT_CHARS - 1].rsplit(" ", 1)[0] + "…"


def answer_text(entry: CatalogueEntry, title: str, note: CatalogueNote | None, commune_name: str | None,
                _: Gettext) -> str:
    lines = [title]
    if note is not None:
        lines += _note_lines(note, commune_name, _)
    who = who_handles(entry, _)
    if who:
        lines.append(_("Handled by: {who}", who=who))
    detail = entry.detail
    if detail:
        papers = detail.get("documents") or []
        if papers:
            lines.append(_("Papers:"))
            lines += [f"• {_short(p)}" for p in papers[:MAX_PAPERS]]
        if detail.get("fees"):
            lines.append(_("Fee: {fee}", fee=_short(detail["fees"][0])))
        if detail.get("time"):
            lines.append(_("Processing time: {time}", time=detail["time"]))
        online = detail.get("online")
        lines.append(_("Can be submitted online.") if online else _("Submitted in person or by post, not online."))
    else:
        lines.append(_("I do not have the papers, fee and time of this procedure yet: "
                       "please ask the one-stop desk (hỏi cán bộ một cửa) of your commune."))
    return "\n".join(lines)


def _note_lines(note: CatalogueNote, commune_name: str | None, _: Gettext) -> list[str]:
    lines = [_("At {commune}:", commune=commune_name or _("your commune"))]
    if note.desk:
        lines.append(_("Where: {desk}", desk=note.desk))
    if note.fee:
        lines.append(_("Local fee: {fee}", fee=note.fee))
    if note.papers:
        lines.append(_("Local papers: {papers}", papers=note.papers))
    return lines
