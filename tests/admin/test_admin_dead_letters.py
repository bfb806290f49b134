"""Undelivered replies: staff see what did not reach their residents, in plain words, and mark it handled."""
from __future__ import annotations

import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select

from admin.auth import hash_password
from admin.models import StaffUser
from admin_helpers import PASSWORD, chat, login, post
from channels.models import FACEBOOK, DeadLetter
from channels.tenancy import Credentials, set_account
from infra.db import get_session, session_scope
from infra.models import Commune, HandoffRequest, Subscriber

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "channels"))
from fake_platform import FakePlatformServer  # noqa: E402  (beside the channel tests)

PAGE, TOKEN = "106000000000001", "EAAG-token-a"
PAGE_PATH = "/admin/c/demo/undelivered"


def add_letter(app, commune_id: int | None, reason: str = "outside_window", text: str = "Hồ sơ của anh đã xong.",
               user: str = "psid-1234567890123", minutes_ago: int = 0, **fields) -> int:
    """A dead letter as channels.delivery writes it: the rendered Messenger message in `body`."""
    with app.app_context(), session_scope() as db:
        letter = DeadLetter(platform=FACEBOOK, commune_id=commune_id, user_id=user, reason=reason,
                            error_code=fields.pop("error_code", "window"), detail=fields.pop("detail", None),
                            body=fields.pop("body", {"text": text}), attempts=fields.pop("attempts", 0),
                            created_at=datetime.now(timezone.utc) - timedelta(minutes=minutes_ago), **fields)
        db.add(letter)
        db.flush()
        return letter.id


def resolved_at(app, letter_id: int):
    with app.app_context():
        return get_session().get(DeadLetter, letter_id).resolved_at


def resolved_by(app, letter_id: int):
    with app.app_context():
        return get_session().get(DeadLetter, letter_id).resolved_by


def test_lists_the_communes_own_letters_newest_first(app, world, staff_a):
    add_letter(app, world["a"], text="Thư cũ hơn", minutes_ago=30)
    add_letter(app, world["a"], text="Thư mới nhất", minutes_ago=1)
    add_letter(app, world["b"], text="Thư của xã B")
    page = staff_a.get(PAGE_PATH).get_data(as_text=True)
    assert page.index("Thư mới nhất") < page.index("Thư cũ hơn")
    assert "Thư của xã B" not in page
    assert "psid-12345…" in page and "psid-1234567890123" not in page  # the resident id, shortened
    assert "messaging window" in page  # the reason in words (staff-a reads English)


def test_times_are_commune_local_time(app, world, staff_a):
    letter = add_letter(app, world["a"])
    with app.app_context():
        created = get_session().get(DeadLetter, letter).created_at.replace(tzinfo=timezone.utc)
    local = (created + timedelta(hours=7)).strftime("%Y-%m-%d %H:%M")  # Asia/Ho_Chi_Minh: UTC+7 all year
    assert local in staff_a.get(PAGE_PATH).get_data(as_text=True)


def test_reason_in_vietnamese_and_english_and_unknown_codes_as_is(app, world, staff_a):
    add_letter(app, world["a"], reason="user_unreachable", error_code="551")
    add_letter(app, world["a"], reason="some_new_reason", error_code="-999")
    english = staff_a.get(PAGE_PATH).get_data(as_text=True)
    assert "cannot receive messages from this Page or OA" in english and "551" in english
    assert "some_new_reason" in english and "-999" in english
    assert post(staff_a, "/admin/language", {"lang": "vi", "next": PAGE_PATH}).status_code == 302
    vietnamese = staff_a.get(PAGE_PATH).get_data(as_text=True)
    assert "Người dân không nhận được tin nhắn từ Trang hoặc OA này" in vietnamese
    assert "Chưa gửi được" in vietnamese  # the navigation link
    assert "some_new_reason" in vietnamese


