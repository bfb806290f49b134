"""Residents ask about procedures outside the curated intents: the national catalogue answers
(issue 13) with the everyday title, the facts or an honest "ask the one-stop desk", and the
procedure's page on the portal; a province's own procedure only in that province."""
from __future__ import annotations

import pytest
from catalogue_snapshot import record, write_snapshot
from chat_transcript import Chat

from infra.db import get_session
from infra.models import CatalogueNote, Commune
from knowledge.catalogue_store import import_snapshot

BASE = "https://dichvucong.gov.vn"

# (what a resident types, the national code of the procedure); half without diacritics
QUESTIONS = [
    ("Con trai em năm nay đủ 17 tuổi, phải đi đăng ký nghĩa vụ quân sự lần đầu ở đâu ạ", "1.013133"),
    ("nha em dinh khoan gieng lay nuoc dung, co phai dang ky voi xa khong", "1.001662"),
    ("trại heo nhà em 200 con, muốn xin cấp mã số cho cơ sở chăn nuôi", "1.014952"),
    ("lang em co cai mieu tho than, muon dang ky hoat dong tin nguong", "1.012592"),
    ("phòng hát karaoke cần giấy đủ điều kiện gì", "1.001029"),
    ("quán phở nhà em cần giấy chứng nhận an toàn thực phẩm, xin ở đâu", "1.013855"),
    ("bang to quoc ghi cong cua ong noi bi moi an nat roi, xin cap lai duoc khong", "1.010778"),
    ("nhà em nghèo, bị kiện ra tòa, muốn nhờ trợ giúp pháp lý miễn phí", "2.000829"),
    ("nhà em mới đóng ghe mới, muốn đăng ký tàu cá", "1.003650"),
    ("con em học lớp 7, cả nhà chuyển vào nam nên cần xin chuyển trường cho cháu", "2.002854"),
]


@pytest.fixture
def catalogue_chat(app, client, knowledge, tmp_path):
    """Two communes, one in Thanh Hóa and one in Nghệ An, and the tests' small snapshot imported."""
    with app.app_context():
        import_snapshot(write_snapshot(tmp_path / "snapshot"))
        session = get_session()
        session.add_all([Commune(slug="xa-bien", name="Xã Biển", province="Tỉnh Thanh Hóa"),
                         Commune(slug="xa-nui", name="Xã Núi", province="Tỉnh Nghệ An")])
        session.commit()
    return lambda commune, user="resident-cat": Chat(client, user=user, commune=commune)


def portal(code: str) -> str:
    return f"{BASE}/thu-tuc-hanh-chinh/{record(code)['id']}"


def test_ten_catalogue_procedures_in_residents_words(catalogue_chat):
    chat = catalogue_chat("xa-nui")
    for text, code in QUESTIONS:
        said = chat.ask(text)
        assert said.urls == [portal(code)], (text, said.text)
        heading = said.text.splitlines()[0]
        assert 0 < len(heading) <= 60, heading
        assert f"CATNAME:{code}" in said.payloads  # the official name one tap away
        official = chat.tap(f"CATNAME:{code}")
        assert " ".join(record(code)["name"].split()).removeprefix("Thủ tục ") in official.text.replace("Thủ tục ", "")


def test_facts_of_the_detail_record_or_the_one_stop_desk(catalogue_chat):
    chat = catalogue_chat("xa-nui")
    with_detail = chat.ask("đăng ký nghĩa vụ quân sự lần đầu cần mang gì")
    assert "Bản chụp căn cước của công dân" in with_detail.text and "1 ngày làm việc" in with_detail.text
    without = chat.ask("nha em dinh khoan gieng lay nuoc dung, co phai dang ky voi xa khong")
    assert "cán bộ một cửa" in without.text


def test_a_province_own_procedure_only_in_its_province(catalogue_chat):
    message = "tàu cá nhà em bị bão đánh hỏng ngoài biển, có được hỗ trợ thiệt hại do thiên tai không"
    inside = catalogue_chat("xa-bien", user="fisher-1").ask(message)
    assert inside.urls == [portal("1.014569")], inside.text
    outside = catalogue_chat("xa-nui", user="fisher-2").ask(message)
    assert portal("1.014569") not in outside.urls


def test_a_commune_note_shows_at_once_and_only_in_that_commune(app, catalogue_chat):
    question = "nha em dinh khoan gieng lay nuoc dung, co phai dang ky voi xa khong"
    with app.app_context():
        session = get_session()
        commune = session.query(Commune).filter_by(slug="xa-nui").one()
        session.add(CatalogueNote(code="1.001662", commune_id=commune.id, desk="Quầy số 3, tầng 1 UBND xã",
                                  fee="Không thu phí", papers="Sơ đồ vị trí giếng"))
        session.commit()
    said = catalogue_chat("xa-nui").ask(question)
    assert "Quầy số 3, tầng 1 UBND xã" in said.text and "Sơ đồ vị trí giếng" in said.text
    other = catalogue_chat("xa-bien", user="resident-other").ask(question)
    assert "Quầy số 3" not in other.text


def test_a_close_call_offers_everyday_choices(catalogue_chat):
    said = catalogue_chat("xa-nui").ask("tàu cá")
    picks = [p for p in said.payloads if p.startswith("CAT:")]
    assert 1 <= len(picks) <= 3 and all(len(t) <= 20 for t in said.titles), said
    chosen = catalogue_chat("xa-nui").tap(picks[0])
    assert chosen.urls and chosen.urls[0].startswith(f"{BASE}/thu-tuc-hanh-chinh/")


def test_a_curated_answer_to_a_side_detail_yields_to_the_request(catalogue_chat):
    """The disability intent knows "người khuyết tật", but the resident asks for a free lawyer:
    the bot does not answer about disability certificates; it answers legal aid or asks,
    offering both."""
    said = catalogue_chat("xa-nui").ask("người khuyết tật có được luật sư hỗ trợ miễn phí khi ra tòa không, gửi yêu cầu ở đâu")
    if said.urls:
        assert said.urls == [portal("2.000829")], said.text
    else:
        assert said.payloads[0] == "ASK:khuyet-tat" and "CAT:2.000829" in said.payloads, said
        assert all(len(t) <= 20 for t in said.titles), said


def test_a_curated_answer_that_explains_the_request_is_kept(catalogue_chat):
    said = catalogue_chat("xa-nui").ask("giấy xác nhận khuyết tật bị mất, xin cấp lại được không ạ")
    assert not any(p.startswith("CAT:") for p in said.payloads), said
    assert not said.text.startswith("I am not sure") and "Có phải bạn" not in said.text, said.text


def test_a_case_the_curated_entry_lists_as_a_procedure_of_its_own_gets_that_procedure(catalogue_chat):
    """The building-permit guide is for a new permit; its extension is a procedure of its own, with
    its own papers and portal page, which the bot answers (the guide offered beside it)."""
    said = catalogue_chat("xa-nui").ask("giấy phép xây dựng nhà tôi sắp hết hạn mà chưa xây xong, muốn gia hạn thêm")
    assert said.urls == [portal("1.013227")], said.text
    assert said.text.splitlines()[0].lower().startswith("gia hạn giấy phép xây dựng"), said.text
