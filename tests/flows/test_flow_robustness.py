"""Back, menu, stop, cancel, resume, expiry, topic changes, invalid inputs and corrections."""
from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select


def _start(resident, flow_id: str, opening: str) -> None:
    resident.say(opening)
    resident.tap(f"FLOW:start:{flow_id}")


def _prefill_count(app) -> int:
    from infra.db import get_session
    from procedures.prefill_models import PrefillRecord

    with app.app_context():
        return get_session().scalar(select(func.count()).select_from(PrefillRecord))


def test_invalid_answers_are_asked_again(chat):
    resident = chat()
    _start(resident, "ket-hon", "đăng ký kết hôn")
    resident.say("hmm để xem")
    assert "chưa hiểu" in resident.text.lower() or "did not catch" in resident.text
    assert "Đây là lần đầu hai bạn đăng ký kết hôn" in resident.text
    resident.say("có")  # the common case, asked first: a first registration
    assert "Cả hai người đều là công dân Việt Nam" in resident.text


def test_invalid_date_is_explained(chat):
    resident = chat()
    _start(resident, "khai-tu", "đăng ký khai tử")
    resident.say("31/2/2025")
    assert "12/3/2024" in resident.text  # the date error shows the expected form
    assert "Người thân mất vào ngày nào" in resident.text
    resident.say("1/1/2999")
    assert "tương lai" in resident.text or "future" in resident.text


def test_back_goes_one_step_and_the_answer_can_change(chat):
    resident = chat()
    _start(resident, "ket-hon", "dang ky ket hon")
    resident.say("co")  # a first registration, the common case asked first
    resident.say("khong")  # not both Vietnamese → foreign variant result
    assert "2.000806" in resident.text
    resident.say("quay lại")
    assert "Cả hai người đều là công dân Việt Nam" in resident.text
    resident.say("có")
    assert "Có ai trong hai người đã từng kết hôn" in resident.text
    resident.tap("BACK")
    assert "Cả hai người đều là công dân Việt Nam" in resident.text
    resident.tap("BACK")
    resident.tap("BACK")  # before the first question: back to the procedure guide
    assert resident.text.startswith("📋 Đăng ký kết hôn")  # the short title, not the official name


def test_menu_pauses_and_tiep_tuc_resumes(chat):
    resident = chat()
    _start(resident, "tam-tru", "đăng ký tạm trú")
    resident.say("có")
    resident.say("menu")
    assert "tiếp tục" in resident.text
    resident.say("tiếp tục")
    assert "Bạn đăng ký cho ai" in resident.text


def test_stop_leaves_the_flow(chat):
    resident = chat()
    _start(resident, "thuong-tru", "đăng ký thường trú")
    resident.say("thôi")
    assert "dừng" in resident.text
    resident.say("có")  # no longer an answer to the flow
    assert "Bạn đăng ký cho trẻ em" not in resident.text


def test_topic_change_mid_flow_says_so_and_can_resume(chat):
    resident = chat()
    _start(resident, "khai-sinh", "đăng ký khai sinh")
    resident.say("đúng")
    resident.say("đăng ký tạm trú thế nào")
    assert "tạm dừng hướng dẫn" in resident.text and "Đăng ký khai sinh" in resident.text
    assert "Đăng ký tạm trú" in resident.text  # the new guide answers
    resident.say("tiep tuc")
    assert "Bé sinh ra ở Việt Nam phải không" in resident.text


def test_topic_change_in_english(chat):
    resident = chat()
    _start(resident, "ket-hon", "Marriage registration")
    resident.say("how do I register temporary residence")
    assert "paused the step-by-step guide" in resident.text
    assert "Temporary residence registration" in resident.text


def test_tapping_another_topic_mid_flow_pauses_it(chat):
    resident = chat()
    _start(resident, "khai-tu", "đăng ký khai tử")
    resident.tap("ASK:ket-hon")
    assert "tạm dừng hướng dẫn" in resident.text and "Đăng ký kết hôn" in resident.text


def test_starting_again_offers_resume_or_restart(chat):
    resident = chat()
    _start(resident, "tam-tru", "đăng ký tạm trú")
    resident.say("có")
    resident.say("thôi")
    resident.tap("FLOW:start:tam-tru")
    assert {"FLOW:resume", "FLOW:restart"} <= set(resident.payloads)
    resident.tap("FLOW:restart")
    assert "Bạn đăng ký tạm trú mới phải không" in resident.text


class TestExpiry:
    @pytest.fixture
    def app_config(self):
        return {"FLOW_TTL": 1}

    def test_flow_left_too_long_restarts_politely(self, chat):
        resident = chat()
        _start(resident, "ket-hon", "đăng ký kết hôn")
        resident.say("không")
        time.sleep(1.3)
        resident.say("có")
        assert "bắt đầu lại" in resident.text
        assert "Đây là lần đầu hai bạn đăng ký kết hôn" in resident.text  # the first question again

    def test_paused_flow_too_old_restarts(self, chat):
        resident = chat()
        _start(resident, "ket-hon", "đăng ký kết hôn")
        resident.say("không")
        resident.say("menu")
        time.sleep(1.3)
        resident.say("tiếp tục")
        assert "bắt đầu lại" in resident.text
        assert "Đây là lần đầu hai bạn đăng ký kết hôn" in resident.text


def _to_collection(resident) -> None:
    _start(resident, "tinh-trang-hon-nhan", "xác nhận tình trạng hôn nhân")
    for answer in ("để kết hôn", "chưa", "chưa", "không"):
        resident.say(answer)
    resident.tap("FLOW:prefill")