def test_message_the_bot_could_not_process_shows_what_the_resident_wrote(app, world, staff_a):
    event = {"platform": "facebook", "account": PAGE, "user": "psid-77", "kind": "text", "key": "facebook:1:m1",
             "text": "Cho hỏi làm căn cước ở đâu?"}
    add_letter(app, world["a"], reason="not_answered", error_code="OperationalError", body=event, user="psid-77")
    page = staff_a.get(PAGE_PATH).get_data(as_text=True)
    assert "Cho hỏi làm căn cước ở đâu?" in page
    assert "internal error" in page and "OperationalError" in page


@pytest.mark.parametrize("body, shown", [
    ({"message": {"text": "Bọc trong message"}}, "Bọc trong message"),  # as the Send API body
    ({"attachment": {"type": "template", "payload": {"template_type": "button", "text": "Kèm nút bấm",
                                                     "buttons": []}}}, "Kèm nút bấm"),  # Messenger buttons
    ({"text": "Zalo có nút", "attachment": {"type": "template", "payload": {"buttons": []}}}, "Zalo có nút"),
])
def test_undelivered_text_of_each_message_shape(app, world, staff_a, body, shown):
    add_letter(app, world["a"], body=body)
    assert shown in staff_a.get(PAGE_PATH).get_data(as_text=True)


def test_mark_handled_needs_login_and_csrf(app, world, staff_a):
    letter = add_letter(app, world["a"])
    url = f"{PAGE_PATH}/{letter}/handled"
    assert app.test_client().post(url).status_code in (302, 400)  # anonymous: no session, no token
    assert staff_a.post(url).status_code == 400  # logged in, no CSRF token
    assert resolved_at(app, letter) is None
    response = post(staff_a, url)
    assert response.status_code == 302 and response.headers["Location"].endswith(PAGE_PATH)
    assert resolved_at(app, letter) is not None


def test_handled_letters_leave_the_list_and_the_count(app, world, staff_a):
    first = add_letter(app, world["a"], text="Cần xử lý 1")
    add_letter(app, world["a"], text="Cần xử lý 2")
    page = staff_a.get(PAGE_PATH).get_data(as_text=True)
    assert '<span class="count"' in page and ">2</span>" in page  # the navigation shows what waits
    post(staff_a, f"{PAGE_PATH}/{first}/handled")
    page = staff_a.get(PAGE_PATH).get_data(as_text=True)
    assert "Cần xử lý 1" not in page and "Cần xử lý 2" in page and ">1</span>" in page
    handled = staff_a.get(PAGE_PATH + "?handled=1").get_data(as_text=True)
    assert "Cần xử lý 1" in handled and "Cần xử lý 2" not in handled and "Handled by staff-a at" in handled
    again = resolved_at(app, first)
    post(staff_a, f"{PAGE_PATH}/{first}/handled")
    assert resolved_at(app, first) == again  # a second click keeps the first time


def test_marking_handled_records_who_and_the_handled_list_shows_it(app, world, staff_a):
    letter = add_letter(app, world["a"], text="Đã gọi điện cho anh")
    old = add_letter(app, world["a"], text="Xử lý trước khi ghi người",  # handled before resolved_by existed
                     resolved_at=datetime.now(timezone.utc) - timedelta(days=1))
    post(staff_a, f"{PAGE_PATH}/{letter}/handled")
    assert resolved_by(app, letter) == "staff-a"
    assert resolved_by(app, old) is None
    handled = staff_a.get(PAGE_PATH + "?handled=1").get_data(as_text=True)
    at = (resolved_at(app, letter).replace(tzinfo=timezone.utc) + timedelta(hours=7)).strftime("%Y-%m-%d %H:%M")
    assert f"Handled by staff-a at {at}" in handled
    assert handled.count("Handled at ") == 1  # the old row: the handler is unknown
    assert post(staff_a, "/admin/language", {"lang": "vi", "next": PAGE_PATH}).status_code == 302
    assert f"staff-a đã xử lý lúc {at}" in staff_a.get(PAGE_PATH + "?handled=1").get_data(as_text=True)


