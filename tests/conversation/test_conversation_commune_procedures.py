"""A commune's own facts about a procedure, as transcripts: residents of Bình An, whose staff wrote
their place, fee, papers, hours and a note for birth registration, are told them in the first reply
and in the Papers, Fee and Submit online replies; residents of Bình Minh still get the national text."""
from __future__ import annotations

import pytest

from chat_transcript import procedure_content
from infra.db import get_session
from infra.models import Commune, CommuneAnswer
from knowledge.store import bump_version

HOURS = {"days": [0, 1, 2, 3, 4], "periods": [["07:30", "11:30"], ["13:30", "17:00"]]}
FACTS = {  # what Bình An's staff saved on the procedure's "for our commune" page
    "note": {"vi": "Mang theo sổ tiêm chủng của bé.", "en": "Bring the baby's vaccination book."},
    "place": {"vi": "Nhà văn hóa thôn Trung", "en": "Trung village hall"},
    "fee": {"vi": "Miễn phí; bản sao thêm 5.000 đồng một bản.", "en": "Free; extra copies 5,000 VND each."},
    "papers": {"vi": "Giấy chứng sinh bản chính\nThẻ căn cước của cha hoặc mẹ", "en": ""},
    "hours": {"vi": "Sáng thứ Ba và thứ Năm", "en": "Tuesday and Thursday mornings"},
}


@pytest.fixture
def communes(app, knowledge):
    """Bình An (with its own birth registration facts) and Bình Minh (without)."""
    with app.app_context():
        session = get_session()
        binh_an = Commune(slug="binh-an", name="Xã Bình An", address="Thôn Trung", office_hours=HOURS)
        session.add_all([binh_an, Commune(slug="binh-minh", name="Xã Bình Minh", address="Thôn Đông",
                                          office_hours=HOURS)])
        session.flush()
        session.add(CommuneAnswer(commune_id=binh_an.id, entry_id="khai-sinh", answer=FACTS))
        session.commit()
        bump_version()
    return app


def test_a_communes_own_facts_reach_its_residents_and_no_one_else(communes, new_chat):
    an = new_chat(user="resident-an", commune="binh-an")
    fee = an.ask("khai sinh hết bao nhiêu tiền")
    assert fee.text.splitlines()[0] == "📋 Đăng ký khai sinh"
    assert "💰 Lệ phí: Miễn phí; bản sao thêm 5.000 đồng một bản." in fee.text
    assert "📌 Xã lưu ý: Mang theo sổ tiêm chủng của bé." in fee.text
    assert "Miễn lệ phí khi đăng ký khai sinh đúng hạn" not in fee.text

    papers = an.tap("PROC:khai-sinh:documents")
    assert "1. Giấy chứng sinh bản chính\n2. Thẻ căn cước của cha hoặc mẹ" in papers.text
    assert "3." not in papers.text and "📌 Xã lưu ý" in papers.text

    where = an.tap("PROC:khai-sinh:online")
    assert "Nộp trực tiếp: Nhà văn hóa thôn Trung." in where.text
    assert "Giờ làm việc: Sáng thứ Ba và thứ Năm" in where.text and "07:30" not in where.text

    first = an.ask("đăng ký khai sinh")
    assert "🏛 Nơi làm: Nhà văn hóa thôn Trung (Sáng thứ Ba và thứ Năm)" in first.text
    assert "📌 Xã lưu ý: Mang theo sổ tiêm chủng của bé." in first.text and len(first.text) <= 400

    details = an.tap("PROC:khai-sinh:details")
    assert "Miễn phí; bản sao thêm 5.000 đồng một bản." in details.text and "📌 Xã lưu ý" in details.text

    minh = new_chat(user="resident-minh", commune="binh-minh")
    national = minh.ask("khai sinh hết bao nhiêu tiền")
    assert "Miễn lệ phí khi đăng ký khai sinh đúng hạn" in national.text
    assert "📌" not in national.text and "5.000 đồng một bản" not in national.text
    national_papers = minh.tap("PROC:khai-sinh:documents")
    numbered = [line for line in national_papers.text.splitlines() if line[:1].isdigit()]
    assert len(numbered) == len(procedure_content("khai-sinh")["documents"])
    assert "Nhà văn hóa thôn Trung" not in minh.tap("PROC:khai-sinh:online").text
    assert "📌" not in minh.ask("đăng ký khai sinh").text


def test_english_residents_get_the_english_text_or_else_the_vietnamese(communes, new_chat):
    an = new_chat(user="resident-an-en", commune="binh-an")
    an.tap("LANG:en")
    fee = an.tap("PROC:khai-sinh:fee")
    assert "Free; extra copies 5,000 VND each." in fee.text
    assert "📌 Note from your commune: Bring the baby's vaccination book." in fee.text
    papers = an.tap("PROC:khai-sinh:documents")  # no English list written: the commune's Vietnamese one
    assert "1. Giấy chứng sinh bản chính" in papers.text


def test_other_procedures_of_the_commune_keep_the_national_text(communes, new_chat):
    an = new_chat(user="resident-an-2", commune="binh-an")
    said = an.ask("đăng ký kết hôn cần giấy tờ gì")
    assert "📌" not in said.text and "Nhà văn hóa thôn Trung" not in said.text
