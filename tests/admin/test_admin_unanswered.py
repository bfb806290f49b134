"""Unanswered inbox: grouped by similarity with counts; attach, new entry, dismiss close the loop."""
from __future__ import annotations

from sqlalchemy import select

from admin.grouping import group_questions
from admin_helpers import chat, post
from infra.db import get_session
from infra.models import MessageLog

LOST_CAT = ["con mèo của tôi bị lạc", "con meo cua toi bi lac", "con mèo của tôi bị lạc rồi"]


def _message_id(app, text: str) -> int:
    with app.app_context():
        return get_session().scalar(select(MessageLog.id).where(MessageLog.text == text).order_by(MessageLog.id.desc()))


def test_grouping_by_plain_form():
    rows = [(3, "con mèo của tôi bị lạc", None), (2, "con meo cua toi bi lac", None),
            (1, "đăng ký nuôi chó", None), (4, "MENU", None)]
    groups = group_questions(rows, handled=set())
    assert [(g.text, g.count) for g in groups] == [("con mèo của tôi bị lạc", 2), ("đăng ký nuôi chó", 1)]
    assert group_questions(rows, handled={"dang ki nuoi cho"})[-1].count == 2


def test_inbox_groups_with_counts_per_commune(app, staff_a):
    client = app.test_client()
    for i, text in enumerate(LOST_CAT):
        chat(client, text, user=f"r{i}")
    chat(client, "đăng ký nuôi chó mèo ở đâu", user="r9")
    chat(client, "con mèo của tôi bị lạc", user="b1", commune="xa-b")  # another commune's: not shown
    page = staff_a.get("/admin/c/demo/unanswered").get_data(as_text=True)
    assert "× 3" in page and "× 1" in page and "nuôi chó mèo" in page
    assert page.index("× 3") < page.index("× 1")


def test_attach_as_phrasing_then_the_bot_answers(app, staff_a):
    question = "cán bộ trực mấy giờ"
    assert "Thứ Hai–Thứ Sáu" not in chat(app.test_client(), question)[0]["text"]
    message = _message_id(app, question)
    response = post(staff_a, f"/admin/c/demo/unanswered/{message}/attach",
                    {"entry_id": "faq-gio-lam-viec", "confirm": "1"})
    assert response.status_code == 302
    assert "Thứ Hai–Thứ Sáu" in chat(app.test_client(), question, user="r2")[0]["text"]
    assert question not in staff_a.get("/admin/c/demo/unanswered").get_data(as_text=True)


def test_attach_warns_when_another_entry_matches_better(app, staff_a):
    chat(app.test_client(), "quên mật khẩu dịch vụ công làm sao lấy lại được hả")
    message = _message_id(app, "quên mật khẩu dịch vụ công làm sao lấy lại được hả")
    page = post(staff_a, f"/admin/c/demo/unanswered/{message}/attach", {"entry_id": "faq-dia-chi"})
    assert page.status_code == 200 and 'id="conflict"' in page.get_data(as_text=True)


def test_attach_refuses_another_communes_entry(app, world, root, staff_a):
    post(root, "/admin/c/xa-b/faq/new", {"name_vi": "Riêng xã B", "vi": "bí mật"}, token_page="/admin/c/xa-b/faq")
    chat(app.test_client(), LOST_CAT[0])
    message = _message_id(app, LOST_CAT[0])
    with app.app_context():
        from infra.models import Entry
        b_entry = get_session().scalar(select(Entry.id).where(Entry.id.like("xa-b-%")))
    assert post(staff_a, f"/admin/c/demo/unanswered/{message}/attach", {"entry_id": b_entry}).status_code == 404


def test_new_entry_from_a_question(app, staff_a):
    chat(app.test_client(), "đăng ký nuôi chó mèo ở đâu")
    message = _message_id(app, "đăng ký nuôi chó mèo ở đâu")
    form = staff_a.get(f"/admin/c/demo/faq/new?phrasings=đăng ký nuôi chó mèo ở đâu&from_message={message}")
    assert "đăng ký nuôi chó mèo ở đâu" in form.get_data(as_text=True)
    response = post(staff_a, "/admin/c/demo/faq/new", {
        "name_vi": "Nuôi chó", "vi": "Xã không cấp giấy phép nuôi chó; hãy đăng ký tiêm phòng dại.",
        "phrasings": "đăng ký nuôi chó mèo ở đâu", "from_message": str(message)})
    assert response.status_code == 302
    assert "tiêm phòng dại" in chat(app.test_client(), "đăng ký nuôi chó mèo ở đâu", user="r2")[0]["text"]
    assert "nuôi chó mèo" not in staff_a.get("/admin/c/demo/unanswered").get_data(as_text=True)


def test_dismiss_removes_the_whole_group(app, staff_a):
    for i, text in enumerate(LOST_CAT):
        chat(app.test_client(), text, user=f"r{i}")
    message = _message_id(app, LOST_CAT[0])
    assert post(staff_a, f"/admin/c/demo/unanswered/{message}/dismiss").status_code == 302
    assert "mèo" not in staff_a.get("/admin/c/demo/unanswered").get_data(as_text=True)


def test_question_text_is_escaped(app, staff_a):
    chat(app.test_client(), "<script>alert(1)</script> con mèo đi lạc")
    page = staff_a.get("/admin/c/demo/unanswered").get_data(as_text=True)
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page
