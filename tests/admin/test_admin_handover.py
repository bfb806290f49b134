"""Handover: the inbox with the conversation, staff replies reaching the web chat, the bot silent until release."""
from __future__ import annotations

import time
from datetime import datetime, timezone

from sqlalchemy import func, select

from admin_helpers import chat, post
from infra.db import get_session
from i18n import gettext
from infra.models import HandoffRequest, TranscriptLine

HELD = gettext("vi", "A commune staff member is answering you here. Please wait a moment; you can still tap Menu to use the assistant.")


def _ask_for_staff(app, user: str = "resident-1", commune: str = "demo") -> int:
    client = app.test_client()
    chat(client, "giấy khai sinh cần những gì", user=user, commune=commune)
    client.post(f"/webchat/messages?commune={commune}", json={"user": user, "payload": "HANDOFF"})
    with app.app_context():
        return get_session().scalar(select(HandoffRequest.id).where(HandoffRequest.user_id == user))


def _poll(client, user: str = "resident-1", after: int = 0) -> list[dict]:
    response = client.get(f"/webchat/messages?user={user}&after={after}")
    assert response.status_code == 200
    return response.get_json()["messages"]


def test_inbox_shows_the_conversation(app, staff_a):
    handoff = _ask_for_staff(app)
    inbox = staff_a.get("/admin/c/demo/handover").get_data(as_text=True)
    assert f"/admin/c/demo/handover/{handoff}" in inbox and "waiting" in inbox
    page = staff_a.get(f"/admin/c/demo/handover/{handoff}").get_data(as_text=True)
    assert "giấy khai sinh cần những gì" in page  # what the resident wrote
    assert 'class="bot"' in page  # and what the bot answered


def test_staff_reply_reaches_the_web_chat_and_the_bot_stays_silent(app, staff_a):
    handoff = _ask_for_staff(app)
    resident = app.test_client()
    assert _poll(resident) == []
    assert post(staff_a, f"/admin/c/demo/handover/{handoff}/reply", {"text": "Chào anh, tôi là cán bộ tư pháp."}).status_code == 302
    messages = _poll(resident)
    assert [m["text"] for m in messages] == ["Chào anh, tôi là cán bộ tư pháp."]
    assert _poll(resident, after=messages[-1]["id"]) == []
    assert _poll(resident, user="someone-else") == []
    told = chat(resident, "cảm ơn, tôi cần mang giấy tờ gì?")  # staff answer now: the bot only says so, once
    assert [r["text"] for r in told] == [HELD] and told[0]["quick_replies"][0]["payload"] == "MENU"
    assert chat(resident, "tôi chờ nhé") == []
    page = staff_a.get(f"/admin/c/demo/handover/{handoff}").get_data(as_text=True)
    assert "cảm ơn, tôi cần mang giấy tờ gì?" in page and "Chào anh, tôi là cán bộ tư pháp." in page
    assert post(staff_a, f"/admin/c/demo/handover/{handoff}/release").status_code == 302
    assert chat(resident, "giờ làm việc") != []
    with app.app_context():
        assert get_session().get(HandoffRequest, handoff).status == "closed"


def test_takeover_times_out(app, staff_a):
    app.config["ADMIN_TAKEOVER_TTL"] = 1
    handoff = _ask_for_staff(app)
    assert post(staff_a, f"/admin/c/demo/handover/{handoff}/take").status_code == 302
    assert [r["text"] for r in chat(app.test_client(), "giờ làm việc")] == [HELD]
    time.sleep(1.3)
    assert chat(app.test_client(), "giờ làm việc") != []


def test_reply_validation(app, staff_a):
    handoff = _ask_for_staff(app)
    assert post(staff_a, f"/admin/c/demo/handover/{handoff}/reply", {"text": " "}).status_code == 400
    assert post(staff_a, f"/admin/c/demo/handover/{handoff}/reply", {"text": "x" * 2001}).status_code == 400


