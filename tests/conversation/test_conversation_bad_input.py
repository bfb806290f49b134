"""Whatever a resident sends, the bot answers politely: no 500, no exception, no guess.

(Bodies that are not a web chat message at all, and the browser, are in tests/test_webchat.py.)
"""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from infra.db import get_session
from infra.models import Entry, MessageLog

ASK_FOR_WORDS = "Bạn vui lòng nhắn câu hỏi bằng vài chữ"


@pytest.mark.parametrize("text", [
    "", " ", "   \n\t  ", "😀🙏👍", "???", "\x00\x01\x02\x1b\x7f", "\u200b\u200b", "\ufeff", "\ud7ff\ue000",
])
def test_letterless_messages_get_a_request_for_words(chat, text):
    said = chat.ask(text)
    assert said.text.startswith(ASK_FOR_WORDS)
    assert said.payloads == ["HANDOFF", "MENU"]


def test_binary_garbage_inside_words_is_dropped(chat):
    said = chat.ask("khai\x00 sinh\x07\x1b cần\x7f giấy tờ gì\x08")
    assert "khai-sinh" in " ".join(said.payloads)


def test_five_thousand_characters(chat, app):
    chat.inbox.clear()
    note, said = chat.push_message("đăng ký khai sinh cần giấy tờ gì " * 160)  # 5,280 characters
    assert str(app.config["MAX_MESSAGE_CHARS"]) in note.text  # the resident is told the rest was not read
    assert said.text and said.payloads
    with app.app_context():
        logged = get_session().scalars(select(MessageLog.text).where(MessageLog.text.is_not(None))).all()
    assert logged and max(len(t) for t in logged) <= app.config["MAX_MESSAGE_CHARS"]


@pytest.mark.parametrize("text", ["'; DROP TABLE kb_entries; --", "<script>alert(1)</script>",
                                  "{commune} {0} %s %(x)s {{x}}", "../../etc/passwd", "null"])
def test_hostile_text_is_just_text(chat, app, text):
    entries_before = _entries(app)
    said = chat.ask(text)
    assert "<script" not in said.text and "DROP TABLE" not in said.text  # never echoed back
    assert "{" not in said.text
    assert "HANDOFF" in said.payloads or "NOT_THIS" in said.payloads
    assert _entries(app) == entries_before > 30  # the knowledge base is untouched
    assert chat.ask("khai tử cần gì").payloads  # and the bot still answers


@pytest.mark.parametrize("payload", [
    "", "FOO", "ASK:", "ASK:khong-ton-tai", "ASK:none", "PROC:", "PROC:khai-sinh", "PROC:khai-sinh:nope",
    "PROC::fee", "PROC:khong-ton-tai:fee", "LANG:", "LANG:xx", "NOT_THIS", "START" * 100, "ASK:meta-greeting\x00",
])
def test_payloads_that_do_not_exist(chat, payload):
    said = chat.tap(payload)
    assert said.text
    assert said.payloads  # always a way on
    assert "HANDOFF" in said.payloads or "MENU" in said.payloads or "LANG:vi" in said.payloads


def _entries(app) -> int:
    with app.app_context():
        return get_session().scalar(select(func.count()).select_from(Entry))
