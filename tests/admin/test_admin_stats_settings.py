"""Statistics (figures, chart, CSV, date range) and commune settings (facts the bot's answers quote)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from admin_helpers import chat, post
from infra.db import get_session, session_scope
from infra.models import Entry, MessageLog

NOW = datetime.now(timezone.utc)


def _log(app, commune_id: int, rows: list[tuple[int, str, str | None]]) -> None:
    """rows: (days ago, decision, intent)."""
    with app.app_context(), session_scope() as session:
        for days_ago, decision, intent in rows:
            session.add(MessageLog(channel="webchat", commune_id=commune_id, text="x", decision=decision,
                                   intent=intent, created_at=NOW - timedelta(days=days_ago)))


def test_figures_chart_and_top_procedures(app, world, staff_a):
    _log(app, world["a"], [(1, "answer", "khai-sinh")] * 3 + [(1, "none", None), (2, "clarify", None),
                                                             (2, "answer", "ket-hon"), (2, "navigation", "menu")])
    _log(app, world["b"], [(1, "answer", "khai-tu")] * 9)  # another commune's: not counted
    page = staff_a.get("/admin/c/demo/stats").get_data(as_text=True)
    assert 'id="total-messages">7<' in page
    assert 'id="share-answered">67%<' in page  # 4 of 6 questions
    assert 'id="share-unanswered">17%<' in page
    assert page.count("<rect class=") >= 4
    with app.app_context():
        names = {e.id: e.name_vi for e in get_session().scalars(select(Entry).where(Entry.id.in_(["khai-sinh", "ket-hon", "khai-tu"])))}
    top = page.split("Top procedures")[1]
    assert top.index(names["khai-sinh"]) < top.index(names["ket-hon"])  # 3 answers before 1
    assert names["khai-tu"] not in top
    assert "khai-tu" not in page


def test_csv_export_and_date_range(app, world, staff_a):
    _log(app, world["a"], [(1, "answer", "khai-sinh"), (40, "none", None)])
    today = (NOW + timedelta(hours=7)).date()
    response = staff_a.get(f"/admin/c/demo/stats.csv?from={today - timedelta(days=3)}&to={today}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    lines = response.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert lines[0] == "date,messages,answered,clarified,unanswered" and len(lines) == 5
    assert sum(int(line.split(",")[1]) for line in lines[1:]) == 1
    procedures = staff_a.get("/admin/c/demo/stats.csv?table=procedures").get_data(as_text=True)
    assert "khai-sinh" in procedures


def test_bad_dates_are_400(staff_a):
    assert staff_a.get("/admin/c/demo/stats?from=yesterday").status_code == 400
    assert staff_a.get("/admin/c/demo/stats?from=2025-02-01&to=2025-01-01").status_code == 400
    assert staff_a.get("/admin/c/demo/stats?from=2020-01-01&to=2025-01-01").status_code == 400


def test_settings_feed_the_bot(app, staff_a):
    response = post(staff_a, "/admin/c/demo/settings", {
        "name": "Xã An Bình Mới", "address": "12 Đường Lúa", "phone": "0270 123 456", "province": "P9",
        "days": ["0", "2", "5"], "start0": "08:00", "end0": "11:00", "start1": "", "end1": ""})
    assert response.status_code == 302
    reply = chat(app.test_client(), "địa chỉ ủy ban xã ở đâu")[0]["text"]
    assert "12 Đường Lúa" in reply and "0270 123 456" in reply and "Xã An Bình Mới" in reply
    assert "Thứ Hai, Thứ Tư, Thứ Bảy: 08:00–11:00" in reply
    page = staff_a.get("/admin/c/demo/settings").get_data(as_text=True)
    assert 'value="P1"' in page  # commune staff cannot move their commune to another province


def test_settings_validation(staff_a):
    assert post(staff_a, "/admin/c/demo/settings", {"name": ""}).status_code == 400
    bad_period = {"name": "A", "days": ["0"], "start0": "11:00", "end0": "08:00"}
    assert post(staff_a, "/admin/c/demo/settings", bad_period).status_code == 400
    assert post(staff_a, "/admin/c/demo/settings", {"name": "A", "days": ["0"]}).status_code == 400
    assert post(staff_a, "/admin/c/demo/settings", {"name": "A", "start0": "25:00", "end0": "26:00"}).status_code == 400


def test_platform_tokens_are_write_only(app, staff_a):
    from cryptography.fernet import Fernet

    from channels.models import ChannelAccount

    app.config["TOKEN_ENCRYPTION_KEY"] = Fernet.generate_key().decode()
    form = {"name": "Xã An Bình", "facebook_id": "106000000000009", "facebook_access_token": "EAAG-secret-token",
            "zalo_id": "", "zalo_access_token": ""}
    assert post(staff_a, "/admin/c/demo/settings", form).status_code == 302
    page = staff_a.get("/admin/c/demo/settings").get_data(as_text=True)
    assert "106000000000009" in page and "EAAG-secret-token" not in page
    with app.app_context():
        account = get_session().scalar(select(ChannelAccount))
        assert account.access_token and "EAAG-secret-token" not in account.access_token  # encrypted at rest
        stored = account.access_token
    assert post(staff_a, "/admin/c/demo/settings", {**form, "facebook_access_token": ""}).status_code == 302
    with app.app_context():
        assert get_session().scalar(select(ChannelAccount)).access_token == stored  # empty field: unchanged
    assert post(staff_a, "/admin/c/demo/settings", {**form, "facebook_id": "not-a-number"}).status_code == 400


def test_the_police_post_is_a_setting_the_identity_card_answer_names(app, staff_a):
    response = post(staff_a, "/admin/c/demo/settings", {
        "name": "Xã An Bình", "address": "12 Đường Lúa", "police_name": "Công an xã An Bình",
        "police_address": "5 Đường Mía", "police_phone": "069 111 222", "police_days": ["0", "1", "2", "3", "4", "5"],
        "police_start0": "07:00", "police_end0": "11:00"})
    assert response.status_code == 302
    reply = chat(app.test_client(), "làm căn cước ở đâu")[0]["text"]
    assert "Nộp trực tiếp: Công an xã An Bình, 5 Đường Mía." in reply and "069 111 222" in reply
    assert "Thứ Hai–Thứ Bảy: 07:00–11:00" in reply and "12 Đường Lúa" not in reply
    page = staff_a.get("/admin/c/demo/settings").get_data(as_text=True)
    assert 'value="5 Đường Mía"' in page and 'name="police_start0" value="07:00"' in page
    bad = {"name": "Xã An Bình", "police_days": ["0"], "police_start0": "11:00", "police_end0": "08:00"}
    assert post(staff_a, "/admin/c/demo/settings", bad).status_code == 400
