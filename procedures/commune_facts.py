"""A commune's own facts about a curated procedure: its note, and its place, fee, papers and hours
where they differ from the national text (a desk in the village hall, a local copy fee, a paper the
commune asks for, mornings only).

Staff write them in the admin ("for our commune"); they are stored as that commune's answer to the
procedure's entry (infra.models.CommuneAnswer, read through knowledge.overrides, with the same
history and rollback as a commune's FAQ answer), one {vi, en} text per field. `merged` lays them
over the procedure's content so that the render functions answer that commune's residents with
them; every other commune's residents keep the national text. The commune's words are shown as
written: they never go through the citation filter meant for the national texts.
"""
from __future__ import annotations

FIELDS = ("note", "place", "fee", "papers", "hours")
# The most characters a field may hold: a note, a fee or a place fits in the first reply beside the answer.
LIMITS = {"note": 300, "place": 300, "fee": 300, "papers": 2000, "hours": 200}
KEY = "commune_facts"  # where the merged content keeps the note, place and hours for procedures.render


def merged(content: dict, facts: dict | None) -> dict:
    """The procedure's content as a commune's residents are told it (the content itself when the
    commune wrote nothing): the fee replaced, every field kept under KEY."""
    facts = {field: text for field, text in (facts or {}).items() if field in FIELDS and text and text.get("vi")}
    if not facts:
        return content
    content = {**content, "brief": dict(content.get("brief") or {}), KEY: facts}
    if "fee" in facts:  # the plain text of the first reply, and the full one under "Details"
        content["fee"] = content["brief"]["fee"] = facts["fee"]
    return content


def own(content: dict, field: str) -> dict | None:
    """The commune's {vi, en} text for a field of a merged content (note, place, papers, hours), or None."""
    return (content.get(KEY) or {}).get(field)


def papers(text: str | None) -> list[str]:
    """One paper a line, as staff typed them (list marks and numbers are the renderer's)."""
    lines = [line.strip().lstrip("-•*").strip() for line in (text or "").splitlines()]
    return [line for line in lines if line]


def paper_texts(text: dict) -> list[dict]:
    """The commune's papers as {vi, en} items, one a line; a line's English where staff wrote the
    English list line for line, else its Vietnamese."""
    vi, en = papers(text.get("vi")), papers(text.get("en"))
    return [{"vi": line, "en": en[n] if len(en) == len(vi) else line} for n, line in enumerate(vi)]
