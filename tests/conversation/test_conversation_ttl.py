"""The conversation state lives CONVERSATION_TTL seconds after the last message, then is gone."""
from __future__ import annotations

import time

import pytest

from chat_transcript import Chat, section_of
from knowledge.store import import_from_files


@pytest.fixture
def app_config():
    return {"CONVERSATION_TTL": 2}


def test_the_conversation_state_expires(app, client):
    with app.app_context():
        import_from_files()
    chat = Chat(client, user="ttl")
    chat.tap("ASK:khai-sinh")
    chat.tap("PROC:khai-sinh:fee")
    assert section_of(chat.tap("BACK"), "khai-sinh") == "overview"  # within the TTL: remembered
    chat.tap("PROC:khai-sinh:where")
    time.sleep(2.6)
    said = chat.tap("BACK")
    assert said.text.startswith("Đã quay lại từ đầu.")  # the steps expired with the state