def test_collection_validates_corrects_and_confirms(chat, app):
    resident = chat()
    _to_collection(resident)
    assert "Họ và tên của bạn" in resident.text
    resident.say("12345")
    assert "chữ cái" in resident.text or "letters only" in resident.text
    resident.say("tran thi hoa")
    resident.say("ngày 5 tháng 6 năm 1995")
    resident.say("12345")
    assert "12" in resident.text and ("số" in resident.text or "digits" in resident.text)
    resident.say("0010 9501 2345")
    resident.say("0123")
    resident.say("+84 912 345 678")
    assert "Tran Thi Hoa" in resident.text and "05/06/1995" in resident.text
    assert "001095012345" in resident.text and "0912345678" in resident.text
    resident.tap("FLOW:change")
    resident.tap("FLOW:edit:full_name")
    resident.say("Trần Thị Hoa")
    assert "Trần Thị Hoa" in resident.text and "FLOW:confirm" in resident.payloads
    resident.say("sửa")  # not yes: which item?
    resident.say("3")
    resident.say("001095012346")
    assert "001095012346" in resident.text
    resident.say("đúng rồi")
    assert any("/go/" in b["url"] for b in resident.buttons)
    assert _prefill_count(app) == 1


def test_cancel_deletes_the_typed_details(chat, app):
    resident = chat()
    _to_collection(resident)
    resident.say("Trần Thị Hoa")
    assert _prefill_count(app) == 1
    resident.tap("FLOW:cancel")
    assert "xóa" in resident.text.lower() or "deleted" in resident.text
    assert _prefill_count(app) == 0


def test_stop_word_during_collection_cancels_and_deletes(chat, app):
    resident = chat()
    _to_collection(resident)
    resident.say("Trần Thị Hoa")
    resident.say("hủy")
    assert _prefill_count(app) == 0


def test_erase_my_data_deletes_confirmed_details(chat, app):
    resident = chat()
    _to_collection(resident)
    for value in ("Trần Thị Hoa", "5/6/1995", "001095012345", "0912345678", "có"):
        resident.say(value)
    assert _prefill_count(app) == 1
    someone_else = chat()
    someone_else.say("xóa dữ liệu của tôi")
    assert _prefill_count(app) == 1  # only the resident's own data
    resident.say("xoa du lieu cua toi")
    assert _prefill_count(app) == 0
    assert "1" in resident.text


def test_back_during_collection_asks_the_previous_field(chat):
    resident = chat()
    _to_collection(resident)
    resident.say("Trần Thị Hoa")
    assert "Ngày sinh của bạn" in resident.text
    resident.say("quay lại")
    assert "Họ và tên của bạn" in resident.text
    resident.say("quay lại")  # before the first field: back to the result
    assert "FLOW:prefill" in resident.payloads


def test_english_flow_keeps_english_when_a_vietnamese_name_is_typed(chat):
    resident = chat()
    _start(resident, "tinh-trang-hon-nhan", "Certificate of marital status")
    for answer in ("to marry", "no", "no", "no"):
        resident.say(answer)
    resident.tap("FLOW:prefill")
    resident.say("Trần Thị Hoa")
    assert "What is your date of birth" in resident.text


def test_old_commune_name_is_mapped_to_the_current_one(chat):
    resident = chat()
    _start(resident, "khai-sinh", "đăng ký khai sinh")
    for answer in ("có", "có", "có", "có", "ngày 1 tháng 1 năm 2024"):
        resident.say(answer)
    resident.tap("FLOW:prefill")
    resident.say("Nguyễn Minh An")
    resident.say("xã Phú Xuân, huyện Phú Vang, tỉnh Thừa Thiên Huế")
    assert "Xã Phú Hồ, Thành phố Huế" in resident.text


@pytest.mark.parametrize("question", ["còn đăng ký tạm trú thì làm thế nào", "con dang ky tam tru thi lam the nao"])
def test_a_question_instead_of_a_form_value_starts_its_guide_and_the_form_waits(chat, app, question):
    resident = chat()
    _to_collection(resident)
    resident.say("Trần Thị Hoa")
    assert "Ngày sinh của bạn" in resident.text
    resident.say(question)  # no date: a new question
    assert "tạm dừng hướng dẫn" in resident.text and "Đăng ký tạm trú" in resident.text
    assert _prefill_count(app) == 1  # what was typed so far is kept for the paused form
    resident.say("tiếp tục")
    assert "Ngày sinh của bạn" in resident.text
    resident.say("5/6/1995")
    assert "Số định danh cá nhân của bạn" in resident.text


def test_a_value_that_reads_like_a_procedure_is_still_taken_as_the_value(chat):
    """The name field accepts letters: "Khai Sinh" is a name there, not a question."""
    resident = chat()
    _to_collection(resident)
    resident.say("Nguyễn Khai Sinh")
    assert "Ngày sinh của bạn" in resident.text


def test_a_name_without_diacritics_is_kept_with_a_gentle_warning(chat):
    resident = chat()
    _start(resident, "tinh-trang-hon-nhan", "xác nhận tình trạng hôn nhân")
    for answer in ("để kết hôn", "chưa", "chưa", "không"):
        resident.say(answer)
    resident.tap("FLOW:prefill")
    resident.say("tran thi hoa")
    assert "chưa có dấu" in resident.text and "Nguyễn, không phải Nguyen" in resident.text
    assert "ngày sinh" in resident.text.lower()  # accepted: the next field is asked
    for value in ("5/6/1995", "0010 9501 2345", "0912345678"):
        resident.say(value)
    assert "1. Họ và tên: Tran Thi Hoa" in resident.text  # the summary, where it can be corrected
