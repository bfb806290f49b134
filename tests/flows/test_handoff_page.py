"""The hand-off page /go/<token> and its redirect, through the Flask client."""
from __future__ import annotations

import json
import re
import time

import pytest
from sqlalchemy import select

PERSONAL = {"full_name": "Trần Thị Hoa", "date_of_birth": "05/06/1995", "personal_id": "001095012345",
            "phone": "0912345678"}


def _add_commune(app) -> int:
    from infra.db import get_session
    from infra.models import Commune

    with app.app_context():
        session = get_session()
        commune = session.scalar(select(Commune).where(Commune.slug == "demo"))
        if commune is None:
            commune = Commune(slug="demo", name="Xã Demo", address="1 Đường Chính")
            session.add(commune)
            session.commit()
        return commune.id


def prepared_page(resident) -> str:
    """Run the marital-status flow to the end and return the /go/<token> URL the bot sent."""
    resident.say("xác nhận tình trạng hôn nhân")
    resident.tap("FLOW:start:tinh-trang-hon-nhan")
    for answer in ("để kết hôn", "chưa", "chưa", "không"):
        resident.say(answer)
    resident.tap("FLOW:prefill")
    for value in ("trần thị hoa", "5/6/1995", "0010 9501 2345", "+84 912 345 678", "đúng"):
        resident.say(value)
    urls = [b["url"] for b in resident.buttons if "/go/" in b["url"]]
    assert len(urls) == 1, resident.replies
    return urls[0]


def _path(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def test_page_shows_checklist_data_copy_buttons_and_portal_button(chat, client, app):
    commune_id = _add_commune(app)
    url = prepared_page(chat())
    page = client.get(_path(url))
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store" and page.headers["Referrer-Policy"] == "no-referrer"
    for value in PERSONAL.values():
        assert value in html
    assert html.count('class="copy"') == 4
    assert "Cấp Giấy xác nhận tình trạng hôn nhân" in html and "chỉ được cấp 01 bản" in html
    portal = re.search(r'id="portal" href="([^"]+)"', html).group(1)
    assert portal == _path(url) + "/portal"
    response = client.get(portal)
    assert response.status_code == 302
    assert response.headers["Location"] == "https://dichvucong.gov.vn/thu-tuc-hanh-chinh/019d2bfd-6eb3-7019-bf3f-fc58c9ee44b9"
    from infra.db import get_session
    from procedures.prefill_models import PortalClick

    with app.app_context():
        clicks = get_session().scalars(select(PortalClick)).all()
    assert [(c.flow_id, c.code, c.commune_id) for c in clicks] == [("tinh-trang-hon-nhan", "1.004873", commune_id)]


def test_checklist_page_without_data(chat, client):
    resident = chat()
    resident.say("làm căn cước")
    resident.tap("FLOW:start:can-cuoc")
    resident.say("mất thẻ")
    assert "FLOW:prefill" not in resident.payloads  # no confirmed online form: nothing to collect
    resident.tap("FLOW:link")
    url = [b["url"] for b in resident.buttons if "/go/" in b["url"]][0]
    html = client.get(_path(url)).get_data(as_text=True)
    assert "Cấp lại thẻ căn cước" in html and 'class="copy"' not in html
    assert client.get(_path(url) + "/portal").headers["Location"].endswith("019d2bf7-9e0b-7681-bd68-83f1e84c1cc7")


@pytest.mark.parametrize("mangle", [
    lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),
    lambda t: "x" + t,
    lambda t: "not-a-token",
])
def test_tampered_token_shows_a_clear_page_without_data(chat, client, mangle):
    url = prepared_page(chat())
    token = _path(url).split("/go/")[1]
    for path in (f"/go/{mangle(token)}", f"/go/{mangle(token)}/portal"):
        response = client.get(path)
        html = response.get_data(as_text=True)
        assert response.status_code == 404
        assert "không hợp lệ" in html
        assert all(value not in html for value in PERSONAL.values())
        assert "Location" not in response.headers


def test_deleted_data_shows_expired_page(chat, client):
    resident = chat()
    url = prepared_page(resident)
    resident.say("xóa dữ liệu của tôi")
    response = client.get(_path(url))
    assert response.status_code == 410 and "hết hạn" in response.get_data(as_text=True)
    assert PERSONAL["personal_id"] not in response.get_data(as_text=True)


class TestExpiredLink:
    @pytest.fixture
    def app_config(self):
        return {"PREFILL_TTL": 1}

    def test_expired_token_shows_a_clear_page_without_data(self, chat, client):
        url = prepared_page(chat())
        time.sleep(2.2)
        for path in (_path(url), _path(url) + "/portal"):
            response = client.get(path)
            html = response.get_data(as_text=True)
            assert response.status_code == 410
            assert "hết hạn" in html
            assert all(value not in html for value in PERSONAL.values())


def test_data_is_encrypted_at_rest(chat, app):
    prepared_page(chat())
    from infra.db import get_session
    from procedures.prefill_models import PrefillRecord

    with app.app_context():
        record = get_session().scalars(select(PrefillRecord)).one()
        stored = " ".join(str(getattr(record, c.name)) for c in PrefillRecord.__table__.columns)
    for value in PERSONAL.values():
        assert value not in stored
    assert "trần" not in stored.lower()


class TestPurge:
    @pytest.fixture
    def app_config(self):
        return {"PREFILL_TTL": 1}

    def test_purge_deletes_expired_records(self, chat, runner, app):
        from infra.db import get_session
        from procedures.prefill_models import PrefillRecord

        prepared_page(chat())
        assert runner.invoke(args=["flows", "purge"]).output.startswith("deleted 0 ")
        time.sleep(1.2)
        assert runner.invoke(args=["flows", "purge"]).output.startswith("deleted 1 ")
        with app.app_context():
            assert get_session().scalars(select(PrefillRecord)).all() == []

    def test_the_scheduled_retention_purge_deletes_expired_records(self, chat, runner, app):
        """The workers' one scheduled purge (`privacy purge`) takes expired prepared forms too."""
        prepared_page(chat())
        assert json.loads(runner.invoke(args=["privacy", "purge"]).output)["prepared_forms"] == 0
        time.sleep(1.2)
        assert json.loads(runner.invoke(args=["privacy", "purge"]).output)["prepared_forms"] == 1
