"""A procedure answer written out for a phone, in the resident's language.

The first reply answers what was asked in at most FIRST_ANSWER_LIMIT characters (the fee for a fee
question, the place for a where question, yes or no first for a yes/no question); papers, fee, time
and online submission are one tap away, and legal bases, national codes, survey dates and the
caveats of our sources only behind "Details". Facts come from the procedure's data file: its plain
`brief` texts when written, else the full text with citations and source remarks taken out. A fact
that is not known is said to be unknown and the resident is sent to the office, never given a guess.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Callable

from i18n import N_
from infra.models import Commune
from procedures import commune_facts

Localize = Callable[[object], str | None]
Gettext = Callable[..., str]
Describe = Callable[[dict | None], str | None]

FIRST_ANSWER_LIMIT = 400  # about eight lines on a 390-pixel-wide phone

ONLINE_LEVELS = {
    "full": N_("Fully online: you can submit and receive the result online."),
    "partial": N_("Partly online: you can submit online, but some steps still happen at the office."),
    "none": N_("Not online: you have to go to the office."),
    "unknown": N_("Whether it can be done online is not confirmed; ask the one-stop desk."),
}
# The yes/no answer to "can I do it online?", first words of the reply.
ONLINE_ANSWERS = {
    "full": N_("Yes: it can be done fully online, from submitting to receiving the result."),
    "partial": N_("Yes, you can submit online, but some steps still happen at the office."),
    "none": N_("No: this is not done online; you have to go to the office."),
    "unknown": N_("Not confirmed: ask the office before you go."),
}

# What marks a citation or a remark about our sources: kept for "Details", never in the first reply.
CITATION = re.compile(
    r"\b[1-3]\.\d{6}\b|\d{1,4}/\d{4}/[A-ZĐ]|\bC08_|\b(Thông tư|Nghị định|Nghị quyết|Circular|Decree|Resolution)\b"
    r"|(?-i:\bLuật [A-ZĐ])|\b(?:the )?Law on\b|khảo sát|survey|Cổng DVC|\bmã\b|\bcodes?\b|chưa kiểm tra|not checked"
    r"|Cổng Dịch vụ công (quốc gia |Bộ Công an )?(ghi|có|không ghi)|(national |the )?portal (lists|gives|states|has|shows|data)"
    r"|dữ liệu \d{1,2}/\d{4}|\b\d{1,2}/20\d\d\)|theo trang|according to the .*page",
    re.IGNORECASE)
CAVEAT = re.compile(r"chưa (được )?xác nhận|not confirmed|chưa rõ|unclear", re.IGNORECASE)
_CITED_CLAUSE = re.compile(
    r",?\s+\b(theo|under|according to|as set by|in line with)\s+(Điều \d+\s+|Article \d+ of\s+)?(the\s+)?"
    r"(Thông tư|Nghị định|Nghị quyết|(?-i:Luật)|Circular|Decree|Resolution|Law)\b[^.;()]*", re.IGNORECASE)
_PARENS = re.compile(r"\s*\(([^()]*)\)")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True)
class Office:
    """Where a resident goes in person: the commune police post, the People's Committee one-stop desk,
    or another agency named by the procedure (land office, provincial police, power company...)."""
    kind: str  # police | commune | elsewhere
    name: str | None
    address: str | None = None
    phone: str | None = None
    hours: str | None = None
    own: bool = False  # `name` is the commune's own words for the place (procedures.commune_facts)


def office_kind(content: dict) -> str:
    return content.get("office") or "commune"


def office_for(content: dict, commune: Commune | None, describe: Describe, loc: Localize, _: Gettext) -> Office:
    """The place that handles this procedure for this commune, with its own address and hours; the
    place and hours the commune wrote for this procedure, when it did."""
    office = _national_office(content, commune, describe, loc, _)
    place, hours = loc(commune_facts.own(content, "place")), loc(commune_facts.own(content, "hours"))
    if place:
        office = replace(office, name=place, address=None, own=True)
    return replace(office, hours=hours) if hours else office


def _national_office(content: dict, commune: Commune | None, describe: Describe, loc: Localize, _: Gettext) -> Office:
    kind = office_kind(content)
    if kind == "police":
        name = commune.police_name if commune and commune.police_name else _police_name(commune, _)
        return Office("police", name, commune.police_address if commune else None,
                      commune.police_phone if commune else None,
                      describe(commune.police_hours) if commune else None)
    if kind == "elsewhere":
        return Office("elsewhere", loc(brief(content, "place")) or plain(loc(content.get("agency"))))
    if commune is None:
        return Office("commune", None)
    return Office("commune", commune.name, commune.address, commune.phone, describe(commune.office_hours))


def _police_name(commune: Commune | None, _: Gettext) -> str:
    if commune is None:
        return _("the commune police")
    name = commune.name
    first = name.split(" ", 1)[0]
    if first in ("Xã", "Phường", "Thị", "Đặc"):
        name = first.lower() + name[len(first):]
    return _("Police of {commune}", commune=name)


def ask_whom(office: Office, _: Gettext) -> str:
    return _("the commune police") if office.kind == "police" else _("the one-stop desk")


def unknown(office: Office, _: Gettext) -> str:
    return _("not confirmed yet; please ask {whom}", whom=ask_whom(office, _))


# --------------------------------------------------------------------------- plain words

def plain(text: str | None, drop_caveats: bool = False) -> str | None:
    """The text without legal citations, national codes and remarks about our sources."""
    if not text:
        return text
    text = _PARENS.sub(lambda m: _plain_parenthesis(m.group(1), drop_caveats), text)
    text = _CITED_CLAUSE.sub("", text)
    kept = [s for s in _SENTENCE_END.split(text.strip())
            if s and not CITATION.search(s) and not (drop_caveats and CAVEAT.search(s))]
    cleaned = " ".join(kept)
    cleaned = re.sub(r"\s+([.,;:])", r"\1", cleaned)
    return re.sub(r"\s{2,}", " ", cleaned).strip() or None


def _plain_parenthesis(inner: str, drop_caveats: bool) -> str:
    """'(mẫu CT01, Thông tư 53/2025/TT-BCA)' → ' (mẫu CT01)'; nothing left → ''."""
    parts = [p for p in re.split(r"[,;]\s*", inner)
             if p and not CITATION.search(p) and not (drop_caveats and CAVEAT.search(p))]
    if len(parts) == len(re.split(r"[,;]\s*", inner)):
        return f" ({inner})"
    return f" ({', '.join(parts)})" if parts else ""


def brief(content: dict, field: str) -> object:
    """The plain text written for the first reply (`brief` in the data file), if any."""
    return (content.get("brief") or {}).get(field)


def resident_text(content: dict, field: str, loc: Localize, drop_caveats: bool = False) -> str | None:
    return loc(brief(content, field)) or plain(loc(content.get(field)), drop_caveats)


def _fit(lines: list[str], limit: int = FIRST_ANSWER_LIMIT) -> str:
    """As many lines (then sentences of a line) as fit in `limit` characters, in order."""
    out: list[str] = []
    for line in lines:
        if not line:
            continue
        room = limit - len("\n".join(out)) - (1 if out else 0)
        if len(line) <= room:
            out.append(line)
            continue
        taken = ""
        for sentence in _SENTENCE_END.split(line):
            if len(taken) + len(sentence) + 1 > room:
                break
            taken = f"{taken} {sentence}".strip()
        if taken:
            out.append(taken)
        break  # what follows would come after a cut line
    return "\n".join(out)


# --------------------------------------------------------------------------- the first reply

def heading(content: dict, loc: Localize) -> str:
    """The short everyday title; with the case the resident named when there is one."""
    return f"📋 {loc(content.get('case') or content['name'])}"


def first_answer(content: dict, aspect: str | None, yes_no: bool, office: Office, loc: Localize, _: Gettext,
                 quick: dict | None = None) -> str:
    """The first reply to a question about a procedure: what was asked, in a few lines, then the
    commune's note when it wrote one."""
    head, note = heading(content, loc), note_line(content, loc, _)
    if quick is not None:
        return _fit([head, loc(quick["answer"]), note])
    if aspect == "papers":
        return _papers_short(content, office, loc, _, note)
    if aspect == "fee":
        return _fit([head, fee_line(content, office, loc, _), note])
    if aspect == "time":
        return _fit([head, time_line(content, office, loc, _), note, deadline_line(content, loc, _)])
    if aspect == "online":
        return _fit([head, online_answer(content, office, loc, _, yes_no), note])
    if aspect == "place":
        return _fit([head, office_lines(office, _), note, _online_short(content, office, _)])
    place = place_line(office, _)
    room = FIRST_ANSWER_LIMIT - len(head) - len(place) - (len(note) + 1 if note else 0) - 2
    summary = _fit([resident_text(content, "summary", loc) or ""], room)
    return _fit([head, summary, place, note, deadline_line(content, loc, _)])