def test_resident_text_escaped_in_admin(app, staff_a):
    handoff = _ask_for_staff(app)
    post(staff_a, f"/admin/c/demo/handover/{handoff}/take")
    chat(app.test_client(), "<img src=x onerror=alert(1)>")
    page = staff_a.get(f"/admin/c/demo/handover/{handoff}").get_data(as_text=True)
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page


def test_poll_refuses_bad_input(client, world):
    assert client.get("/webchat/messages").status_code == 400
    assert client.get("/webchat/messages?user=u&after=abc").status_code == 400
    assert client.get("/webchat/messages?user=" + "u" * 200).status_code == 400


def test_staff_reply_on_facebook_reaches_the_platform(app, world, staff_a):
    """The reply goes through channels.delivery to a fake Graph API on 127.0.0.1."""
    import sys
    from pathlib import Path

    from cryptography.fernet import Fernet

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "channels"))
    from fake_platform import FakePlatformServer

    from channels.models import FACEBOOK
    from channels.tenancy import Credentials, set_account
    from infra.db import session_scope
    from infra.models import Commune, Subscriber

    server = FakePlatformServer()
    with server as platform:
        platform.facebook_tokens = {"EAAG-token-a": "106000000000001"}
        app.config.update(TOKEN_ENCRYPTION_KEY=Fernet.generate_key().decode(),
                          FACEBOOK_GRAPH_URL=f"{server.url}/v23.0", SEND_TIMEOUT=2)
        with app.app_context(), session_scope() as db:
            commune = db.get(Commune, world["a"])
            set_account(db, commune, FACEBOOK, Credentials("106000000000001", "EAAG-token-a"))
            db.add(HandoffRequest(channel="facebook", user_id="psid-1", commune_id=commune.id, text="help"))
            db.add(Subscriber(channel="facebook", user_id="psid-1", commune_id=commune.id, language="vi",
                              last_message_at=datetime.now(timezone.utc)))
        with app.app_context():
            handoff = get_session().scalar(select(HandoffRequest.id).where(HandoffRequest.user_id == "psid-1"))
        response = post(staff_a, f"/admin/c/demo/handover/{handoff}/reply", {"text": "Cán bộ xã xin trả lời."})
        assert response.status_code == 302
        sends = platform.sends("facebook")
        assert len(sends) == 1
        assert sends[0].body["recipient"] == {"id": "psid-1"}
        assert sends[0].body["message"]["text"] == "Cán bộ xã xin trả lời."


def test_the_conversation_page_fetches_new_lines_in_viet_nam_time(app, staff_a):
    handoff = _ask_for_staff(app)
    with app.app_context():
        last = get_session().scalar(select(func.max(TranscriptLine.id)))
        line = get_session().get(TranscriptLine, last)
        line.created_at = datetime(2026, 3, 2, 23, 30, tzinfo=timezone.utc)  # 06:30 next day in Viet Nam
        get_session().commit()
    page = staff_a.get(f"/admin/c/demo/handover/{handoff}").get_data(as_text=True)
    assert "06:30" in page and "HANDOFF" not in page  # Viet Nam time; the tap shown by its title
    assert page.index('id="reply"') < page.index('id="transcript"')  # the reply box first
    assert staff_a.get(f"/admin/c/demo/handover/{handoff}/lines?after={last}").get_json() == {"lines": []}
    chat(app.test_client(), "tôi cần hỏi thêm")
    lines = staff_a.get(f"/admin/c/demo/handover/{handoff}/lines?after={last}").get_json()["lines"]
    assert [(x["direction"], x["text"]) for x in lines][0] == ("in", "tôi cần hỏi thêm")
    assert staff_a.get(f"/admin/c/demo/handover/{handoff}/lines?after=x").status_code == 400


def test_the_waiting_count_is_in_the_navigation(app, staff_a):
    assert 'id="waiting-count"' not in staff_a.get("/admin/c/demo/faq").get_data(as_text=True)
    _ask_for_staff(app)
    _ask_for_staff(app, user="resident-2")
    assert '<span class="count" id="waiting-count"' in staff_a.get("/admin/c/demo/faq").get_data(as_text=True)
    assert staff_a.get("/admin/").headers["Location"].endswith("/admin/c/demo/handover")
