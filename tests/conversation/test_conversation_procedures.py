"""Every procedure guide, section by section, through the web chat: real content from the data
file, "ask the staff" for what is not known, and the live portal link (never the dead /p/home/)."""
from __future__ import annotations

import re

import pytest

from chat_transcript import Said, procedure_content, procedure_ids, section_of
from infra.db import get_session
from infra.models import Commune
from procedures.portal import build_portal_link

ASK_STAFF = "hỏi cán bộ"  # how every unknown fact ends in Vietnamese
SECTIONS = ("overview", "documents", "fee", "time", "online", "details")
# A legal citation, a national procedure code or a survey date: only behind "Chi tiết" (details).
CITATION = re.compile(r"\b[1-3]\.\d{6}\b|\d+/\d{4}/[A-ZĐ]|Thông tư|Nghị định|Nghị quyết|Circular|Decree|khảo sát|survey"
                      r"|Cổng DVC ghi|C08_")
FIRST_ANSWER_LIMIT = 400


def check_portal_button(said: Said, content: dict, base: str) -> None:
    link = build_portal_link(content, base)
    assert all("/p/home" not in url for url in said.urls)
    if link is None:
        assert said.buttons == []
        return
    assert said.urls == [link]
    if content.get("portal_url"):
        return
    if content.get("formality_id"):
        assert link == f"{base}/thu-tuc-hanh-chinh/{content['formality_id']}"
    else:
        assert link.startswith(f"{base}/tim-kiem-thu-tuc-hanh-chinh?keyword=")
        assert content["code"] in link


def check_quick_replies(said: Said, procedure: str, section: str) -> None:
    assert section_of(said, procedure) == section
    assert {"HANDOFF", "MENU"} <= set(said.payloads)
    for title in said.titles:
        assert 0 < len(title) <= 20, title  # Messenger cuts quick-reply titles at 20 characters


def check_section(said: Said, content: dict, section: str) -> None:
    vi = lambda field: (content.get(field) or {}).get("vi")  # noqa: E731 - a one-line accessor
    assert said.text.startswith("📋 ")
    if section == "details":
        assert (vi("official_name") or vi("name")) in said.text
        if content.get("code"):
            assert content["code"] in said.text
        assert all(law in said.text for law in content.get("legal_basis") or [])
        return
    assert content["name"]["vi"] in said.text.splitlines()[0]  # the short everyday title, never the official name
    assert not CITATION.search(said.text), (section, said.text)
    office = content.get("office") or "commune"
    if section == "overview":
        assert len(said.text) <= FIRST_ANSWER_LIMIT, len(said.text)
        assert "Nơi làm:" in said.text
    elif section == "documents":
        if not content.get("documents"):
            assert ASK_STAFF in said.text
        else:
            assert len([line for line in said.text.splitlines() if line[:1].isdigit()]) == len(content["documents"])
    elif section in ("fee", "time"):
        field = "fee" if section == "fee" else "processing_time"
        assert ("Lệ phí:" if section == "fee" else "Thời gian giải quyết:") in said.text
        if not vi(field):
            assert ASK_STAFF in said.text
    elif section == "online":
        where = {"police": "Công an", "commune": "Bộ phận Một cửa"}.get(office)
        assert where is None or where in said.text  # in person: the office that handles it
        if (content.get("online") or "unknown") == "unknown":
            assert ASK_STAFF in said.text  # "can it be done online?" is not known either
    if office == "police":
        assert "Một cửa" not in said.text, said.text  # the police post, not the People's Committee desk


@pytest.mark.parametrize("procedure", procedure_ids())
def test_every_section_of_every_procedure_guide(chat, app, procedure):
    content = procedure_content(procedure)
    base = app.config["PORTAL_BASE_URL"]
    opened = chat.tap(f"ASK:{procedure}")
    check_quick_replies(opened, procedure, "overview")
    check_section(opened, content, "overview")
    check_portal_button(opened, content, base)
    for section in SECTIONS[1:]:
        said = chat.tap(f"PROC:{procedure}:{section}")
        check_quick_replies(said, procedure, section)
        check_section(said, content, section)
        check_portal_button(said, content, base)
    said = chat.tap(f"PROC:{procedure}:overview")
    check_section(said, content, "overview")
    assert "BACK" in said.payloads  # two steps deep: the way back is offered


def test_procedure_ids_are_the_data_files():
    """The parametrisation above covers every procedure: no data file is left out."""
    ids = procedure_ids()
    assert len(ids) >= 30
    assert all(procedure_content(i)["id"] == i for i in ids)


def test_a_guide_in_english(chat):
    chat.tap("LANG:en")
    content = procedure_content("khai-sinh")
    overview = chat.tap("ASK:khai-sinh")
    assert overview.text.startswith(f"📋 {content['name']['en']}") and len(overview.text) <= FIRST_ANSWER_LIMIT
    assert content["summary"]["en"].split(". ")[0] in overview.text
    assert {"Papers", "Fee", "Time", "Submit online", "Details", "Talk to staff"} <= set(overview.titles)
    documents = chat.tap("PROC:khai-sinh:documents")
    assert documents.text.startswith(f"📋 {content['name']['en']}")
    assert all(d["en"].split(" (")[0] in documents.text for d in content["documents"])
    assert documents.buttons[0]["title"] == "Open on the portal"  # fits a 20-character button


def test_where_section_gives_the_communes_own_address_phone_and_hours(app, new_chat):
    with app.app_context():
        get_session().add(Commune(slug="tan-phu", name="Xã Tân Phú", address="Ấp 3, xã Tân Phú",
                                  phone="0271 3123 456",
                                  office_hours={"days": [0, 1, 2, 3, 4], "periods": [["07:30", "11:30"], ["13:30", "17:00"]]}))
        get_session().commit()
    resident = new_chat(user="resident-tp", commune="tan-phu")
    said = resident.tap("PROC:khai-sinh:where")  # a quick reply sent before "where" became "online"
    assert "Nộp trực tiếp: Bộ phận Một cửa Xã Tân Phú, Ấp 3, xã Tân Phú." in said.text
    assert "Giờ làm việc: Thứ Hai–Thứ Sáu: 07:30–11:30, 13:30–17:00" in said.text
    assert "0271 3123 456" in said.text
    greeting = resident.tap("START")
    assert "Xã Tân Phú" in greeting.text


def test_a_procedure_that_does_not_exist_is_said_politely(chat):
    said = chat.tap("PROC:khong-co-thu-tuc-nay:fee")
    assert "không tìm thấy thủ tục" in said.text
    assert {"HANDOFF", "MENU"} <= set(said.payloads)
