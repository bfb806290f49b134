"""Every procedure's stated office, case and portal page against the national portal snapshot
(../shared/reference/portal: catalog.jsonl and the detail records of details/).

The office the bot sends a resident to must be the one the portal names (commune police, the
People's Committee, or another agency); the portal link of each case must be the page of that
case's code (a lost identity card is a replacement, not a first issue). A few facts the portal
got right and the bot once got wrong are checked by name. Without ../shared the test is skipped.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

import pytest
import yaml
from rapidfuzz import fuzz

ROOT = Path(__file__).resolve().parents[1]
PORTAL = ROOT.parent / "shared" / "reference" / "portal"
DATA = ROOT / "procedures" / "data"
FLOWS = ROOT / "procedures" / "flows"

pytestmark = pytest.mark.skipif(not (PORTAL / "catalog.jsonl").exists(),
                                reason=f"the portal snapshot {PORTAL} is not on this machine (../shared is absent)")

COMMUNE = re.compile(r"Ủy ban nhân dân\s+(cấp\s+)?xã", re.IGNORECASE)
POLICE = re.compile(r"Công an cấp xã", re.IGNORECASE)


@lru_cache(maxsize=1)
def catalog() -> dict[str, list[dict]]:
    rows: dict[str, list[dict]] = {}
    with (PORTAL / "catalog.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            rows.setdefault(row["code"], []).append(row)
    return rows


def detail(code: str) -> dict | None:
    path = PORTAL / "details" / f"{code}.json"
    return json.loads(path.read_text(encoding="utf-8"))["data"] if path.exists() else None


def portal_agencies(code: str) -> list[str]:
    """The executing agencies the portal names for a code: its detail record, else the catalogue."""
    names = [d for row in catalog().get(code, []) for d in row.get("departments") or []]
    record = detail(code)
    if record is not None:
        names += [record.get("executingAgencies") or ""]
        names += [d["name"] for d in record.get("departmentsExecuting", []) + record.get("departmentsAuthority", [])]
    return [" ".join(n.replace("\xa0", " ").split()) for n in names if n and n.strip()]


def portal_office(code: str) -> str | None:
    """police | commune | elsewhere, as the portal states it; None when it names no agency."""
    names = portal_agencies(code)
    if any(POLICE.search(n) for n in names):
        return "police"
    if any(COMMUNE.search(n) for n in names):
        return "commune"
    return "elsewhere" if names else None


def stated_pages() -> list[tuple[str, str, dict, str | None]]:
    """(where, code, facts, case title) for every procedure, each of its cases and each flow variant."""
    pages = []
    for path in sorted(DATA.glob("*.yaml")):
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
        if content.get("code"):
            pages.append((content["id"], content["code"], content, None))
        for case in content.get("cases") or []:
            pages.append((f"{content['id']} case {case['id']}", case["code"], {**content, **case}, case["title"]["vi"]))
        flow_path = FLOWS / path.name
        if flow_path.exists():
            flow = yaml.safe_load(flow_path.read_text(encoding="utf-8"))
            for name, variant in flow["variants"].items():
                facts = {**content, **variant}
                if facts.get("code"):
                    pages.append((f"{content['id']} variant {name}", facts["code"], facts, None))
    return pages


PAGES = stated_pages() if (PORTAL / "catalog.jsonl").exists() else []


@pytest.mark.parametrize(("where", "code", "facts", "case"), PAGES, ids=[p[0] for p in PAGES])
def test_office_and_portal_page_agree_with_the_portal(where, code, facts, case):
    rows = catalog().get(code)
    assert rows, f"{where}: code {code} is not in the portal catalogue"
    assert facts.get("formality_id") in {r["id"] for r in rows}, f"{where}: the link is not the page of {code}"
    record = detail(code)
    if record is not None:
        assert facts["formality_id"] == record["id"]
    expected = portal_office(code)
    stated = facts.get("office") or "commune"
    if expected is not None:
        assert stated == expected, f"{where}: the bot says {stated}, the portal names {portal_agencies(code)}"
    agency = (facts.get("agency") or {}).get("vi") or ""
    if stated == "police":
        assert "Công an" in agency and not COMMUNE.search(agency), (where, agency)
    if case is not None:  # a case the resident names links the page of that very case
        names = [r["name"] for r in rows]
        assert max(fuzz.token_set_ratio(case.lower(), n.lower()) for n in names) >= 75, (where, case, names)


def test_identity_and_residence_procedures_are_the_police_posts():
    for procedure in ("can-cuoc", "thuong-tru", "tam-tru", "tam-vang", "xac-nhan-cu-tru", "dinh-danh-dien-tu",
                      "doi-gplx"):
        content = yaml.safe_load((DATA / f"{procedure}.yaml").read_text(encoding="utf-8"))
        assert content["office"] == "police", procedure
        assert portal_office(content["code"]) == "police", procedure


def test_the_disagreements_found_in_the_audit_stay_fixed():
    load = lambda name, where=DATA: yaml.safe_load((where / f"{name}.yaml").read_text(encoding="utf-8"))  # noqa: E731
    # civil-status extracts: the provincial Department of Justice, no commune variant
    extracts = load("trich-luc-ho-tich")
    assert extracts["office"] == "elsewhere" and "Sở Tư pháp" in extracts["agency"]["vi"]
    assert not any(COMMUNE.search(r["departments"][0] or "") for r in catalog()["2.000635"] if r["departments"])
    # the linked birth procedure: the People's Committee and social insurance, not the police
    linked = load("lien-thong-tre-em")
    assert "Công an" not in linked["agency"]["vi"] and "Bảo hiểm xã hội" in linked["agency"]["vi"]
    assert "Bảo hiểm xã hội Việt Nam" in portal_agencies("2.000986")
    # birth with recognition: no waiver for registering on time (the portal has none)
    birth = load("khai-sinh", FLOWS)
    waiver = next(a for a in birth["adds"] if "đúng hạn được miễn lệ phí" in (a.get("note") or {}).get("vi", ""))
    assert waiver["when"].get("father_recognises") == [False, None]
    assert "đúng hạn" not in json.dumps(detail("1.000689")["executionMethods"], ensure_ascii=False)
    # extending temporary residence: CT01 with the owner's written consent, as the portal says
    extend = load("tam-tru", FLOWS)["variants"]["extend"]
    assert "đồng ý của chủ nhà" in extend["documents"][0]["vi"]
    assert "ý kiến đồng ý của chủ sở hữu chỗ ở hợp pháp" in json.dumps(detail("1.002755"), ensure_ascii=False)


def test_postal_submission_says_it_needs_certified_copies():
    """Where the portal asks for certified copies by post, an offer of postal submission says so."""
    said = []
    for path in sorted(DATA.glob("*.yaml")):
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
        record = detail(content.get("code") or "")
        if record is None or "bản sao có chứng thực" not in json.dumps(record, ensure_ascii=False):
            continue
        note = (content.get("online_note") or {}).get("vi") or ""
        if "bưu điện" in note:
            assert "bản sao có chứng thực" in note, content["id"]
            said.append(content["id"])
    assert len(said) >= 9


def test_the_abolished_household_book_is_not_asked_for():
    """The portal still lists the household book for some procedures; the bot keeps the current rule
    (abolished on 1 January 2023) and says why in the source notes."""
    for path in sorted(DATA.glob("*.yaml")):
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
        record = detail(content.get("code") or "")
        documents = " ".join(d["vi"] for d in content.get("documents") or [])
        assert "Sổ hộ khẩu" not in documents, content["id"]
        if record is not None and "Sổ hộ khẩu" in json.dumps(record.get("executionCases"), ensure_ascii=False):
            assert "hộ khẩu" in json.dumps(content["sources"], ensure_ascii=False).lower(), content["id"]


# --------------------------------------------------------------------------- facts the portal states

ASKS_THE_DESK = re.compile(r"hỏi cán bộ|chưa xác nhận", re.IGNORECASE)
TIMED = {"WORKING_DAY", "DAY"}  # the portal's "OTHER" unit says nothing about how long


def portal_papers(record: dict) -> list[str]:
    return [p["name"] for case in record.get("executionCases") or [] for p in case.get("profileComponents") or []]


def portal_times(record: dict) -> set[int]:
    """The processing times the portal gives with a unit (days or working days), cases and methods."""
    times = {c["processingDay"]["qty"] for c in record.get("cases") or []
             if (c.get("processingDay") or {}).get("type") in TIMED}
    return times | {m["processingTime"] for m in record.get("executionMethods") or []
                    if m.get("processingTimeUnit") in TIMED}


def portal_fees(record: dict) -> set[int]:
    """The amounts the portal gives itself; empty when it says "set by the Provincial People's Council"."""
    fees = [f for m in record.get("executionMethods") or [] for f in m.get("fees") or []] + (record.get("fees") or [])
    if any("Hội đồng nhân dân" in (f.get("description") or "") for f in fees):
        return set()
    return {int(f["value"]) for f in fees if f.get("value") is not None}


def vnd(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + " đồng"


def leaves_to_the_desk(fact: dict | None, figures: list[str]) -> bool:
    """Null, or a text that sends the resident to the desk without giving the portal's figures."""
    if fact is None:
        return True
    said = fact.get("vi") or ""
    return bool(ASKS_THE_DESK.search(said)) and not all(re.search(rf"(?<![\d.]){f}", said) for f in figures)


