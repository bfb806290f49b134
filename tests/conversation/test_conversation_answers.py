"""Answers that fit a phone and name the right office, as transcripts through the web chat.

The first reply to a procedure question answers what was asked in at most 400 characters, with
no legal citation, national code or survey date (those wait behind "Chi tiết"); identity card
and residence questions are sent to the commune police post with its own address and hours.
"""
from __future__ import annotations

import re

import pytest

from chat_transcript import procedure_content, procedure_ids, section_of
from infra.db import get_session
from infra.models import Commune

LIMIT = 400
CITATION = re.compile(r"\b[1-3]\.\d{6}\b|\d+/\d{4}/[A-ZĐ]|Thông tư|Nghị định|Nghị quyết|Luật [A-ZĐ]|Circular|Decree"
                      r"|Law on|khảo sát|survey|Cổng DVC ghi|the portal lists|C08_|chưa xác nhận mức trực tuyến")
REPLACEMENT_PAGE = "019d2bf7-9e0b-7681-bd68-83f1e84c1cc7"  # Cấp lại thẻ căn cước (1.014064)
FIRST_ISSUE_PAGE = "019d2bf7-9e11-77ef-bf03-ae190acb0be3"  # Cấp thẻ căn cước, từ đủ 14 tuổi (1.014061)


@pytest.fixture
def binh_an(app):
    """A commune that has entered its People's Committee and its police post."""
    with app.app_context():
        get_session().add(Commune(
            slug="binh-an", name="Xã Bình An", address="Thôn Trung, xã Bình An", phone="0263 3811 000",
            office_hours={"days": [0, 1, 2, 3, 4], "periods": [["07:30", "11:30"], ["13:30", "17:00"]]},
            police_name="Công an xã Bình An", police_address="Thôn Đông, xã Bình An", police_phone="069 2345 678",
            police_hours={"days": [0, 1, 2, 3, 4, 5], "periods": [["07:00", "11:00"], ["13:30", "17:00"]]}))
        get_session().commit()
    return "binh-an"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_first_answer_fits_a_phone_and_cites_nothing(chat, lang):
    if lang == "en":
        chat.tap("LANG:en")
    too_long, cited = [], []
    for procedure in procedure_ids():
        said = chat.tap(f"ASK:{procedure}")
        name = procedure_content(procedure)["name"][lang]
        assert said.text.splitlines()[0] == f"📋 {name}"  # the short everyday title, not the official name
        assert len(name) <= 40, name
        if len(said.text) > LIMIT:
            too_long.append((procedure, len(said.text)))
        if CITATION.search(said.text):
            cited.append((procedure, CITATION.search(said.text).group(0)))
        assert {f"PROC:{procedure}:{s}" for s in ("documents", "fee", "time", "online", "details")} <= set(said.payloads)
    assert too_long == [] and cited == []


def test_a_question_gets_its_answer_first(chat):
    fee = chat.ask("đăng ký thường trú hết bao nhiêu tiền")
    assert section_of(fee, "thuong-tru") == "fee"
    assert fee.text.splitlines()[1].startswith("💰 Lệ phí: 20.000 đồng/lần nếu nộp trực tiếp")
    time = chat.ask("dang ky tam tru mat bao lau")
    assert section_of(time, "tam-tru") == "time" and "03 ngày làm việc" in time.text
    online = chat.ask("xác nhận cư trú làm online được không")
    assert online.text.splitlines()[1].startswith("Có: làm trực tuyến toàn bộ được")
    for said in (fee, time, online):
        assert len(said.text) <= LIMIT and not CITATION.search(said.text)
    details = chat.tap("PROC:thuong-tru:details")  # the codes and the laws are one tap away
    assert "1.004222" in details.text and "Luật Cư trú" in details.text


def test_a_yes_no_question_gets_yes_or_no_first(chat):
    said = chat.ask("ko có hộ khẩu thì làm cccd dc ko")
    assert said.text.splitlines()[1].startswith("Được. Sổ hộ khẩu đã bỏ từ 01/01/2023")
    assert len(said.text) <= LIMIT
    english = chat.ask("Can I get an ID card without a household book?")
    assert english.text.splitlines()[1].startswith("Yes. Household books were abolished")


def test_identity_card_answers_name_the_police_post_with_its_hours(new_chat, binh_an):
    resident = new_chat(user="resident-ba", commune=binh_an)
    said = resident.ask("làm căn cước ở đâu")
    assert "Nộp trực tiếp: Công an xã Bình An, Thôn Đông, xã Bình An." in said.text
    assert "Giờ làm việc: Thứ Hai–Thứ Bảy: 07:00–11:00, 13:30–17:00" in said.text
    assert "069 2345 678" in said.text
    assert "Một cửa" not in said.text and "Thôn Trung" not in said.text  # not the People's Committee desk
    residence = resident.ask("dang ky tam tru")
    assert "🏛 Nơi làm: Công an xã Bình An, Thôn Đông, xã Bình An" in residence.text
    birth = resident.ask("đăng ký khai sinh")  # the People's Committee still handles civil status
    assert "🏛 Nơi làm: Bộ phận Một cửa Xã Bình An, Thôn Trung, xã Bình An" in birth.text


def test_a_police_post_not_entered_yet_is_said(chat):
    said = chat.ask("đăng ký thường trú ở đâu")
    assert "Công an" in said.text and "chưa nhập địa chỉ trụ sở Công an xã" in said.text


def test_a_lost_card_links_the_replacement_page(chat):
    lost = chat.ask("mất căn cước thì làm lại thế nào")
    assert lost.text.splitlines()[0] == "📋 Cấp lại thẻ căn cước (khi mất thẻ)"
    assert lost.urls and lost.urls[0].endswith(REPLACEMENT_PAGE)
    fee = chat.tap("PROC:can-cuoc:fee")  # the case stays for the taps that follow
    assert fee.urls[0].endswith(REPLACEMENT_PAGE)
    first = chat.ask("làm căn cước lần đầu cần gì")
    assert first.urls[0].endswith(FIRST_ISSUE_PAGE)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_aspect_of_every_procedure_fits_a_phone(lang):
    """What a fee, time, place, papers or online question gets first, for every procedure."""
    from i18n import gettext
    from procedures import render

    commune = Commune(name="Xã Bình An", address="Thôn Trung, xã Bình An", phone="0263 3811 000",
                      police_name="Công an xã Bình An", police_address="Thôn Đông, xã Bình An", police_phone="069 2")
    loc = lambda value: value if value is None or isinstance(value, str) else value.get(lang) or value["vi"]  # noqa: E731
    _ = lambda message, **values: gettext(lang, message, **values)  # noqa: E731
    failures = []
    for procedure in procedure_ids():
        content = procedure_content(procedure)
        office = render.office_for(content, commune, lambda hours: "Thứ Hai–Thứ Sáu: 07:30–11:30, 13:30–17:00", loc, _)
        for aspect in (None, "papers", "fee", "time", "place", "online"):
            for yes_no in (False, True):
                text = render.first_answer(content, aspect, yes_no, office, loc, _)
                if len(text) > LIMIT or CITATION.search(text) or len(text.splitlines()) < 2:
                    failures.append((procedure, aspect, yes_no, len(text), text))
        for quick in content.get("quick_answers") or []:
            text = render.first_answer(content, None, True, office, loc, _, quick)
            if len(text) > LIMIT or CITATION.search(text):
                failures.append((procedure, "quick", True, len(text), text))
    assert failures == []
