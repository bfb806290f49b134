"""Helpers for the guided-flow tests: a web chat driven like a transcript."""
from __future__ import annotations

import itertools

import pytest

_users = itertools.count(1)


@pytest.fixture
def kb(app):
    """The knowledge base imported from the data files (the flows read procedure content from it)."""
    from knowledge.store import import_from_files

    with app.app_context():
        import_from_files()
    return app


class Chat:
    """One resident talking to the bot through POST /webchat/messages."""

    def __init__(self, client, user: str) -> None:
        self.client, self.user = client, user
        self.replies: list[dict] = []

    def say(self, text: str) -> list[dict]:
        return self._post({"user": self.user, "text": text})

    def tap(self, payload: str) -> list[dict]:
        return self._post({"user": self.user, "payload": payload})

    def _post(self, body: dict) -> list[dict]:
        response = self.client.post("/webchat/messages", json=body)
        assert response.status_code == 200, response.get_data(as_text=True)
        self.replies = response.get_json()["replies"]
        return self.replies

    @property
    def text(self) -> str:
        return "\n".join(r["text"] for r in self.replies)

    @property
    def payloads(self) -> list[str]:
        return [q["payload"] for r in self.replies for q in r["quick_replies"]]

    @property
    def buttons(self) -> list[dict]:
        return [b for r in self.replies for b in r["buttons"]]

    def tap_titled(self, title: str) -> list[dict]:
        for reply in self.replies:
            for quick in reply["quick_replies"]:
                if quick["title"] == title:
                    return self.tap(quick["payload"])
        raise AssertionError(f"no quick reply titled {title!r} in {self.replies}")


@pytest.fixture
def chat(kb, client):
    """A new resident per call: chat() -> Chat."""
    return lambda: Chat(client, f"resident-{next(_users)}")