def unstated_facts(facts: dict, record: dict) -> list[str]:
    """The facts a curated procedure leaves to the desk although its detail record states them."""
    missing = []
    if facts.get("documents") is None and portal_papers(record):
        missing.append("documents")
    fees = portal_fees(record)
    if fees and leaves_to_the_desk(facts.get("fee"), [vnd(f) for f in sorted(fees)]):
        missing.append("fee")
    times = portal_times(record)
    if times and leaves_to_the_desk(facts.get("processing_time"), [f"0?{t} ngày" for t in sorted(times)]):
        missing.append("processing_time")
    if facts.get("online") == "unknown" and any(m["submissionMethod"] == "ONLINE"
                                                for m in record.get("executionMethods") or []):
        missing.append("online")
    return missing


DETAILED = [p for p in PAGES if (PORTAL / "details" / f"{p[1]}.json").exists()]


@pytest.mark.parametrize(("where", "code", "facts", "case"), DETAILED, ids=[p[0] for p in DETAILED])
def test_a_curated_procedure_never_sends_to_the_desk_for_a_fact_the_portal_states(where, code, facts, case):
    record = detail(code)
    missing = unstated_facts(facts, record)
    assert missing == [], f"{where} ({code}): {missing} are stated in details/{code}.json; fill them with a source note"


def test_papers_the_portal_lists_for_special_cases_are_given_not_left_to_the_desk():
    """Items that once said "ask the desk" for papers the portal lists (issue 14's audit)."""
    birth = yaml.safe_load((DATA / "khai-sinh.yaml").read_text(encoding="utf-8"))
    papers = " ".join(d["vi"] for d in birth["documents"])
    assert "biên bản về việc trẻ bị bỏ rơi" in papers and "mang thai hộ" in papers
    assert not any(ASKS_THE_DESK.search(d["vi"]) for d in birth["documents"])
    assert any("trẻ em bị bỏ rơi" in p for p in portal_papers(detail("1.001193")))
    extend = yaml.safe_load((FLOWS / "tam-tru.yaml").read_text(encoding="utf-8"))["variants"]["extend"]
    assert not any(ASKS_THE_DESK.search(d["vi"]) for d in extend["documents"])
    assert "danh sách" in extend["documents"][1]["vi"]
    assert any("theo danh sách" in case["name"] for case in detail("1.002755")["executionCases"])
