"""A commune's staff can never read or change another commune's data: every commune route, every object."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from admin.models import EntryRevision, InboxDecision, StaffUser
from infra.models import CommuneAnswer
from admin_helpers import chat, csrf_token, login, post
from channels.models import DeadLetter
from infra.db import get_session, session_scope
from infra.models import Commune, Entry, HandoffRequest, MessageLog


@pytest.fixture
def b_data(app, world, root):
    """Commune B's own entry, answer override, revision, unanswered message, handoff request, dead letter."""
    assert post(root, "/admin/c/xa-b/faq/new", {"name_vi": "Lịch tiêm chủng xã B", "vi": "Thứ Tư hằng tháng",
                                                "phrasings": "lich tiem chung"}).status_code == 302
    assert post(root, "/admin/c/xa-b/faq/faq-dia-chi/answer",
                {"scope": "commune", "vi": "Địa chỉ riêng của xã B"}).status_code == 302
    chat(app.test_client(), "con mèo của tôi bị lạc", user="resident-b", commune="xa-b")
    app.test_client().post("/webchat/messages?commune=xa-b", json={"user": "resident-b", "payload": "HANDOFF"})
    with app.app_context(), session_scope() as db:
        letter = DeadLetter(platform="facebook", commune_id=world["b"], user_id="psid-b", reason="outside_window",
                            body={"text": "Thư riêng của xã B"})
        db.add(letter)
        db.flush()
        letter_id = letter.id
    with app.app_context():
        session = get_session()
        entry = session.scalar(select(Entry).where(Entry.id.like("xa-b-%")))
        return {
            "entry": entry.id,
            "phrasing": entry.phrasings[0].id,
            "revision": session.scalar(select(EntryRevision.id).where(EntryRevision.commune_id == world["b"])),
            "message": session.scalar(select(MessageLog.id).where(MessageLog.commune_id == world["b"],
                                                                  MessageLog.decision == "none")),
            "handoff": session.scalar(select(HandoffRequest.id).where(HandoffRequest.commune_id == world["b"])),
            "letter": letter_id,
        }


def _url(rule: str, slug: str, ids: dict) -> str:
    return (rule.replace("<slug>", slug).replace("<entry_id>", ids["entry"]).replace("<procedure_id>", ids["entry"])
            .replace("<int:phrasing_id>", str(ids["phrasing"])).replace("<int:revision_id>", str(ids["revision"]))
            .replace("<int:message_id>", str(ids["message"])).replace("<int:handoff_id>", str(ids["handoff"]))
            .replace("<int:letter_id>", str(ids["letter"])))


def _commune_rules(app) -> list[tuple[str, str]]:
    rules = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("admin.") and "<slug>" in rule.rule:
            method = "POST" if "POST" in rule.methods and "GET" not in rule.methods else "GET"
            rules.append((rule.rule, method))
            if "POST" in rule.methods and "GET" in rule.methods:
                rules.append((rule.rule, "POST"))
    return sorted(rules)


def _snapshot(app) -> tuple:
    """Everything of commune B that a request could change."""
    with app.app_context():
        session = get_session()
        b = session.scalar(select(Commune).where(Commune.slug == "xa-b"))
        entries = [(e.id, e.enabled, repr(e.content), sorted(p.text for p in e.phrasings))
                   for e in session.scalars(select(Entry).order_by(Entry.id))]
        return (b.name, b.address, b.phone, repr(b.office_hours), b.province, entries,
                [(r.entry_id, repr(r.answer)) for r in session.scalars(select(CommuneAnswer))],
                session.scalar(select(func.count()).select_from(EntryRevision)),
                session.scalar(select(func.count()).select_from(InboxDecision)),
                [(h.id, h.status) for h in session.scalars(select(HandoffRequest))],
                [(d.id, d.resolved_at) for d in session.scalars(select(DeadLetter))])


FORM = {"name": "Hacked", "vi": "hacked", "en": "hacked", "text": "hacked phrasing", "scope": "commune",
        "enabled": "0", "name_vi": "Hacked", "entry_id": "faq-dia-chi", "confirm": "1"}


@pytest.mark.parametrize("username", ["staff-a", "prov-1"])
def test_other_commune_refused_on_every_route(app, b_data, username):
    client = app.test_client()
    assert login(client, username).status_code == 302
    token = csrf_token(client, "/admin/c/demo/faq")
    before = _snapshot(app)
    rules = _commune_rules(app)
    assert len(rules) >= 20
    for rule, method in rules:
        url = _url(rule, "xa-b", b_data)
        response = client.get(url) if method == "GET" else client.post(url, data={**FORM, "csrf_token": token})
        assert response.status_code in (403, 404), (rule, method, response.status_code)
        body = response.get_data(as_text=True)
        assert "Xã Bình Minh" not in body and "Địa chỉ riêng" not in body and "tiêm chủng" not in body
        assert "Thư riêng của xã B" not in body
    assert _snapshot(app) == before


def test_other_commune_objects_refused_through_own_commune(app, b_data, staff_a):
    """Commune A's URL with commune B's entry, revision, message or handoff ids."""
    token = csrf_token(staff_a, "/admin/c/demo/faq")
    before = _snapshot(app)
    checked = 0
    for rule, method in _commune_rules(app):
        if not any(part in rule for part in ("<entry_id>", "<procedure_id>", "<int:")):
            continue
        url = _url(rule, "demo", b_data)
        response = staff_a.get(url) if method == "GET" else staff_a.post(url, data={**FORM, "csrf_token": token,
                                                                                     "entry_id": b_data["entry"]})
        assert response.status_code in (403, 404), (rule, method, response.status_code)
        checked += 1
    assert checked >= 12
    # an entry of commune B can be neither attached to nor created from A's questions
    assert post(staff_a, "/admin/c/demo/faq/new", {"name_vi": "x", "vi": "y",
                                                   "from_message": b_data["message"]}).status_code == 404
    assert _snapshot(app) == before


def test_province_admin_manages_only_its_province(app, world):
    client = app.test_client()
    assert login(client, "prov-1").status_code == 302
    assert client.get("/admin/c/demo/settings").status_code == 200
    assert client.get("/admin/c/xa-b/settings").status_code == 404
    home = client.get("/admin/")
    assert home.status_code == 302 and home.headers["Location"].endswith("/admin/c/demo/faq")


def test_super_admin_sees_all(root):
    assert root.get("/admin/c/demo/settings").status_code == 200
    assert root.get("/admin/c/xa-b/settings").status_code == 200
    page = root.get("/admin/").get_data(as_text=True)
    assert "Xã An Bình" in page and "Xã Bình Minh" in page


def test_misconfigured_account_sees_nothing(app, world):
    with app.app_context():
        get_session().scalar(select(StaffUser).where(StaffUser.username == "prov-1")).province = None
        get_session().commit()
    client = app.test_client()
    assert login(client, "prov-1").status_code == 302
    assert client.get("/admin/c/demo/faq").status_code == 404
    assert client.get("/admin/").status_code == 200


def test_commune_own_entry_invisible_to_other_communes_residents(app, b_data):
    client = app.test_client()
    b_reply = chat(client, "lich tiem chung", user="r1", commune="xa-b")[0]["text"]
    a_reply = chat(client, "lich tiem chung", user="r2", commune="demo")[0]["text"]
    assert "Thứ Tư hằng tháng" in b_reply
    assert "Thứ Tư hằng tháng" not in a_reply
