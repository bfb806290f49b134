"""Conversation tests read as transcripts: push a message, pop the bot's replies.

    chat.push_message("xin chào")
    assert "Xin chào" in chat.pop_message().text

`chat` talks to the real web chat endpoint (POST /webchat/messages) of the `app` fixture,
whose knowledge base is imported from the data files first — the same path a resident's
message takes on the embedded default and, in the services run, on PostgreSQL + Redis.
"""
from __future__ import annotations

import pytest

from chat_transcript import Chat
from knowledge.store import import_from_files


@pytest.fixture
def knowledge(app):
    """The knowledge base imported from the data files into this test's database."""
    with app.app_context():
        import_from_files()
    return app


@pytest.fixture
def chat(client, knowledge) -> Chat:
    return Chat(client)


@pytest.fixture
def new_chat(client, knowledge):
    """Factory for more residents: new_chat(user="...", commune="...")."""
    return lambda **kwargs: Chat(client, **kwargs)