def test_other_communes_letter_cannot_be_marked(app, world, staff_a):
    letter = add_letter(app, world["b"])
    assert post(staff_a, f"{PAGE_PATH}/{letter}/handled").status_code == 404
    assert post(staff_a, f"/admin/c/xa-b/undelivered/{letter}/handled").status_code == 404
    assert resolved_at(app, letter) is None


def test_links_to_the_residents_conversation(app, world, staff_a):
    with app.app_context(), session_scope() as db:
        handoff = HandoffRequest(channel=FACEBOOK, user_id="psid-5", commune_id=world["a"], text="help")
        db.add(handoff)
        db.flush()
        handoff_id = handoff.id
    add_letter(app, world["a"], user="psid-5")
    add_letter(app, world["a"], user="psid-no-conversation")
    page = staff_a.get(PAGE_PATH).get_data(as_text=True)
    assert page.count("/admin/c/demo/handover/") == 1 and f"/admin/c/demo/handover/{handoff_id}" in page


def test_webchat_staff_reply_flash_says_sent(app, world, staff_a):
    client = app.test_client()
    chat(client, "giờ làm việc", user="web-1", commune="demo")
    client.post("/webchat/messages?commune=demo", json={"user": "web-1", "payload": "HANDOFF"})
    with app.app_context():
        handoff = get_session().scalar(select(HandoffRequest.id).where(HandoffRequest.user_id == "web-1"))
    response = post(staff_a, f"/admin/c/demo/handover/{handoff}/reply", {"text": "Chào bạn"})
    page = staff_a.get(response.headers["Location"]).get_data(as_text=True)
    assert "Reply sent." in page and "Not delivered" not in page


# --------------------------------------------------------------------------- real deliveries

@pytest.fixture
def facebook(app, world):
    """Commune A's Page on a fake Graph API on 127.0.0.1; yields the fake platform."""
    server = FakePlatformServer()
    with server as platform:
        platform.facebook_tokens = {TOKEN: PAGE}
        app.config.update(TOKEN_ENCRYPTION_KEY=Fernet.generate_key().decode(),
                          FACEBOOK_GRAPH_URL=f"{server.url}/v23.0", SEND_TIMEOUT=2)
        with app.app_context(), session_scope() as db:
            set_account(db, db.get(Commune, world["a"]), FACEBOOK, Credentials(PAGE, TOKEN))
        yield platform


def messenger_handoff(app, commune_id: int, user: str, last_wrote_hours_ago: float) -> int:
    with app.app_context(), session_scope() as db:
        handoff = HandoffRequest(channel=FACEBOOK, user_id=user, commune_id=commune_id, text="cần gặp cán bộ")
        db.add(handoff)
        db.add(Subscriber(channel=FACEBOOK, user_id=user, commune_id=commune_id, language="vi",
                          last_message_at=datetime.now(timezone.utc) - timedelta(hours=last_wrote_hours_ago)))
        db.flush()
        return handoff.id


def test_reply_outside_the_messenger_window_is_shown_as_undelivered(app, world, staff_a, facebook):
    handoff = messenger_handoff(app, world["a"], "psid-late", last_wrote_hours_ago=30)
    response = post(staff_a, f"/admin/c/demo/handover/{handoff}/reply", {"text": "Xin lỗi đã trả lời muộn."})
    assert response.status_code == 302
    assert facebook.attempts("facebook") == []  # outside the window: not even attempted
    detail = staff_a.get(response.headers["Location"]).get_data(as_text=True)
    assert "queued for delivery" in detail and "Reply sent" not in detail  # no false promise
    assert "Not delivered:" in detail and "has not written for too long" in detail
    assert PAGE_PATH in detail
    page = staff_a.get(PAGE_PATH).get_data(as_text=True)
    assert "Xin lỗi đã trả lời muộn." in page and "has not written for too long" in page
    assert f"/admin/c/demo/handover/{handoff}" in page


