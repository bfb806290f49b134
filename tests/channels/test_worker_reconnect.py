"""A drain job keeps one database connection; when the server drops it, the next event is still answered."""
from __future__ import annotations

import json

import pytest
from conftest import PAGE_A
from sqlalchemy import select, text

from channels.events import Event
from channels.models import DeadLetter
from channels.worker import answer_batch
from infra.db import get_session, pinned_connection, session_scope


def raw_event(psid: str, mid: str, words: str) -> str:
    return json.dumps(Event(platform="facebook", account=PAGE_A, user=psid, kind="text", key=f"facebook:{PAGE_A}:{mid}",
                            text=words, message_id=mid).to_dict())


@pytest.mark.services
def test_an_event_after_the_connection_was_killed_is_answered_not_dead_lettered(seeded, fake):
    with seeded.app_context(), pinned_connection():
        answer_batch([raw_event("psid-r1", "m_r1", "Đăng ký khai sinh")])
        backend = get_session().scalar(text("SELECT pg_backend_pid()"))
        get_session().commit()
        with seeded.extensions["db_engine"].connect() as other:  # a database restart, for this connection
            other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": backend})
        answer_batch([raw_event("psid-r2", "m_r2", "Đăng ký khai sinh")])
    answered = {call.body["recipient"]["id"] for call in fake.sends("facebook")}
    assert answered == {"psid-r1", "psid-r2"}
    with seeded.app_context(), session_scope() as db:
        assert db.scalars(select(DeadLetter)).all() == []
