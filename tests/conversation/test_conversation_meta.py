"""Greeting, thanks, a staff member, unsubscribing and the reply language, as transcripts."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.engine import handle_message
from bot.messages import Incoming
from infra.db import get_session
from infra.models import Commune, HandoffRequest, Subscriber

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
WEEKDAYS = {"days": [0, 1, 2, 3, 4], "periods": [["07:30", "11:30"], ["13:30", "17:00"]]}


def subscriber(app, user: str) -> Subscriber | None:
    with app.app_context():
        return get_session().scalar(select(Subscriber).where(Subscriber.user_id == user))


def handoffs(app) -> list[HandoffRequest]:
    with app.app_context():
        return list(get_session().scalars(select(HandoffRequest)))


# --------------------------------------------------------------------------- greeting, thanks

@pytest.mark.parametrize("how", ["START", "xin chào", "chào bạn", "hello"])
def test_greeting_shows_the_menu(chat, how):
    said = chat.tap(how) if how == "START" else chat.ask(how)
    assert said.text.startswith("Xin chào!")  # Vietnamese is the default, even for "hello"
    assert "ASK:khai-sinh" in said.payloads
    assert said.payloads[-1] == "HANDOFF" and said.titles[-1] == "Gặp cán bộ"
    assert len(said.payloads) >= 4


@pytest.mark.parametrize("text", ["cảm ơn nhiều", "cam on ban", "thank you"])
def test_thanks(chat, text):
    said = chat.ask(text)
    expected = "You're welcome!" if text == "thank you" else "Không có gì ạ!"
    assert said.text.startswith(expected)
    assert said.payloads == ["MENU"]


# --------------------------------------------------------------------------- a staff member

@pytest.mark.parametrize("how", ["HANDOFF", "tôi muốn gặp cán bộ", "cho toi noi chuyen voi can bo"])
def test_asking_for_staff_records_a_request_with_the_last_question(chat, app, how):
    chat.ask("đăng ký kết hôn cần giấy tờ gì, số tôi 0912 345 678")
    said = chat.tap(how) if how == "HANDOFF" else chat.ask(how)
    assert said.text.startswith("Tôi đã chuyển tin nhắn của bạn đến cán bộ xã.")
    assert "trong giờ làm việc" in said.text  # the web chat's commune has no hours entered
    [request] = handoffs(app)
    assert (request.channel, request.user_id, request.status) == ("webchat", "resident-1", "open")
    assert request.text.startswith("đăng ký kết hôn cần giấy tờ gì")
    assert request.text.endswith("số tôi 0912***678")  # phone numbers are masked in what staff see


def _handoff_at(app, moment: datetime, lang_text: str = "HANDOFF") -> str:
    with app.app_context():
        session = get_session()
        if session.scalar(select(Commune).where(Commune.slug == "xa-mo")) is None:
            session.add(Commune(slug="xa-mo", name="Xã Mỏ", office_hours=WEEKDAYS))
            session.commit()
        incoming = Incoming(channel="webchat", commune="xa-mo", user="resident-hours", kind="payload",
                            payload=lang_text, time=moment)
        [reply] = handle_message(incoming)
        return reply.text


@pytest.mark.parametrize(("moment", "promise"), [
    (datetime(2026, 3, 4, 9, 0, tzinfo=LOCAL), "Bây giờ đang trong giờ làm việc"),  # Wednesday morning
    (datetime(2026, 3, 4, 14, 0, tzinfo=LOCAL), "Bây giờ đang trong giờ làm việc"),  # Wednesday afternoon
    (datetime(2026, 3, 7, 10, 0, tzinfo=LOCAL), "từ Thứ Hai 09/03 07:30"),  # Saturday → Monday
    (datetime(2026, 3, 6, 17, 30, tzinfo=LOCAL), "từ Thứ Hai 09/03 07:30"),  # Friday evening
    (datetime(2026, 3, 4, 12, 0, tzinfo=LOCAL), "từ Thứ Tư 04/03 13:30"),  # lunch break
    (datetime(2026, 3, 4, 5, 0, tzinfo=ZoneInfo("UTC")), "từ Thứ Tư 04/03 13:30"),  # 12:00 local, given in UTC
])
def test_the_staff_promise_follows_the_communes_office_hours(app, knowledge, moment, promise):
    text = _handoff_at(app, moment)
    assert promise in text
    closed = "hết giờ làm việc" in text
    assert closed == promise.startswith("từ")


def test_the_staff_promise_in_english_names_the_day(app, knowledge):
    with app.app_context():
        get_session().add(Commune(slug="xa-mo", name="Xã Mỏ", office_hours=WEEKDAYS))
        get_session().commit()
        saturday = datetime(2026, 3, 7, 10, 0, tzinfo=LOCAL)
        first = Incoming(channel="webchat", commune="xa-mo", user="r-en", kind="text",
                         text="I want to talk to a person please", time=saturday)
        [reply] = handle_message(first)
    assert reply.text == ("I have passed your message to the commune staff. The office is closed now; "
                          "a staff member will reply here from Monday 09/03 07:30.")


# --------------------------------------------------------------------------- unsubscribe

def test_unsubscribe_after_talking(chat, app):
    chat.ask("xin chào")
    with app.app_context():
        record = get_session().scalar(select(Subscriber).where(Subscriber.user_id == "resident-1"))
        record.reminders_opt_in = True
        get_session().commit()
    said = chat.ask("hủy nhận tin nhắc nhở")
    assert said.text.startswith("Xong: từ nay bạn sẽ không nhận tin nhắc nhở")
    record = subscriber(app, "resident-1")
    assert record.reminders_opt_in is False
    assert record.unsubscribed_at is not None


@pytest.mark.parametrize("how", ["UNSUBSCRIBE", "huy nhan tin", "unsubscribe"])
def test_unsubscribe_as_the_very_first_message_is_recorded(new_chat, app, how):
    resident = new_chat(user="first-time")
    said = resident.tap(how) if how == "UNSUBSCRIBE" else resident.ask(how)
    assert said.payloads == ["REMIND:yes", "MENU"]  # confirmed, with the way back
    record = subscriber(app, "first-time")
    assert record is not None, "the opt-out of a resident never seen before was lost"
    assert record.reminders_opt_in is False and record.unsubscribed_at is not None


# --------------------------------------------------------------------------- language

def test_language_switch_by_button_both_ways(chat, app):
    said = chat.tap("LANG:en")
    assert said.text == "I will reply in English from now on. How can I help you?"
    assert {"Papers", "Fee", "Time", "Submit online", "Details", "Talk to staff"} <= set(chat.tap("ASK:ket-hon").titles)
    assert subscriber(app, "resident-1").language == "en"
    said = chat.tap("LANG:vi")
    assert said.text == "Từ giờ tôi sẽ trả lời bằng tiếng Việt. Tôi có thể giúp gì cho bạn?"
    assert chat.tap("MENU").titles[-1] == "Gặp cán bộ"
    assert subscriber(app, "resident-1").language == "vi"


@pytest.mark.parametrize(("text", "lang"), [
    ("nói tiếng Anh đi", "en"), ("in English please", "en"),
    ("tiếng Việt", "vi"), ("trả lời bằng tiếng Việt", "vi"),
])
def test_language_switch_by_words(new_chat, text, lang):
    resident = new_chat(user=f"words-{lang}")
    if lang == "vi":
        resident.tap("LANG:en")
    said = resident.ask(text)
    confirmation = {"en": "I will reply in English from now on.", "vi": "Từ giờ tôi sẽ trả lời bằng tiếng Việt."}
    assert said.text.startswith(confirmation[lang])
    menu = resident.tap("MENU")
    assert menu.titles[-1] == {"en": "Talk to staff", "vi": "Gặp cán bộ"}[lang]


def test_which_language_when_none_is_named(chat):
    said = chat.ask("đổi ngôn ngữ")
    assert said.payloads == ["LANG:vi", "LANG:en"]
    assert said.titles == ["Tiếng Việt", "English"]


def test_an_unknown_language_payload_asks_which(chat):
    said = chat.tap("LANG:fr")
    assert said.payloads == ["LANG:vi", "LANG:en"]


def test_the_reply_language_follows_the_residents_messages(chat):
    first = chat.ask("Hello, what do I need to register a birth?")  # answered (English, a Vietnamese term kept)
    assert first.text.startswith("📋 Birth registration\n📄 Papers to prepare:"), first.text[:120]
    follow_up = chat.tap("PROC:khai-sinh:fee")  # a tapped button keeps the language of the talk
    assert follow_up.text.startswith("📋 Birth registration\n💰 Fee:")
    back = chat.ask("cảm ơn bạn")  # Vietnamese again
    assert back.text.startswith("Không có gì ạ!")
    assert chat.tap("MENU").text.startswith("Bạn cần hỏi việc gì?")


def test_english_is_remembered_after_the_conversation_expires(new_chat, app):
    resident = new_chat(user="remembered")
    resident.tap("LANG:en")
    app.extensions["store"].delete("conv:webchat:demo:remembered")  # as if the TTL had passed
    assert resident.tap("MENU").text == "What would you like to do? Choose a topic or type your question."


# --------------------------------------------------------------------------- the subscriber record

def test_one_record_per_resident_follows_language_and_last_message(app, chat):
    chat.ask("xin chào")
    first = subscriber(app, "resident-1")
    chat.ask("hello, how do I register a birth?")
    second = subscriber(app, "resident-1")
    with app.app_context():
        rows = get_session().scalars(select(Subscriber).where(Subscriber.user_id == "resident-1")).all()
    assert len(rows) == 1 and second.id == first.id
    assert (first.language, second.language) == ("vi", "en")
    assert second.last_message_at >= first.last_message_at
    assert second.first_seen_at == first.first_seen_at and second.reminders_opt_in is False


def test_a_resident_of_an_unknown_commune_is_recorded_once(app, knowledge):
    with app.app_context():
        for text in ("xin chào", "cảm ơn"):
            handle_message(Incoming(channel="webchat", commune="khong-co-xa-nay", user="lost-1", text=text))
        rows = get_session().scalars(select(Subscriber).where(Subscriber.user_id == "lost-1")).all()
    assert len(rows) == 1 and rows[0].commune_id is None
