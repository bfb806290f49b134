"""FAQ editor: answers reach the bot at once, commune answers, phrasings with conflict warning,
history with diff and rollback, commune-own entries, disable, "try it", escaping."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from admin.models import EntryRevision
from admin_helpers import chat, post
from infra.db import get_session
from infra.models import Entry

ENTRY = "/admin/c/demo/faq/faq-gio-lam-viec"


def test_list_and_search(staff_a):
    page = staff_a.get("/admin/c/demo/faq?q=gio lam").get_data(as_text=True)
    assert "faq-gio-lam-viec" in page and "khai-sinh" not in page
    assert "khai-sinh" in staff_a.get("/admin/c/demo/faq").get_data(as_text=True)


def test_national_answer_edited_by_super_admin_reaches_the_bot(app, root):
    response = post(root, ENTRY + "/answer", {"scope": "entry", "vi": "Mở cửa từ 7 giờ sáng, {office_hours}",
                                             "en": "Open from 7 am"})
    assert response.status_code == 302
    assert "Mở cửa từ 7 giờ sáng, Thứ Hai–Thứ Sáu" in chat(app.test_client(), "gio lam viec")[0]["text"]
    assert "Mở cửa từ 7 giờ sáng" in chat(app.test_client(), "gio lam viec", commune="xa-b")[0]["text"]


def test_commune_staff_cannot_edit_the_national_answer(staff_a):
    assert post(staff_a, ENTRY + "/answer", {"scope": "entry", "vi": "x"}).status_code == 403
    assert post(staff_a, ENTRY + "/enabled", {"enabled": "0"}).status_code == 403


def test_commune_answer_only_for_its_residents(app, staff_a):
    assert post(staff_a, ENTRY + "/answer", {"scope": "commune", "vi": "Xã An Bình làm cả sáng thứ Bảy"}).status_code == 302
    assert "sáng thứ Bảy" in chat(app.test_client(), "gio lam viec")[0]["text"]
    assert "sáng thứ Bảy" not in chat(app.test_client(), "gio lam viec", commune="xa-b")[0]["text"]
    assert post(staff_a, ENTRY + "/answer/reset").status_code == 302
    assert "sáng thứ Bảy" not in chat(app.test_client(), "gio lam viec")[0]["text"]


def test_empty_or_huge_answer_refused(staff_a):
    assert post(staff_a, ENTRY + "/answer", {"scope": "commune", "vi": "  "}).status_code == 400
    assert post(staff_a, ENTRY + "/answer", {"scope": "commune", "vi": "x" * 5000}).status_code == 400
    assert post(staff_a, ENTRY + "/answer", {"scope": "nation", "vi": "x"}).status_code == 400
    assert post(staff_a, "/admin/c/demo/faq/khai-sinh/answer", {"scope": "commune", "vi": "x"}).status_code == 400


def test_script_in_an_answer_is_escaped_in_the_admin_and_sent_as_text(app, staff_a):
    evil = "<script>alert('x')</script> giờ làm việc"
    assert post(staff_a, ENTRY + "/answer", {"scope": "commune", "vi": evil}).status_code == 302
    page = staff_a.get(ENTRY).get_data(as_text=True)
    assert "<script>alert" not in page and "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page
    history = staff_a.get(ENTRY + "/history").get_data(as_text=True)
    assert "<script>alert" not in history and "&lt;script&gt;" in history
    reply = app.test_client().post("/webchat/messages", json={"user": "u", "text": "gio lam viec"})
    assert reply.mimetype == "application/json" and evil in reply.get_json()["replies"][0]["text"]


def test_phrasing_makes_the_bot_answer(app, staff_a):
    question = "cán bộ trực mấy giờ"
    assert "Thứ Hai–Thứ Sáu" not in chat(app.test_client(), question)[0]["text"]
    response = post(staff_a, ENTRY + "/phrasings", {"text": question, "confirm": "1"})
    assert response.status_code == 302
    assert "Thứ Hai–Thứ Sáu" in chat(app.test_client(), question, user="r2")[0]["text"]


def test_phrasing_that_matches_another_entry_better_warns_first(app, staff_a):
    text = "quên mật khẩu dịch vụ công"
    response = post(staff_a, ENTRY + "/phrasings", {"text": text})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="conflict"' in page
    with app.app_context():
        assert text not in [p.text for p in get_session().get(Entry, "faq-gio-lam-viec").phrasings]
    assert post(staff_a, ENTRY + "/phrasings", {"text": text, "confirm": "1"}).status_code == 302
    with app.app_context():
        assert text in [p.text for p in get_session().get(Entry, "faq-gio-lam-viec").phrasings]


def test_history_diff_and_rollback(app, staff_a):
    post(staff_a, ENTRY + "/answer", {"scope": "commune", "vi": "Phiên bản một"})
    post(staff_a, ENTRY + "/answer", {"scope": "commune", "vi": "Phiên bản hai"})
    history = staff_a.get(ENTRY + "/history").get_data(as_text=True)
    assert "staff-a" in history and "- [vi] Phiên bản một" in history and "+ [vi] Phiên bản hai" in history
    with app.app_context():
        latest = get_session().scalar(select(EntryRevision.id).order_by(EntryRevision.id.desc()))
    assert post(staff_a, f"/admin/c/demo/revisions/{latest}/rollback").status_code == 302
    assert "Phiên bản một" in chat(app.test_client(), "gio lam viec")[0]["text"]


def test_phrasing_rollback_removes_it(app, staff_a):
    post(staff_a, ENTRY + "/phrasings", {"text": "bao giờ xã làm việc", "confirm": "1"})
    with app.app_context():
        latest = get_session().scalar(select(EntryRevision.id).order_by(EntryRevision.id.desc()))
    assert post(staff_a, f"/admin/c/demo/revisions/{latest}/rollback").status_code == 302
    with app.app_context():
        assert "bao giờ xã làm việc" not in [p.text for p in get_session().get(Entry, "faq-gio-lam-viec").phrasings]


def test_commune_staff_cannot_roll_back_national_changes(app, root, staff_a):
    post(root, ENTRY + "/answer", {"scope": "entry", "vi": "Giờ mới của cả nước"})
    with app.app_context():
        latest = get_session().scalar(select(EntryRevision.id).order_by(EntryRevision.id.desc()))
    assert post(staff_a, f"/admin/c/demo/revisions/{latest}/rollback").status_code == 403
    assert post(root, f"/admin/c/demo/revisions/{latest}/rollback").status_code == 302


def test_own_entry_create_edit_disable(app, staff_a):
    response = post(staff_a, "/admin/c/demo/faq/new", {
        "name_vi": "Ngày tiêm chủng mở rộng", "name_en": "Vaccination day",
        "vi": "Tiêm chủng vào ngày 15 hằng tháng tại trạm y tế xã.", "phrasings": "tiêm chủng cho trẻ\nngay tiem chung"})
    assert response.status_code == 302
    entry_url = response.headers["Location"]
    assert "ngày 15 hằng tháng" in chat(app.test_client(), "tiem chung cho tre")[0]["text"]
    assert post(staff_a, entry_url + "/answer", {"scope": "entry", "vi": "Ngày 20 hằng tháng."}).status_code == 302
    assert "Ngày 20" in chat(app.test_client(), "ngay tiem chung", user="r2")[0]["text"]
    assert post(staff_a, entry_url + "/enabled", {"enabled": "0"}).status_code == 302
    assert "Ngày 20" not in chat(app.test_client(), "ngay tiem chung", user="r3")[0]["text"]


def test_new_entry_needs_a_title_and_answer(staff_a):
    assert post(staff_a, "/admin/c/demo/faq/new", {"name_vi": "", "vi": "x"}).status_code == 400
    assert post(staff_a, "/admin/c/demo/faq/new", {"name_vi": "x", "vi": ""}).status_code == 400
    assert post(staff_a, "/admin/c/demo/faq/new", {"name_vi": "x", "vi": "y", "national": "1"}).status_code == 403


def test_disable_national_entry_by_super_admin(app, root):
    assert post(root, ENTRY + "/enabled", {"enabled": "0"}).status_code == 302
    assert "Thứ Hai–Thứ Sáu" not in chat(app.test_client(), "gio lam viec")[0]["text"]
    assert post(root, ENTRY + "/enabled", {"enabled": "1"}).status_code == 302
    assert "Thứ Hai–Thứ Sáu" in chat(app.test_client(), "gio lam viec", user="r2")[0]["text"]


def test_try_it_shows_top_three_with_scores(staff_a):
    page = staff_a.get("/admin/c/demo/try?text=quen mat khau dich vu cong").get_data(as_text=True)
    section = page.split('id="try-result"')[1]
    assert section.count('class="score"') == 3
    assert "faq-quen-mat-khau" in section.split('class="score"')[0]


def test_unknown_entry_is_404(staff_a):
    assert staff_a.get("/admin/c/demo/faq/no-such-entry").status_code == 404
    assert post(staff_a, "/admin/c/demo/faq/no-such-entry/phrasings", {"text": "x"}).status_code == 404


@pytest.mark.services
def test_edit_reaches_another_process(make_app, app, staff_a):
    """Two apps on the same PostgreSQL and Redis stand for two processes: the other one sees the edit."""
    other = make_app()
    before = chat(other.test_client(), "gio lam viec")[0]["text"]
    post(staff_a, ENTRY + "/answer", {"scope": "commune", "vi": "Giờ làm việc mới của xã"})
    after = chat(other.test_client(), "gio lam viec", user="r2")[0]["text"]
    assert "Giờ làm việc mới" not in before and "Giờ làm việc mới" in after
