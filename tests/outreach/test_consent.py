"""Reminder consent as residents see it: yes with "nhận tin" or the question's button, stop with a
whole-message opt-out (confirmed, with the way back), never by a sentence that only mentions
stopping; the dates reminders need are kept encrypted only with consent and erased on request."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.consent_models import LifeEvent, ReminderConsent
from infra.db import get_session
from infra.models import Subscriber


def opted_in(app, user: str) -> bool:
    with app.app_context():
        return bool(get_session().scalar(select(Subscriber.reminders_opt_in).where(Subscriber.user_id == user)))


def life_events(app, user: str) -> list[LifeEvent]:
    with app.app_context():
        return list(get_session().scalars(select(LifeEvent).join(Subscriber, Subscriber.id == LifeEvent.subscriber_id)
                                          .where(Subscriber.user_id == user)))


@pytest.mark.parametrize("stop", ["hủy", "Huỷ nhận tin", "dừng", "STOP", "không nhận nữa", "khong nhan nua", "huy"])
def test_a_whole_message_opt_out_stops_reminders_and_shows_the_way_back(resident, seeded, stop):
    someone = resident()
    someone.say("nhận tin")
    assert "hủy" in someone.text and opted_in(seeded, someone.user)
    someone.say(stop)
    assert someone.text.startswith("Xong: từ nay bạn sẽ không nhận tin nhắc nhở")
    assert "nhận tin" in someone.text and "REMIND:yes" in someone.payloads  # the way back
    assert not opted_in(seeded, someone.user)
    someone.tap("REMIND:yes")
    assert opted_in(seeded, someone.user)


@pytest.mark.parametrize("sentence", ["chúng ta phải dừng việc này lại thôi, cho tôi hỏi thủ tục khai sinh",
                                      "we have to stop this, how do I register a birth?",
                                      "hủy đăng ký kết hôn thì làm sao"])
def test_a_sentence_that_mentions_stopping_is_not_an_opt_out(resident, seeded, sentence):
    someone = resident()
    someone.say("nhan tin")
    someone.say(sentence)
    assert opted_in(seeded, someone.user)
    assert not someone.text.startswith("Xong: từ nay")


def test_stop_word_inside_a_guide_stops_the_guide_not_the_reminders(resident, seeded):
    someone = resident()
    someone.say("nhận tin")
    someone.tap("ASK:thuong-tru")
    someone.say("hủy")
    assert someone.text.startswith("Vâng, tôi dừng ở đây.")
    assert opted_in(seeded, someone.user)


def _prepare_marital_status_form(someone) -> None:
    someone.say("xác nhận tình trạng hôn nhân")
    someone.tap("FLOW:start:tinh-trang-hon-nhan")
    for answer in ("để kết hôn", "chưa", "chưa", "không"):
        someone.say(answer)
    someone.tap("FLOW:prefill")
    for value in ("Trần Thị Hoa", "5/6/1995", "001095012345", "0912345678", "có"):
        someone.say(value)


def test_question_after_the_hand_off_page_keeps_the_birth_year_encrypted_only_with_consent(resident, seeded):
    someone = resident()
    _prepare_marital_status_form(someone)
    assert "/go/" in someone.replies[0].buttons[0].url
    assert someone.payloads[-2:] == ["REMIND:yes", "REMIND:no"]
    assert life_events(seeded, someone.user) == []  # nothing kept before the yes
    someone.tap("REMIND:yes")
    [event] = life_events(seeded, someone.user)
    assert event.kind == "own_birth" and "1995" not in event.payload
    with seeded.app_context():
        from bot.consent import life_event

        assert life_event(event.payload) == {"year": 1995}
        consent = get_session().scalar(select(ReminderConsent))
        assert consent.given_at is not None and consent.wording == "reminders-v1" and "id_card" in consent.topics
    someone.say("xóa dữ liệu của tôi")
    assert life_events(seeded, someone.user) == []


def test_a_no_is_remembered_and_keeps_nothing(resident, seeded):
    someone = resident("facebook")
    _prepare_marital_status_form(someone)
    someone.tap("REMIND:no")
    assert not opted_in(seeded, someone.user) and life_events(seeded, someone.user) == []
    _prepare_marital_status_form(someone)
    assert "REMIND:yes" not in someone.payloads  # asked once


def test_opting_out_deletes_the_kept_dates(resident, seeded):
    someone = resident()
    _prepare_marital_status_form(someone)
    someone.tap("REMIND:yes")
    assert len(life_events(seeded, someone.user)) == 1
    someone.say("stop")
    assert life_events(seeded, someone.user) == []
