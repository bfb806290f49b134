"""Isolation on every write: whatever a clerk of commune A does in the admin, a resident of commune B
gets exactly the answers they got before. Every POST route of the admin is performed (enumerated from
the URL map, so a new route cannot escape), on A's own objects, with forms that really change A."""
from __future__ import annotations

import itertools

from sqlalchemy import select

from admin.models import EntryRevision
from admin_helpers import chat, csrf_token, login, post
from catalogue_snapshot import write_snapshot
from channels.models import DeadLetter
from infra.db import get_session, session_scope
from infra.models import CataloguePhrasing, Entry, HandoffRequest, MessageLog, Phrasing
from knowledge.catalogue_store import import_snapshot
from outreach.campaigns import create as create_campaign
from outreach.models import OutreachSettings

LEAK = "cho tôi xin số điện thoại của cán bộ tư pháp"  # what a clerk of A attached to a national entry
OWN = "lịch tiêm chủng của xã mình"  # a phrasing of A's own entry
# what B's residents ask, before and after: A's phrasings among them, word for word
WELL = "1.001662"  # a catalogue procedure commune A writes a note about
QUESTIONS = [LEAK, OWN, "giờ làm việc", "địa chỉ ủy ban xã ở đâu", "đăng ký khai sinh", "con mèo của tôi bị lạc",
             "cán bộ trực mấy giờ", "quên mật khẩu dịch vụ công"]
_users = itertools.count()


def answers(app, commune: str) -> list[tuple]:
    """What a new resident of `commune` is told for each question: texts, buttons and quick replies."""
    client = app.test_client()
    said = []
    for question in QUESTIONS:
        replies = chat(client, question, user=f"iso-{commune}-{next(_users)}", commune=commune)
        said.append(tuple((r["text"], tuple(q["payload"] for q in r["quick_replies"]),
                           tuple(b["url"] for b in r["buttons"])) for r in replies))
    return said


def a_objects(app, world, staff_a, tmp_path) -> dict:
    """Commune A's own entry, phrasing, revision, unanswered question, handover request, dead letter."""
    assert post(staff_a, "/admin/c/demo/faq/new", {"name_vi": "Tiêm chủng xã A", "vi": "Thứ Hai đầu tháng",
                                                   "phrasings": OWN}).status_code == 302
    # the unanswered question: another resident's than the one the privacy pages erase
    chat(app.test_client(), "con mèo của tôi bị lạc", user="resident-a-inbox", commune="demo")
    app.test_client().post("/webchat/messages?commune=demo", json={"user": "resident-a", "payload": "HANDOFF"})
    with app.app_context(), session_scope() as db:
        letter = DeadLetter(platform="facebook", commune_id=world["a"], user_id="psid-a", reason="outside_window",
                            body={"text": "Thư của xã A"})
        db.add(letter)
        db.flush()
        letter_id = letter.id
        campaign_id = create_campaign(db, "Nhắc của xã A", ["demo"], {"vi": "Tin nhắc của xã A"}).id
    with app.app_context():
        import_snapshot(write_snapshot(tmp_path / "snapshot"))  # the national catalogue's procedures
        session = get_session()
        entry = session.scalar(select(Entry).where(Entry.id.like("demo-%")))
        return {
            "<slug>": "demo", "<entry_id>": "faq-dia-chi",
            "<int:phrasing_id>": str(entry.phrasings[0].id),
            "<int:revision_id>": str(session.scalar(select(EntryRevision.id).where(
                EntryRevision.commune_id == world["a"]).order_by(EntryRevision.id.desc()))),
            "<int:message_id>": str(session.scalar(select(MessageLog.id).where(
                MessageLog.commune_id == world["a"], MessageLog.decision == "none", MessageLog.text.is_not(None)))),
            "<int:handoff_id>": str(session.scalar(select(HandoffRequest.id).where(
                HandoffRequest.commune_id == world["a"]))),
            "<int:letter_id>": str(letter_id),
            "<code>": WELL, "<procedure_id>": "khai-sinh",
            "<int:campaign_id>": str(campaign_id), "<action>": "start",
            "own_entry": entry.id,
        }


def write_rules(app) -> list[str]:
    return sorted(rule.rule for rule in app.url_map.iter_rules()
                  if rule.endpoint.startswith("admin.") and "POST" in rule.methods)


