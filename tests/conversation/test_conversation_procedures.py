"""Every procedure guide, section by section, through the web chat: real content from the data
file, "ask the staff" for what is not known, and the live portal link (never the dead /p/home/)."""
from __future__ import annotations

import pytest

from chat_transcript import Said, procedure_content, procedure_ids, section_of
from infra.db import get_session
from infra.models import Commune
from procedures.portal import build_portal_link

ASK_STAFF = "hỏi cán bộ"  # how every unknown fact ends in Vietnamese
SECTIONS = ("overview", "documents", "fee", "where")


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
    if section == "overview":
        assert (vi("official_name") or vi("name")) in said.text
        if vi("summary"):
            assert vi("summary") in said.text
        if content.get("code"):
            assert content["code"] in said.text
    elif section == "documents":
        documents = [d["vi"] for d in content.get("documents") or []]
        for document in documents:
            assert document in said.text
        if not documents:
            assert ASK_STAFF in said.text
    elif section == "fee":
        for field in ("fee", "processing_time"):
            assert (vi(field) or ASK_STAFF) in said.text
        if not (vi("fee") and vi("processing_time")):
            assert ASK_STAFF in said.text
    elif section == "where":
        if vi("online_note"):
            assert vi("online_note") in said.text
        assert "Bộ phận Một cửa" in said.text  # where to go in person, even without an address
    if section != "overview":
        assert said.text.startswith(content["name"]["vi"])
    if (content.get("online") or "unknown") == "unknown" and section in ("overview", "where"):
        assert ASK_STAFF in said.text  # "can it be done online?" is not known either


@pytest.mark.parametrize("procedure", procedure_ids())
def test_every_section_of_every_procedure_guide(chat, app, procedure):
    content = procedure_content(procedure)
    base = app.config["PORTAL_BASE_URL"]
    opened = chat.tap(f"ASK:{procedure}")
    check_quick_replies(opened, procedure, "overview")
    check_section(opened, content, "overview")
    check_portal_button(opened, content, base)
    for section in SECTIONS[1:] + SECTIONS[:1]:
        said = chat.tap(f"PROC:{procedure}:{section}")
        check_quick_replies(said, procedure, section)
        check_section(said, content, section)
        check_portal_button(said, content, base)
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
    assert content["summary"]["en"] in overview.text
    assert "Papers" in overview.titles and "Talk to staff" in overview.titles
    documents = chat.tap("PROC:khai-sinh:documents")
    assert documents.text.startswith(content["name"]["en"])
    assert all(d["en"] in documents.text for d in content["documents"])
    assert documents.buttons[0]["title"] == "Open on the portal"  # fits a 20-character button


def test_where_section_gives_the_communes_own_address_phone_and_hours(app, new_chat):
    with app.app_context():
        get_session().add(Commune(slug="tan-phu", name="Xã Tân Phú", address="Ấp 3, xã Tân Phú",
                                  phone="0271 3123 456",
                                  office_hours={"days": [0, 1, 2, 3, 4], "periods": [["07:30", "11:30"], ["13:30", "17:00"]]}))
        get_session().commit()
    resident = new_chat(user="resident-tp", commune="tan-phu")
    said = resident.tap("PROC:thuong-tru:where")
    assert "Nộp trực tiếp: Xã Tân Phú, Ấp 3, xã Tân Phú." in said.text
    assert "Giờ làm việc: Thứ Hai–Thứ Sáu: 07:30–11:30, 13:30–17:00" in said.text
    assert "0271 3123 456" in said.text
    greeting = resident.tap("START")
    assert "Xã Tân Phú" in greeting.text


def test_a_procedure_that_does_not_exist_is_said_politely(chat):
    said = chat.tap("PROC:khong-co-thu-tuc-nay:fee")
    assert "không tìm thấy thủ tục" in said.text
    assert {"HANDOFF", "MENU"} <= set(said.payloads)