def test_reply_to_a_resident_who_blocked_the_page_is_shown_as_undelivered(app, world, staff_a, facebook):
    facebook.blocked = {"psid-blocked"}
    handoff = messenger_handoff(app, world["a"], "psid-blocked", last_wrote_hours_ago=1)
    post(staff_a, f"/admin/c/demo/handover/{handoff}/reply", {"text": "Anh cần mang theo CCCD."})
    assert len(facebook.attempts("facebook")) == 1 and facebook.sends("facebook") == []
    page = staff_a.get(PAGE_PATH).get_data(as_text=True)
    assert "Anh cần mang theo CCCD." in page and "cannot receive messages" in page and "551" in page
    detail = staff_a.get(f"/admin/c/demo/handover/{handoff}").get_data(as_text=True)
    assert "Not delivered:" in detail


def test_delivered_reply_shows_no_warning(app, world, staff_a, facebook):
    handoff = messenger_handoff(app, world["a"], "psid-ok", last_wrote_hours_ago=1)
    post(staff_a, f"/admin/c/demo/handover/{handoff}/reply", {"text": "Đã nhận."})
    assert len(facebook.sends("facebook")) == 1
    assert "Not delivered" not in staff_a.get(f"/admin/c/demo/handover/{handoff}").get_data(as_text=True)
    assert "Đã nhận." not in staff_a.get(PAGE_PATH).get_data(as_text=True)


# --------------------------------------------------------------------------- send again

def letter_of(app, user: str) -> DeadLetter:
    with app.app_context():
        return get_session().scalars(select(DeadLetter).where(DeadLetter.user_id == user)).one()


def test_a_reply_sent_again_after_the_cause_is_fixed_reaches_the_resident(app, world, staff_a, facebook):
    facebook.blocked = {"psid-back"}
    handoff = messenger_handoff(app, world["a"], "psid-back", last_wrote_hours_ago=1)
    post(staff_a, f"/admin/c/demo/handover/{handoff}/reply", {"text": "Mời anh mang CCCD đến xã."})
    letter = letter_of(app, "psid-back")
    assert "Send again" in staff_a.get(PAGE_PATH).get_data(as_text=True)
    facebook.blocked = set()  # the resident unblocked the Page
    response = post(staff_a, f"{PAGE_PATH}/{letter.id}/send-again", token_page=PAGE_PATH)
    assert response.status_code == 302
    assert [c.body["message"]["text"] for c in facebook.sends("facebook")] == ["Mời anh mang CCCD đến xã."]
    assert resolved_at(app, letter.id) is not None and resolved_by(app, letter.id) == "staff-a"
    page = staff_a.get(PAGE_PATH).get_data(as_text=True)
    assert "Queued to be sent again" in page and "Mời anh mang CCCD" not in page
    assert "Not delivered" not in staff_a.get(f"/admin/c/demo/handover/{handoff}").get_data(as_text=True)


def test_a_reply_that_fails_again_reopens_its_letter_once(app, world, staff_a, facebook):
    facebook.blocked = {"psid-still"}
    handoff = messenger_handoff(app, world["a"], "psid-still", last_wrote_hours_ago=1)
    post(staff_a, f"/admin/c/demo/handover/{handoff}/reply", {"text": "Anh gọi lại cho xã nhé."})
    first = letter_of(app, "psid-still")
    post(staff_a, f"{PAGE_PATH}/{first.id}/send-again", token_page=PAGE_PATH)
    again = letter_of(app, "psid-still")  # .one(): the same letter, not a second one
    assert again.id == first.id and again.resolved_at is None and again.error_code.startswith("551")
    assert again.resolved_by is None  # reopened: nobody has handled it now
    assert len(facebook.attempts("facebook")) == 2 and facebook.sends("facebook") == []
    assert "Anh gọi lại cho xã nhé." in staff_a.get(PAGE_PATH).get_data(as_text=True)


def test_an_unanswered_message_or_another_communes_letter_cannot_be_sent_again(app, world, staff_a):
    mine = add_letter(app, world["a"], reason="not_answered", body={"text": "cho hỏi"})
    theirs = add_letter(app, world["b"])
    assert "Send again" not in staff_a.get(PAGE_PATH).get_data(as_text=True)  # no reply to send
    response = post(staff_a, f"{PAGE_PATH}/{mine}/send-again", token_page=PAGE_PATH)
    assert "cannot be sent again" in staff_a.get(response.headers["Location"]).get_data(as_text=True)
    assert resolved_at(app, mine) is None
    assert post(staff_a, f"{PAGE_PATH}/{theirs}/send-again", token_page=PAGE_PATH).status_code == 404
    assert staff_a.post(f"{PAGE_PATH}/{mine}/send-again").status_code == 400  # no CSRF token


