"""What residents type instead of tapping, and what they type that is not a question:
a button's title typed out, a greeting in front of the question, a name, a number or a date
outside a form, a text longer than the limit, and writing while a staff member holds the talk."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from bot import takeover
from bot.state import state_key
from bot.messages import Incoming
from chat_transcript import leads_to, section_of
from infra.db import get_session
from infra.models import MessageLog, TranscriptLine


# --------------------------------------------------------------------------- typed button titles

@pytest.mark.parametrize(("typed", "section"), [
    ("giay to", "documents"),  # "Giấy tờ" without diacritics
    ("Giấy tờ", "documents"),
    ("le phi", "fee"),  # "Lệ phí" without diacritics
    ("thời gain", "time"),  # a slip of the finger on "Thời gian"
    ("nop truc tuyen", "online"),
])
def test_typing_a_button_title_does_what_the_button_does(chat, typed, section):
    said = chat.tap("ASK:khai-sinh")
    assert section_of(said, "khai-sinh") == "overview"
    said = chat.ask(typed)
    assert section_of(said, "khai-sinh") == section, (typed, said.text[:120], said.payloads)


def test_a_typed_title_at_the_end_of_a_guided_flow(chat):
    """"chuan bi thong tin" typed under the checklist starts collecting the form details."""
    chat.push_payload("FLOW:start:khai-sinh")
    for answer in ("first_time:yes", "born_in_vn:yes", "parents_vietnamese:yes", "parents_married:yes"):
        chat.push_payload(f"FLOW:ans:{answer}")
    chat.inbox.clear()
    checklist = chat.push_message("12/3/2025")[-1]
    assert "FLOW:prefill" in checklist.payloads, checklist.titles
    chat.inbox.clear()
    replies = chat.push_message("chuan bi thong tin")
    assert "FLOW:cancel" in replies[-1].payloads, [r.text[:80] for r in replies]  # the first field is asked


def test_a_title_offered_earlier_is_not_a_button_any_more(chat):
    """Only the buttons on screen count: after the menu, "giấy tờ" alone is a question again."""
    chat.tap("ASK:khai-sinh")
    chat.tap("MENU")
    said = chat.ask("giấy tờ")
    assert section_of(said, "khai-sinh") != "documents" or "ASK:khai-sinh" in said.payloads


def test_a_question_that_starts_like_a_title_is_still_a_question(chat):
    chat.tap("ASK:khai-sinh")
    said = chat.ask("lệ phí đăng ký kết hôn bao nhiêu")
    assert leads_to(said, "ket-hon"), (said.text[:120], said.payloads)


def test_staff_read_a_tap_by_its_title(chat, app):
    chat.tap("ASK:khai-sinh")
    chat.tap("PROC:khai-sinh:fee")
    chat.ask("giay to")
    with app.app_context():
        lines = [line.text for line in get_session().scalars(
            select(TranscriptLine).where(TranscriptLine.direction == "in").order_by(TranscriptLine.id))]
    assert lines[-2:] == ["Lệ phí", "giay to"]


# --------------------------------------------------------------------------- a greeting in front

@pytest.mark.parametrize("text", ["xin chào, cho hỏi làm giấy khai sinh cần gì",
                                  "chào ad ạ, làm giấy khai sinh cần giấy tờ gì"])
def test_a_greeting_in_front_of_a_question_gets_the_answer(chat, text):
    said = chat.ask(text)
    assert section_of(said, "khai-sinh") == "documents", (said.text[:120], said.payloads)


def test_a_greeting_in_front_of_an_english_question(chat):
    said = chat.ask("hello, how do I register a birth?")
    assert section_of(said, "khai-sinh") is not None, (said.text[:120], said.payloads)  # the answer, no "did you mean"
    assert not said.text.startswith("Hello!")  # not the menu
    assert said.text.startswith("📋 Birth registration")  # and in English


@pytest.mark.parametrize(("text", "procedure"), [
    ("hi, how do I register a birth", "khai-sinh"),
    ("good morning! how do I get married?", "ket-hon"),
    ("Hello admin, where do I renew my ID card", "can-cuoc"),
    ("chào em, đăng ký tạm trú cần giấy tờ gì", "tam-tru"),
    ("alo, làm căn cước ở đâu vậy", "can-cuoc"),
    ("dạ em chào anh chị, cho em hỏi lệ phí đăng ký kết hôn bao nhiêu", "ket-hon"),  # the speaker before "chào"
    ("cháu chào bác ạ, xin giấy xác nhận độc thân mất bao lâu", "tinh-trang-hon-nhan"),
])
def test_other_greetings_in_front_of_a_question_get_the_answer(chat, text, procedure):
    said = chat.ask(text)
    assert section_of(said, procedure) is not None, (said.text[:120], said.payloads)


@pytest.mark.parametrize(("text", "opening"), [("xin chào", "Xin chào!"), ("chào ad", "Xin chào!"),
                                               ("hello there", "Hello!"), ("hi everyone", "Hello!"),
                                               ("good morning", "Hello!"), ("chào em", "Xin chào!"),
                                               ("alo", "Xin chào!"), ("dạ em chào anh chị ạ", "Xin chào!")])
def test_a_bare_greeting_still_gets_the_menu(chat, text, opening):
    said = chat.ask(text)
    assert said.text.startswith(opening)
    assert "ASK:khai-sinh" in said.payloads and "HANDOFF" in said.payloads


# --------------------------------------------------------------------------- names, numbers, dates

PERSONAL = ["Trần Thị Mai Anh", "Vũ Thị Thu Hà", "nguyen van nam sinh 1985", "0912 345 678",
            "079123456789", "12/03/1990", "ngày 5 tháng 3 năm 2020", "tên tôi là Lê Văn Hòa"]


@pytest.mark.parametrize("text", PERSONAL)
def test_a_name_or_number_outside_a_form_is_not_a_did_you_mean(chat, text):
    said = chat.ask(text)
    assert "NOT_THIS" not in said.payloads and not said.text.startswith("Tôi chưa chắc")
    assert not any(p.startswith("PROC:") for p in said.payloads)
    assert "thông tin cá nhân" in said.text  # says what the bot can do instead
    assert "ASK:khai-sinh" in said.payloads and "HANDOFF" in said.payloads


def test_personal_details_outside_a_form_are_not_stored(chat, app):
    chat.ask("giấy khai sinh cần gì")
    for text in ("Trần Thị Mai Anh", "0912 345 678", "số cccd của tôi 079123456789, cần làm gì"):
        chat.ask(text)
    with app.app_context():
        session = get_session()
        kept = [t or "" for t in session.scalars(select(MessageLog.text))]
        kept += [t or "" for t in session.scalars(select(TranscriptLine.text))]
        state = app.extensions["store"].get(state_key(Incoming("webchat", app.config["WEBCHAT_COMMUNE"], chat.user)))
    everything = json.dumps(kept, ensure_ascii=False) + (state or "")
    for secret in ("Mai Anh", "345 678", "079123456789"):
        assert secret not in everything, secret
    assert "giấy khai sinh cần gì" in everything  # the question itself is kept


def test_a_question_with_a_date_is_still_a_question(chat):
    said = chat.ask("con tôi sinh ngày 5/3/2025, làm giấy khai sinh ở đâu")
    assert leads_to(said, "khai-sinh"), (said.text[:120], said.payloads)


# --------------------------------------------------------------------------- limits and languages

def test_a_text_cut_at_the_limit_says_so(chat, app):
    limit = app.config["MAX_MESSAGE_CHARS"]
    chat.inbox.clear()
    replies = chat.push_message("giấy khai sinh cần gì " * (limit // 10))
    assert f"{limit} ký tự đầu" in replies[0].text
    assert len(replies) == 2


def test_a_conversation_opened_in_english_greets_in_english(chat):
    said = chat.tap("START:en")
    assert said.text.startswith("Hello!")
    assert "Talk to staff" in said.titles and "Birth registration" in said.titles


# --------------------------------------------------------------------------- while staff hold the talk

def test_while_staff_hold_the_talk_the_resident_is_told_once_and_keeps_the_menu(chat, app):
    chat.ask("giấy khai sinh cần gì")
    with app.app_context():
        takeover.take("webchat", app.config["WEBCHAT_COMMUNE"], chat.user, "staff-a")
    said = chat.ask("cho tôi hỏi thêm về lệ phí")
    assert "Cán bộ xã đang trả lời bạn" in said.text and said.payloads == ["MENU"]
    response = chat.client.post("/webchat/messages", json={"user": chat.user, "text": "và giờ làm việc?"})
    assert response.get_json()["replies"] == []  # told once, not at every message
    said = chat.tap("MENU")  # the menu still works
    assert "ASK:khai-sinh" in said.payloads
    with app.app_context():
        takeover.release("webchat", app.config["WEBCHAT_COMMUNE"], chat.user)
        takeover.take("webchat", app.config["WEBCHAT_COMMUNE"], chat.user, "staff-a")
    said = chat.ask("tôi hỏi lại nhé")  # a new hold: told again
    assert "Cán bộ xã đang trả lời bạn" in said.text