def note_line(content: dict, loc: Localize, _: Gettext) -> str | None:
    """The commune's note about this procedure, as its residents read it under every answer."""
    note = loc(commune_facts.own(content, "note"))
    return _("📌 Note from your commune: {note}", note=note) if note else None


def paper_items(content: dict, loc: Localize) -> list[str]:
    """The papers to prepare, one a line: the commune's list when it wrote one, else the national one."""
    own = commune_facts.own(content, "papers")
    if own:
        return commune_facts.papers(loc(own))
    items = [plain(loc(d)) for d in content.get("documents") or []]
    return [i for i in items if i]


def _papers_short(content: dict, office: Office, loc: Localize, _: Gettext, note: str | None = None) -> str:
    items = paper_items(content, loc)
    if not items:
        return _fit([heading(content, loc), _("📄 The list of papers is {unknown}.", unknown=unknown(office, _)), note])
    lines = [heading(content, loc), _("📄 Papers to prepare:")]
    limit = FIRST_ANSWER_LIMIT - 60 - (len(note) + 1 if note else 0)  # room for "and n more" and the note
    for n, item in enumerate(items, 1):
        line = f"{n}. {item}"
        if len("\n".join(lines + [line])) > limit:
            lines.append(_("… and {count} more: tap \"Papers\".", count=len(items) - n + 1))
            break
        lines.append(line)
    return _fit(lines + [note])


