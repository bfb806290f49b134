"""The national catalogue in the admin (issue 13): list, search in residents' words, commune notes
and phrasings that reach the bot's next answer, for that commune only."""
from __future__ import annotations

import pytest
from admin_helpers import chat, post
from catalogue_snapshot import record, write_snapshot
from sqlalchemy import select

from infra.db import get_session
from infra.models import MessageLog
from knowledge.catalogue_store import import_snapshot

WELL = "1.001662"  # Đăng ký khai thác nước dưới đất


@pytest.fixture
def snapshot(app, world, tmp_path):
    with app.app_context():
        import_snapshot(write_snapshot(tmp_path / "snapshot"))


def test_list_and_search_in_residents_words(staff_a, snapshot):
    listing = staff_a.get("/admin/c/demo/catalogue")
    assert listing.status_code == 200 and "National catalogue" in listing.get_data(as_text=True)
    found = staff_a.get("/admin/c/demo/catalogue?q=khoan giếng").get_data(as_text=True)
    assert f"/admin/c/demo/catalogue/{WELL}" in found
    by_code = staff_a.get("/admin/c/demo/catalogue?q=2.000829").get_data(as_text=True)
    assert "/admin/c/demo/catalogue/2.000829" in by_code
    page = staff_a.get(f"/admin/c/demo/catalogue/{WELL}").get_data(as_text=True)
    assert record(WELL)["name"] in page and record(WELL)["id"] in page  # official name and portal page


def test_a_note_shows_in_the_next_answer_of_that_commune_only(app, client, staff_a, snapshot):
    question = "nha em dinh khoan gieng lay nuoc dung, co phai dang ky voi xa khong"
    before = chat(client, question, user="r-1")[0]["text"]
    assert "Quầy 4" not in before
    saved = post(staff_a, f"/admin/c/demo/catalogue/{WELL}/note",
                 {"desk": "Quầy 4, bộ phận một cửa", "fee": "", "papers": "Sơ đồ vị trí giếng"},
                 token_page=f"/admin/c/demo/catalogue/{WELL}")
    assert saved.status_code == 302
    after = chat(client, question, user="r-2")[0]["text"]
    assert "Quầy 4, bộ phận một cửa" in after and "Sơ đồ vị trí giếng" in after
    elsewhere = chat(client, question, user="r-3", commune="xa-b")[0]["text"]
    assert "Quầy 4" not in elsewhere


def test_a_commune_phrasing_answers_that_commune_residents(client, staff_a, snapshot):
    wording = "hỏi vụ cái mạch nước sau vườn"
    assert all(r["buttons"] == [] for r in chat(client, wording, user="r-4"))
    post(staff_a, f"/admin/c/demo/catalogue/{WELL}/phrasing", {"text": wording},
         token_page=f"/admin/c/demo/catalogue/{WELL}")
    answer = chat(client, wording, user="r-5")[0]
    assert answer["buttons"][0]["url"].endswith(record(WELL)["id"])
    assert all(r["buttons"] == [] for r in chat(client, wording, user="r-6", commune="xa-b"))


def test_bad_input_is_a_clear_4xx(staff_a, snapshot):
    page = f"/admin/c/demo/catalogue/{WELL}"
    assert staff_a.get("/admin/c/demo/catalogue/9.999999").status_code == 404
    assert post(staff_a, f"{page}/note", {"desk": "x" * 1001}, token_page=page).status_code == 400
    assert post(staff_a, f"{page}/phrasing", {"text": "  "}, token_page=page).status_code == 400
    assert staff_a.get("/admin/c/xa-b/catalogue").status_code in (403, 404)  # another commune's pages


def _message_id(app, text: str, commune_id: int) -> int:
    with app.app_context():
        return get_session().scalar(select(MessageLog.id).where(
            MessageLog.text == text, MessageLog.commune_id == commune_id).order_by(MessageLog.id.desc()))


def test_the_unanswered_inbox_attaches_a_question_to_a_catalogue_procedure(app, client, world, staff_a, snapshot):
    wording = "cho hỏi vụ cái mạch nước sau vườn nhà"
    assert all(r["buttons"] == [] for r in chat(client, wording, user="r-7"))
    message = _message_id(app, wording, world["a"])
    inbox = staff_a.get("/admin/c/demo/unanswered").get_data(as_text=True)
    assert f"/admin/c/demo/unanswered/{message}/catalogue" in inbox
    search = f"/admin/c/demo/unanswered/{message}/catalogue"
    assert staff_a.get(search).status_code == 200  # the question itself is the first search
    found = staff_a.get(f"{search}?q=khoan giếng").get_data(as_text=True)
    assert f'name="code" value="{WELL}"' in found and 'name="national"' not in found  # a clerk: own phrasing only
    assert post(staff_a, search, {"code": WELL, "national": "1"}, token_page=search).status_code == 403
    assert post(staff_a, search, {"code": WELL}, token_page=search).status_code == 302
    answer = chat(client, wording, user="r-8")[0]
    assert answer["buttons"][0]["url"].endswith(record(WELL)["id"])
    assert all(r["buttons"] == [] for r in chat(client, wording, user="r-9", commune="xa-b"))
    assert wording not in staff_a.get("/admin/c/demo/unanswered").get_data(as_text=True)


def test_a_super_admin_attaches_for_every_commune(app, client, world, root, snapshot):
    wording = "mạch nước ngầm sau vườn có phải khai với xã không"
    chat(client, wording, user="r-10", commune="xa-b")
    assert all(r["buttons"] == [] for r in chat(client, wording, user="r-11"))
    message = _message_id(app, wording, world["b"])
    search = f"/admin/c/xa-b/unanswered/{message}/catalogue"
    assert 'name="national"' in root.get(f"{search}?q=khoan giếng").get_data(as_text=True)
    assert post(root, search, {"code": WELL, "national": "1"}, token_page=search).status_code == 302
    for commune, user in (("xa-b", "r-12"), ("demo", "r-13")):
        assert chat(client, wording, user=user, commune=commune)[0]["buttons"][0]["url"].endswith(record(WELL)["id"])


def test_attaching_to_the_catalogue_refuses_bad_input(app, client, world, staff_a, snapshot):
    chat(client, "con mèo nhà tôi bị lạc", user="r-14", commune="xa-b")
    foreign = _message_id(app, "con mèo nhà tôi bị lạc", world["b"])
    assert staff_a.get(f"/admin/c/demo/unanswered/{foreign}/catalogue").status_code == 404  # B's question
    chat(client, "con mèo nhà tôi bị lạc", user="r-15")
    own = f"/admin/c/demo/unanswered/{_message_id(app, 'con mèo nhà tôi bị lạc', world['a'])}/catalogue"
    assert post(staff_a, own, {"code": "9.999999"}, token_page=own).status_code == 404
    assert post(staff_a, own, {}, token_page=own).status_code == 404
    assert post(staff_a, f"/admin/c/demo/unanswered/{foreign}/catalogue", {"code": WELL},
                token_page=own).status_code == 404
