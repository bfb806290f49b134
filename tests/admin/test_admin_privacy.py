"""Personal data requests in the admin: export one resident's data as JSON, erase it, only in one's commune."""
from __future__ import annotations

import json

from admin_helpers import chat, post


def test_export_then_erase_a_resident(app, world, staff_a):
    chat(app.test_client(), "giờ làm việc của xã, số tôi 0987 654 321", user="resident-x", commune="demo")
    response = post(staff_a, "/admin/c/demo/privacy/export", {"channel": "webchat", "user": "resident-x"})
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Cache-Control"] == "no-store" and "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert data["resident"] == {"channel": "webchat", "commune": "demo", "user": "resident-x"}
    assert data["conversation"][0]["text"] == "giờ làm việc của xã, số tôi 0987***321"  # masked as kept
    assert data["logged_questions"][0]["text"].startswith("giờ làm việc") and data["exported_by"] == "staff-a"
    assert post(staff_a, "/admin/c/demo/privacy/erase", {"channel": "webchat", "user": "resident-x"}).status_code == 302
    data = json.loads(post(staff_a, "/admin/c/demo/privacy/export",
                           {"channel": "webchat", "user": "resident-x"}).get_data(as_text=True))
    assert data["conversation"] == [] and data["logged_questions"] == [] and data["subscriber"] == []


def test_export_needs_a_channel_and_an_id(staff_a):
    assert post(staff_a, "/admin/c/demo/privacy/export", {"channel": "webchat", "user": ""}).status_code == 400
    assert post(staff_a, "/admin/c/demo/privacy/export", {"channel": "fax", "user": "u"}).status_code == 400
    assert post(staff_a, "/admin/c/demo/privacy/erase", {"channel": "zalo", "user": "x" * 129}).status_code == 400
    assert staff_a.get("/admin/c/demo/privacy").status_code == 200


def test_another_communes_resident_is_out_of_reach(app, world, staff_a):
    chat(app.test_client(), "giờ làm việc", user="resident-b", commune="xa-b")
    assert post(staff_a, "/admin/c/xa-b/privacy/export", {"channel": "webchat", "user": "resident-b"}).status_code == 404
    data = json.loads(post(staff_a, "/admin/c/demo/privacy/export",
                           {"channel": "webchat", "user": "resident-b"}).get_data(as_text=True))
    assert data["conversation"] == []  # the same id in commune A is another resident


def test_erasure_is_not_held_back_while_staff_have_the_conversation(app, world):
    from bot import takeover

    client = app.test_client()
    chat(client, "giờ làm việc", user="resident-held", commune="demo")
    with app.app_context():
        takeover.take("webchat", "demo", "resident-held", "staff-a")
    held = chat(client, "xin chào", user="resident-held", commune="demo")  # staff answer; the bot only says so
    assert [r["quick_replies"] for r in held] == [[{"title": "Menu", "payload": "MENU"}]]
    said = chat(client, "xóa dữ liệu của tôi", user="resident-held", commune="demo")[0]["text"]
    assert said.startswith("Xong: tôi đã xóa") and "lịch sử trò chuyện" in said
