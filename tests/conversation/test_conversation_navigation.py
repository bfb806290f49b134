"""Menu, back and stop work anywhere, by button or by word; the conversation state expires."""
from __future__ import annotations

import pytest

from chat_transcript import section_of

MENU_TEXT = "Bạn cần hỏi việc gì?"


@pytest.mark.parametrize("how", ["MENU", "menu", "Menu", "về menu", "bắt đầu lại"])
def test_menu_anywhere(chat, how):
    chat.tap("ASK:khai-tu")
    chat.tap("PROC:khai-tu:documents")
    said = chat.tap(how) if how == "MENU" else chat.ask(how)
    assert said.text.startswith(MENU_TEXT)
    assert "ASK:khai-sinh" in said.payloads and said.payloads[-1] == "HANDOFF"
    back = chat.tap("BACK")  # the guide was left: back goes to the start, not into it
    assert back.text.startswith("Đã quay lại từ đầu.")


@pytest.mark.parametrize("how", ["BACK", "quay lại", "quay lai", "Quay lại!", "trở lại"])
def test_back_retraces_the_guide(chat, how):
    chat.tap("ASK:ket-hon")
    chat.tap("PROC:ket-hon:documents")
    chat.tap("PROC:ket-hon:fee")
    said = chat.tap(how) if how == "BACK" else chat.ask(how)
    assert section_of(said, "ket-hon") == "documents"
    said = chat.tap("BACK")
    assert section_of(said, "ket-hon") == "overview"
    said = chat.tap("BACK")
    assert said.text.startswith("Đã quay lại từ đầu.")
    assert "ASK:khai-sinh" in said.payloads


@pytest.mark.parametrize("how", ["STOP", "thôi", "thoi", "hủy", "cancel"])
def test_stop_anywhere(chat, how):
    chat.tap("ASK:thuong-tru")
    chat.tap("PROC:thuong-tru:fee")
    said = chat.tap(how) if how == "STOP" else chat.ask(how)
    assert said.text.startswith("Vâng, tôi dừng ở đây.")
    assert said.payloads == ["HANDOFF", "MENU"]
    assert chat.tap("BACK").text.startswith("Đã quay lại từ đầu.")  # the guide is closed


def test_back_with_nothing_behind_goes_to_the_start(chat):
    said = chat.tap("BACK")
    assert said.text.startswith("Đã quay lại từ đầu.")


def test_words_inside_a_question_are_not_commands(chat):
    """"quay lại" only navigates as the whole message, not inside a question."""
    said = chat.ask("đăng ký kết hôn cần giấy tờ gì")
    assert not said.text.startswith(("Đã quay lại", "Vâng, tôi dừng"))