# a superset of every admin form's fields, with values that change commune A
FORM = {"text": LEAK, "scope": "commune", "vi": "Câu trả lời riêng của xã A", "en": "A's own answer",
        "enabled": "0", "name_vi": "Mục mới của xã A", "name_en": "A's new entry", "phrasings": "xã A hỏi riêng",
        "entry_id": "faq-dia-chi", "confirm": "1", "name": "Xã An Bình mới", "phone": "0236 111 222",
        "address": "Địa chỉ mới của xã A", "days": ["0", "1"], "start0": "08:00", "end0": "11:00",
        "channel": "webchat", "user": "resident-a", "language": "vi", "username": "staff-a", "code": WELL,
        "note_vi": "Xã A nhận hồ sơ khai sinh cả sáng thứ Bảy", "fee_vi": "Xã A: bản sao 5.000 đồng",
        "fb_name": "nhac_cua_xa_a", "zalo_template_id": "tpl-xa-a", "zalo_data": "xa={commune}", "zalo_paid": "1"}


def test_every_admin_write_by_a_clerk_of_a_leaves_b_answers_unchanged(app, world, staff_a, tmp_path):
    objects = a_objects(app, world, staff_a, tmp_path)
    before_b = answers(app, "xa-b")
    before_a = answers(app, "demo")
    rules = write_rules(app)
    assert len(rules) >= 20
    done = {}
    for rule in rules:
        url = rule
        for name, value in objects.items():
            url = url.replace(name, value)
        assert "<" not in url, f"a new kind of object in {rule}: give the test one of commune A's"
        if rule == "/admin/login":
            response = staff_a.post(url, data={"username": "staff-a", "password": "correct horse battery",
                                               "csrf_token": csrf_token(staff_a, "/admin/c/demo/faq")})
        else:
            response = staff_a.post(url, data={**FORM, "csrf_token": csrf_token(staff_a, "/admin/c/demo/faq")})
        done[rule] = response.status_code
        assert response.status_code < 500, (rule, response.status_code)
        if rule == "/admin/logout":
            assert login(staff_a, "staff-a").status_code == 302
    # the writes that change what A's residents are told went through
    for rule in ("/admin/c/<slug>/faq/<entry_id>/phrasings", "/admin/c/<slug>/faq/<entry_id>/answer",
                 "/admin/c/<slug>/faq/new", "/admin/c/<slug>/settings",
                 "/admin/c/<slug>/unanswered/<int:message_id>/catalogue", "/admin/c/<slug>/procedures/<procedure_id>",
                 "/admin/c/<slug>/outreach-settings"):
        assert done[rule] == 302, (rule, done[rule])
    with app.app_context():  # A's sending options changed, and only A's
        options = {row.commune_id: row for row in get_session().scalars(select(OutreachSettings))}
        assert set(options) == {world["a"]} and options[world["a"]].facebook_template["name"] == "nhac_cua_xa_a"
    # A national entry changes only by a super admin: the clerk's phrasing is commune A's
    with app.app_context():
        leak = get_session().scalar(select(Phrasing).where(Phrasing.text == LEAK))
        assert leak is not None and leak.commune_id == world["a"]
        attached = get_session().scalars(select(CataloguePhrasing).where(CataloguePhrasing.code == WELL)).all()
        assert attached and {p.commune_id for p in attached} == {world["a"]}  # the inbox's, A's own
    assert done["/admin/c/<slug>/faq/<entry_id>/enabled"] == 403
    assert answers(app, "demo") != before_a  # the test can fail: A's residents do see A's changes
    assert answers(app, "xa-b") == before_b


def test_a_clerks_phrasing_counts_for_its_commune_only(app, world, staff_a):
    question = "cán bộ trực mấy giờ"
    b_before = chat(app.test_client(), question, user="b-1", commune="xa-b")[0]["text"]
    assert post(staff_a, "/admin/c/demo/faq/faq-gio-lam-viec/phrasings",
                {"text": question, "confirm": "1"}).status_code == 302
    assert "Thứ Hai–Thứ Sáu" in chat(app.test_client(), question, user="a-2", commune="demo")[0]["text"]
    assert chat(app.test_client(), question, user="b-2", commune="xa-b")[0]["text"] == b_before
    # B's staff neither see nor can remove A's phrasing; only a super admin adds national ones
    with app.app_context():
        phrasing_id = get_session().scalar(select(Phrasing.id).where(Phrasing.text == question))
    staff_b = app.test_client()
    assert login(staff_b, "staff-b").status_code == 302
    assert question not in staff_b.get("/admin/c/xa-b/faq/faq-gio-lam-viec").get_data(as_text=True)
    assert post(staff_b, f"/admin/c/xa-b/faq/faq-gio-lam-viec/phrasings/{phrasing_id}/delete",
                token_page="/admin/c/xa-b/faq").status_code == 404
    assert post(staff_a, "/admin/c/demo/faq/faq-gio-lam-viec/phrasings",
                {"text": "giờ mở cửa toàn quốc", "national": "1", "confirm": "1"}).status_code == 403