def fee_line(content: dict, office: Office, loc: Localize, _: Gettext) -> str:
    return _("💰 Fee: {fee}", fee=resident_text(content, "fee", loc) or unknown(office, _))


def time_line(content: dict, office: Office, loc: Localize, _: Gettext) -> str:
    return _("⏳ Processing time: {time}", time=resident_text(content, "processing_time", loc) or unknown(office, _))


def deadline_line(content: dict, loc: Localize, _: Gettext) -> str | None:
    text = resident_text(content, "deadline", loc)
    return _("⏰ Deadline: {text}", text=text) if text else None


def online_answer(content: dict, office: Office, loc: Localize, _: Gettext, yes_no: bool = True) -> str:
    level = content.get("online") or "unknown"
    lead = _(ONLINE_ANSWERS[level] if yes_no else ONLINE_LEVELS[level])
    note = resident_text(content, "online_note", loc, drop_caveats=True)
    if level == "unknown":
        lead = _("Whether it can be done online is {unknown}.", unknown=unknown(office, _))
    return f"{lead} {note}" if note else lead


def _online_short(content: dict, office: Office, _: Gettext) -> str:
    level = content.get("online") or "unknown"
    if level not in ONLINE_LEVELS or level == "unknown":
        return _("Whether it can be done online is {unknown}.", unknown=unknown(office, _))
    return _(ONLINE_LEVELS[level])