# --------------------------------------------------------------------------- letters of no commune

UNASSIGNED = "/admin/undelivered/unassigned"


def unknown_page_event(text: str) -> dict:
    """An event for a Page no commune has set up: the worker keeps it with commune_id None."""
    return {"platform": "facebook", "account": "999000000000001", "user": "psid-lost-2024", "kind": "text",
            "key": "facebook:999:m1", "text": text}


def test_super_admin_sees_and_handles_letters_of_no_commune(app, world, root):
    letter = add_letter(app, None, reason="not_answered", error_code="KeyError", detail="'commune'",
                        body=unknown_page_event("Xin hỏi giờ làm việc?"), user="psid-lost-2024")
    add_letter(app, world["a"], text="Thư của xã A")
    home = root.get("/admin/").get_data(as_text=True)
    assert "Undelivered with no commune: 1" in home and UNASSIGNED in home
    page = root.get(UNASSIGNED).get_data(as_text=True)
    assert "Xin hỏi giờ làm việc?" in page and "internal error" in page and "KeyError" in page
    assert "psid-lost-…" in page and "facebook" in page and "Thư của xã A" not in page
    assert "Send again" not in page and "/handover/" not in page  # no commune: nothing to send through
    response = post(root, f"{UNASSIGNED}/{letter}/handled", token_page=UNASSIGNED)
    assert response.status_code == 302 and response.headers["Location"].endswith(UNASSIGNED)
    assert resolved_by(app, letter) == "root"
    assert "Xin hỏi giờ làm việc?" not in root.get(UNASSIGNED).get_data(as_text=True)
    handled = root.get(UNASSIGNED + "?handled=1").get_data(as_text=True)
    assert "Xin hỏi giờ làm việc?" in handled and "Handled by root at" in handled
    assert "Undelivered with no commune: 0" in root.get("/admin/").get_data(as_text=True)


def test_the_no_commune_page_marks_only_letters_of_no_commune(app, world, root):
    communes = add_letter(app, world["a"])
    assert post(root, f"{UNASSIGNED}/{communes}/handled", token_page=UNASSIGNED).status_code == 404
    assert resolved_at(app, communes) is None


@pytest.mark.parametrize("username", ["staff-a", "prov-1"])
def test_only_super_admins_open_the_no_commune_page(app, world, username):
    letter = add_letter(app, None, reason="not_answered", body=unknown_page_event("Thư không có xã"))
    client = app.test_client()
    assert login(client, username).status_code == 302
    assert client.get(UNASSIGNED).status_code == 403
    assert post(client, f"{UNASSIGNED}/{letter}/handled").status_code == 403
    assert resolved_at(app, letter) is None
    assert "no commune" not in client.get("/admin/", follow_redirects=True).get_data(as_text=True)
    assert app.test_client().get(UNASSIGNED).status_code == 302  # anonymous: to the login page


def test_a_single_commune_super_admin_is_not_sent_past_letters_of_no_commune(app):
    """The start page skips to the only commune, except while letters of no commune wait: it alone shows them."""
    with app.app_context(), session_scope() as db:
        db.add(Commune(slug="demo", name="Xã An Bình"))
        db.add(StaffUser(username="root", password_hash=hash_password(PASSWORD), role="super", language="en",
                         active=True))
    client = app.test_client()
    assert login(client, "root").status_code == 302
    assert client.get("/admin/").headers["Location"].endswith("/admin/c/demo/faq")
    add_letter(app, None, reason="not_answered", body=unknown_page_event("Có ai không?"))
    home = client.get("/admin/")
    assert home.status_code == 200 and "Undelivered with no commune: 1" in home.get_data(as_text=True)
