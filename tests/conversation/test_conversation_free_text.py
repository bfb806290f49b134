"""Free-text questions as residents type them: with diacritics, without, and in English.

The matcher is tuned separately, so a question may be answered or met with a clarifying
question; either way the right procedure (and section, when answered) must be what it leads to.
"""
from __future__ import annotations

import pytest

from chat_transcript import leads_to, section_of

QUESTIONS = [
    # (question, procedure, section the question asks for)
    ("đăng ký kết hôn cần giấy tờ gì", "ket-hon", "documents"),
    ("dang ky ket hon can giay to gi", "ket-hon", "documents"),
    ("What documents do I need to register a marriage?", "ket-hon", "documents"),
    ("Làm căn cước mất bao nhiêu tiền?", "can-cuoc", "fee"),
    ("lam can cuoc mat bao nhieu tien", "can-cuoc", "fee"),
    ("How much does an ID card cost?", "can-cuoc", "fee"),
    ("đăng ký thường trú ở đâu", "thuong-tru", "online"),
    ("dang ky thuong tru o dau", "thuong-tru", "online"),
    ("khai tử cần gì", "khai-tu", "documents"),
    ("How do I register a death?", "khai-tu", None),
    ("chứng thực bản sao mất bao nhiêu tiền", "chung-thuc-ban-sao", "fee"),
    ("xin giấy xác nhận tình trạng hôn nhân", "tinh-trang-hon-nhan", None),
    ("lý lịch tư pháp", "ly-lich-tu-phap", None),
    ("ly lich tu phap", "ly-lich-tu-phap", None),
]


@pytest.mark.parametrize(("question", "procedure", "section"), QUESTIONS)
def test_a_question_leads_to_its_procedure(chat, question, procedure, section):
    said = chat.ask(question)
    assert leads_to(said, procedure, section), (question, said.text[:200], said.payloads)
    if question.startswith(("How", "What")):  # asked in English: answered in English
        assert "Talk to staff" in said.titles or "None of these" in said.titles
    else:
        assert "Gặp cán bộ" in said.titles or "Không phải mục nào" in said.titles


def test_a_clarifying_choice_opens_the_guide(chat):
    """Whatever the matcher decides, tapping the offered procedure opens its guide."""
    said = chat.ask("What papers do I need for a birth certificate?")
    if "ASK:khai-sinh" in said.payloads:
        said = chat.tap("ASK:khai-sinh")
    assert section_of(said, "khai-sinh") is not None
    assert "Birth registration" in said.text and "Talk to staff" in said.titles


@pytest.mark.parametrize("question", [
    "giá vàng hôm nay bao nhiêu",
    "tối nay đội tuyển đá bóng mấy giờ",
    "what is the weather tomorrow",
])
def test_a_question_out_of_scope_is_not_answered_with_a_guess(chat, question):
    said = chat.ask(question)
    assert not any(p.startswith("PROC:") for p in said.payloads), said.text
    assert not said.buttons
    assert "HANDOFF" in said.payloads or "NOT_THIS" in said.payloads


def test_a_faq_answer_fills_in_the_commune_facts_it_knows(chat):
    said = chat.ask("địa chỉ ủy ban xã ở đâu")
    if "ASK:faq-dia-chi" in said.payloads:
        said = chat.tap("ASK:faq-dia-chi")
    assert "{" not in said.text and "}" not in said.text  # every placeholder was filled
    assert "chưa cập nhật" in said.text  # the demo commune has no address: said plainly