def place_line(office: Office, _: Gettext) -> str:
    """The office on one line: '🏛 Where: Police of xã An Bình, 12 Trần Phú (Mon–Fri ...)'."""
    if office.kind == "elsewhere" and not office.own:
        return _("🏛 Where: {place}", place=office.name)
    if office.own or office.kind == "police":
        place = office.name + (f", {office.address}" if office.address else "")
    elif office.name:
        place = _("the one-stop desk of {commune}", commune=office.name) + (f", {office.address}" if office.address else "")
    else:
        place = _("the one-stop desk of your commune People's Committee")
    return _("🏛 Where: {place}", place=place) + (f" ({office.hours})" if office.hours else "")


def office_lines(office: Office, _: Gettext) -> str:
    """The office in full: name and address, hours, phone (or what is missing and whom to ask)."""
    if office.kind == "elsewhere" and not office.own:
        return _("🏛 Where: {place}", place=office.name)
    if office.own:
        text = _("In person: {place}.", place=office.name.rstrip(" ."))
    elif office.kind == "police":
        if not office.address:
            text = _("In person: {police}. This commune has not entered the police post's address here yet; "
                     "ask the People's Committee.", police=office.name)
        else:
            text = _("In person: {name}, {address}.", name=office.name, address=office.address)
    elif office.name is None or not office.address:
        return _("In person: the one-stop desk of your commune People's Committee. This commune has not entered its address here yet.")
    else:
        text = _("In person: the one-stop desk of {name}, {address}.", name=office.name, address=office.address)
    if office.hours:
        text += "\n" + _("Opening hours: {hours}", hours=office.hours)
    if office.phone:
        text += "\n" + _("Phone: {phone}", phone=office.phone)
    return text


# --------------------------------------------------------------------------- one tap away

def documents(content: dict, office: Office, loc: Localize, _: Gettext) -> str:
    items = paper_items(content, loc)
    if not items:
        return _("📄 The list of papers is {unknown}.", unknown=unknown(office, _))
    return "\n".join([_("📄 Papers to prepare:")] + [f"{n}. {item}" for n, item in enumerate(items, 1)])


def fee(content: dict, office: Office, loc: Localize, _: Gettext) -> str:
    return fee_line(content, office, loc, _)


def time(content: dict, office: Office, loc: Localize, _: Gettext) -> str:
    return "\n".join(filter(None, [time_line(content, office, loc, _), deadline_line(content, loc, _)]))


def online(content: dict, office: Office, loc: Localize, _: Gettext) -> str:
    return "\n".join([online_answer(content, office, loc, _, yes_no=False), office_lines(office, _)])


def details(content: dict, loc: Localize, _: Gettext) -> str:
    """Everything we know, with the official name, codes, legal bases and the caveats of the sources."""
    lines = [f"📋 {loc(content.get('official_name') or content['name'])}"]
    for field, label in (("summary", None), ("agency", N_("🏛 Handled by: {text}")),
                         ("deadline", N_("⏰ Deadline: {text}")), ("fee", N_("💰 Fee: {text}")),
                         ("processing_time", N_("⏳ Processing time: {text}")), ("online_note", None)):
        text = loc(content.get(field))
        if text:
            lines.append(_(label, text=text) if label else text)
    lines.append(_(ONLINE_LEVELS.get(content.get("online") or "unknown", ONLINE_LEVELS["unknown"])))
    if content.get("code"):
        lines.append(_("National procedure code: {code}", code=content["code"]))
    if content.get("legal_basis"):
        lines.append(_("Legal basis: {laws}", laws="; ".join(content["legal_basis"])))
    if content.get("last_checked"):
        lines.append(_("Checked against the national portal data of {date}.", date=content["last_checked"]))
    return "\n".join(lines)


def legal_basis(content: dict, _: Gettext) -> str | None:
    laws = content.get("legal_basis") or []
    return _("Legal basis: {laws}", laws="; ".join(laws)) if laws else None
