"""Guided flows: the questions that change the answer, and the rules from answers to a variant.

A flow is data (procedures/flows/<intent-id>.yaml, schema in procedures/FLOWS.md). Its state
is a plain dict kept in the conversation state: the answers (booleans and choice values only;
dates are turned into facts such as "late" and the raw date is kept sealed, never in clear),
the questions answered in order (for "back"), and timestamps for the TTL.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml

from procedures import commune_facts

FLOWS = Path(__file__).parent / "flows"
FIELDS = Path(__file__).parent / "common" / "fields.yaml"
QUESTION_KINDS = {"yes_no", "choice", "date"}
CONTENT_KEYS = ("code", "formality_id", "portal_url", "agency", "office", "online", "online_note", "documents",
                "fee", "processing_time")


class FlowError(ValueError):
    """A flow data file is inconsistent; the text says where."""


@lru_cache(maxsize=1)
def fields() -> dict[str, dict]:
    return yaml.safe_load(FIELDS.read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def load_flow(flow_id: str) -> dict:
    path = FLOWS / f"{flow_id}.yaml"
    if "/" in flow_id or not path.exists():
        raise KeyError(flow_id)
    flow = yaml.safe_load(path.read_text(encoding="utf-8"))
    check_flow(flow, path)
    return flow


def flow_ids() -> list[str]:
    return sorted(p.stem for p in FLOWS.glob("*.yaml"))


def has_flow(flow_id: str | None) -> bool:
    return bool(flow_id) and flow_id in flow_ids()


def check_flow(flow: dict, source: Path) -> None:
    questions = {q["id"]: q for q in flow.get("questions") or []}
    if flow.get("id") != source.stem or not questions:
        raise FlowError(f"{source}: id must be the file name and questions must not be empty")
    for q in questions.values():
        if q.get("kind") not in QUESTION_KINDS or not {"vi", "en"} <= set(q.get("text") or {}):
            raise FlowError(f"{source}: question {q.get('id')} needs a kind in {QUESTION_KINDS} and vi/en text")
        if q["kind"] == "choice" and not q.get("choices"):
            raise FlowError(f"{source}: choice question {q['id']} has no choices")
        if q.get("fills") and q["fills"] not in fields():
            raise FlowError(f"{source}: question {q['id']} fills unknown field {q['fills']}")
    variants = flow.get("variants") or {}
    for outcome in flow.get("outcomes") or []:
        if outcome["variant"] not in variants:
            raise FlowError(f"{source}: outcome names unknown variant {outcome['variant']}")
    for name, variant in variants.items():
        for item in variant.get("prefill") or []:
            if _field_name(item) not in fields():
                raise FlowError(f"{source}: variant {name} asks unknown field {_field_name(item)}")
        if not variant.get("sources"):
            raise FlowError(f"{source}: variant {name} has no sources")


def _field_name(item: str | dict) -> str:
    return item if isinstance(item, str) else item["field"]


# --------------------------------------------------------------------------- state

def new_state(flow_id: str, lang: str, now: float | None = None) -> dict:
    now = now or time.time()
    return {"id": flow_id, "lang": lang, "phase": "ask", "answers": {}, "history": [],
            "sealed": None, "record": None, "field": None, "started": now, "touched": now}


def is_stale(state: dict, ttl: float, now: float | None = None) -> bool:
    return (now or time.time()) - float(state.get("touched") or 0) > ttl


def touch(state: dict, now: float | None = None) -> None:
    state["touched"] = now or time.time()


def matches(condition: dict | None, answers: dict) -> bool:
    """All keys hold: the answer equals the value (or is one of a list of values)."""
    for key, wanted in (condition or {}).items():
        value = answers.get(key)
        if isinstance(wanted, list) and value not in wanted:
            return False
        if not isinstance(wanted, list) and value != wanted:
            return False
    return True


def next_question(flow: dict, state: dict) -> dict | None:
    """The first question not answered yet whose condition holds; None when all are done."""
    answers = state["answers"]
    for question in flow["questions"]:
        if question["id"] not in answers and matches(question.get("ask_if"), answers):
            return question
    return None


def question(flow: dict, question_id: str) -> dict:
    return next(q for q in flow["questions"] if q["id"] == question_id)


def record_answer(flow: dict, state: dict, question_id: str, value: object, today: date | None = None) -> None:
    """Store an answer (a date becomes facts), remember the order for "back"."""
    q = question(flow, question_id)
    if q["kind"] == "date":
        given = value if isinstance(value, date) else None
        state["answers"][question_id] = "given"
        state["answers"].update(derived_facts(flow, question_id, given, today or date.today()))
    else:
        state["answers"][question_id] = value
    state["history"].append(question_id)


def derived_facts(flow: dict, question_id: str, given: date | None, today: date) -> dict:
    facts = {}
    for name, rule in (flow.get("derived") or {}).items():
        source = rule.get("days_since") or rule.get("years_since")
        if source != question_id or given is None:
            continue
        if "days_since" in rule:
            facts[name] = (today - given).days > int(rule["more_than"])
        else:
            years = today.year - given.year - ((today.month, today.day) < (given.month, given.day))
            facts[name] = years < int(rule["less_than"])
    return facts


def undo_last(flow: dict, state: dict) -> dict | None:
    """Forget the last answer (and its facts); the question to ask again, or None at the start."""
    if not state["history"]:
        return None
    question_id = state["history"].pop()
    state["answers"].pop(question_id, None)
    for name, rule in (flow.get("derived") or {}).items():
        if question_id in (rule.get("days_since"), rule.get("years_since")):
            state["answers"].pop(name, None)
    return question(flow, question_id)


def variant_name(flow: dict, answers: dict) -> str:
    for outcome in flow["outcomes"]:
        if matches(outcome.get("when"), answers):
            return outcome["variant"]
    raise FlowError(f"flow {flow['id']}: no outcome matches; add a default outcome")


# --------------------------------------------------------------------------- result

@dataclass
class Result:
    """What the resident gets at the end: the procedure as it applies to them."""
    flow_id: str
    variant: str
    title: dict
    content: dict  # the procedure's data with the variant's overrides (code, fee, documents...)
    documents: list[dict]
    notes: list[dict]
    fee: dict | None
    prefill: list[str]


def result(flow: dict, answers: dict, procedure: dict) -> Result:
    name = variant_name(flow, answers)
    variant = flow["variants"][name]
    content = dict(procedure)
    content.update({k: variant[k] for k in CONTENT_KEYS if k in variant})
    if content.get("brief"):  # a plain text written for the procedure's own fact, not the variant's
        content["brief"] = {k: v for k, v in content["brief"].items() if k not in variant}
    documents = list(content.get("documents") or [])
    notes = [variant["note"]] if variant.get("note") else []
    fee = content.get("fee")
    for add in flow.get("adds") or []:
        if not matches(add.get("when"), answers):
            continue
        if add.get("document"):
            documents.append(add["document"])
        if add.get("note"):
            notes.append(add["note"])
        if add.get("fee") and fee is content.get("fee"):
            fee = add["fee"]  # the first fee rule that holds wins
    prefill = [_field_name(item) for item in variant.get("prefill") or []
               if isinstance(item, str) or matches(item.get("ask_if"), answers)]
    return Result(flow["id"], name, variant.get("title") or procedure["name"], content, documents, notes,
                  fee, prefill)


def for_commune(result: Result, facts: dict | None) -> Result:
    """The result as the commune's residents are told it: the fee, papers, place, hours and note its
    staff wrote for the procedure replace the national ones (procedures/commune_facts.py), as in the
    first reply; the case's own notes stay."""
    content = commune_facts.merged(result.content, facts)
    if content is result.content:
        return result
    papers = commune_facts.own(content, "papers")
    fee = commune_facts.own(content, "fee")
    return replace(result, content=content, documents=commune_facts.paper_texts(papers) if papers else result.documents,
                   fee=fee or result.fee)
