"""The outreach admin pages: a campaign created, previewed and started in Chromium with its progress
bar reaching 100 % by itself and the funnel shown; another commune's campaign is a 404; the funnel CSV;
a life-event rule switched on per commune."""
from __future__ import annotations

import json
import re

import pytest

from outreach_helpers import PAGE_A, add_residents, fb_body, new_campaign, now_ms, progress, signed_fb
from infra.db import session_scope

PASSWORD = "correct horse battery"
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def staff(live):
    """Accounts staff-a (commune xa-a) and staff-b (xa-b); both communes in province P1."""
    from admin.auth import hash_password
    from admin.models import StaffUser
    from infra.models import Commune

    with live.app.app_context(), session_scope() as db:
        communes = {c.slug: c for c in db.query(Commune).all()}
        for commune in communes.values():
            commune.province = "P1"
        for name, slug in (("staff-a", "xa-a"), ("staff-b", "xa-b")):
            db.add(StaffUser(username=name, password_hash=hash_password(PASSWORD), role="commune",
                             commune_id=communes[slug].id, language="en", active=True))
        db.add(StaffUser(username="prov-1", password_hash=hash_password(PASSWORD), role="province", province="P1",
                         language="vi", active=True))
    return live


def _client(app, username: str):
    client = app.test_client()
    token = _TOKEN.search(client.get("/admin/login").get_data(as_text=True)).group(1)
    assert client.post("/admin/login", data={"username": username, "password": PASSWORD,
                                             "csrf_token": token}).status_code == 302
    return client


def _post(client, path: str, data: dict | None = None, page: str = "/admin/c/xa-a/campaigns"):
    token = _TOKEN.search(client.get(page).get_data(as_text=True)).group(1)
    return client.post(path, data={**(data or {}), "csrf_token": token})


def test_another_communes_campaign_is_not_found_and_the_funnel_exports_as_csv(staff):
    add_residents(staff.app, ("facebook", "fb-1", 1), ("zalo", "z-1", 1), ("zalo", "z-2", 1, False))
    campaign = new_campaign(staff.app)
    a, b = _client(staff.app, "staff-a"), _client(staff.app, "staff-b")
    detail = f"/admin/c/xa-a/campaigns/{campaign}"
    assert a.get(detail).status_code == 200
    for path in (detail, f"{detail}/progress.json", f"/admin/c/xa-a/campaigns/funnel.csv?id={campaign}"):
        assert b.get(path).status_code == 404
    assert b.get(f"/admin/c/xa-b/campaigns/{campaign}").status_code == 404  # through its own commune
    assert _post(b, f"/admin/c/xa-b/campaigns/{campaign}/start", page="/admin/c/xa-b/campaigns").status_code == 404
    assert progress(staff.app, campaign)["status"] == "draft"
    assert "Khai sinh trực tuyến" not in b.get("/admin/c/xa-b/campaigns").get_data(as_text=True)
    assert "Khai sinh trực tuyến" in a.get("/admin/c/xa-a/campaigns").get_data(as_text=True)

    assert _post(a, f"{detail}/start").status_code == 302
    staff.run_jobs()
    csv = a.get(f"/admin/c/xa-a/campaigns/funnel.csv?id={campaign}")
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    assert csv.get_data(as_text=True).lstrip("\ufeff").splitlines() == [
        "campaign,targeted,sent,read,opened,started", f"{campaign},2,2,0,0,0"]
    assert a.get("/admin/c/xa-a/campaigns/funnel.csv?id=999999").status_code == 404


def test_a_province_admin_runs_a_campaign_over_all_communes_that_one_commune_does_not_see(staff):
    from outreach.models import Campaign

    province = _client(staff.app, "prov-1")
    page = province.get("/admin/c/xa-a/campaigns").get_data(as_text=True)
    assert "Tin nhắn nhắc / Chiến dịch" in page and "Tất cả các xã của tỉnh (2)" in page  # in Vietnamese
    made = _post(province, "/admin/c/xa-a/campaigns", {
        "name": "Cả tỉnh", "scope": "province", "channels": ["facebook", "zalo"], "message_vi": "Xin chào",
        "at": "2027-01-02T08:00"})
    campaign_id = int(made.headers["Location"].rsplit("/", 1)[1])
    with staff.app.app_context(), session_scope() as db:
        campaign = db.get(Campaign, campaign_id)
        assert len(campaign.commune_ids) == 2 and campaign.scheduled_at.isoformat().startswith("2027-01-02")
    assert province.get(f"/admin/c/xa-b/campaigns/{campaign_id}").status_code == 200
    assert _client(staff.app, "staff-a").get(f"/admin/c/xa-a/campaigns/{campaign_id}").status_code == 404
    for _ in range(2):  # the second cancel is refused with a message, not an error
        assert _post(province, f"/admin/c/xa-a/campaigns/{campaign_id}/cancel").status_code == 302
    assert progress(staff.app, campaign_id)["status"] == "cancelled"
    assert "Hiện không thực hiện được" in province.get(f"/admin/c/xa-a/campaigns/{campaign_id}").get_data(as_text=True)
    bad = _post(province, "/admin/c/xa-a/campaigns", {"name": "x", "message_vi": "", "active_days": "abc"})
    assert bad.status_code == 302 and "/campaigns/" not in bad.headers["Location"]


def test_a_rule_shows_its_reach_and_is_switched_on_for_one_commune_only(staff):
    from outreach.rules import overview

    a = _client(staff.app, "staff-a")
    page = a.get("/admin/c/xa-a/reminder-rules").get_data(as_text=True)
    assert "Newborn not yet registered: day 30" in page and 'id="rule-newborn_day_30"' in page
    assert _post(a, "/admin/c/xa-a/reminder-rules", {"rule": "newborn_day_30", "on": "1"}).status_code == 302
    assert _post(a, "/admin/c/xa-a/reminder-rules", {"rule": "nope", "on": "1"}).status_code == 400
    from datetime import date

    from infra.models import Commune
    with staff.app.app_context(), session_scope() as db:
        ids = {c.slug: c.id for c in db.query(Commune).all()}
        on = {slug: {r["rule"]: r["enabled"] for r in overview(db, i, date.today())} for slug, i in ids.items()}
    assert on["xa-a"]["newborn_day_30"] is True and on["xa-b"]["newborn_day_30"] is False


def test_create_preview_start_and_watch_the_progress_bar_in_chromium(staff, browser, backend):
    add_residents(staff.app, *[("facebook", f"fb-{i}", 1) for i in range(6)], ("zalo", "z-1", 2),
                  ("zalo", "z-no", 2, False))
    page = browser.new_page(viewport={"width": 390, "height": 844})
    errors = []
    page.on("console", lambda m: errors.append((m.text, m.location.get("url", ""))) if m.type == "error" else None)
    page.goto(f"{staff.url}/admin/login")
    page.fill("input[name=username]", "staff-a")
    page.fill("input[name=password]", PASSWORD)
    page.click("form.card button[type=submit]")
    page.wait_for_url(f"{staff.url}/admin/c/**")
    page.goto(f"{staff.url}/admin/c/xa-a/campaigns")
    form = page.locator("#new-campaign")
    form.locator("input[name=name]").fill("Khai sinh trực tuyến")
    form.locator("textarea[name=message_vi]").fill("Từ 1/1 nộp hồ sơ khai sinh trực tuyến được miễn lệ phí.")
    form.locator("input[name=guide]").fill("khai-sinh")
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/campaigns/\d+$"))
    preview = page.locator("#preview").text_content()
    assert "in the window (ordinary message)" in preview and "did not agree to reminders" in preview
    counts = [c.text_content() for c in page.locator("#preview td.count").all()]
    assert sorted(counts) == ["1", "1", "6"]  # facebook 6 in the window; zalo 1 in the window, 1 opted out
    polled = []
    page.on("response", lambda r: polled.append(r.json()) if r.url.endswith("/progress.json") else None)
    with page.expect_navigation():
        page.click("#start button[type=submit]")
    if backend == "services":  # RQ jobs run only now: the page was drawn with nothing sent yet
        assert float(page.locator("#percent").text_content()) == 0
    staff.run_jobs()
    page.locator("#percent", has_text="100").wait_for(timeout=15000)  # the bar polled by itself
    assert page.locator("#n-sent").text_content() == "7" and page.locator("#n-pending").text_content() == "0"
    page.locator("#campaign-status", has_text="done").wait_for()  # the page drew itself again when finished
    assert page.locator("#pause").count() == 0
    assert polled and polled[-1]["percent"] == 100.0 and polled[-1]["status"] == "done"
    assert page.locator("#f-targeted").text_content() == "7" and page.locator("#f-sent").text_content() == "7"
    assert page.locator("#funnel svg rect").count() == 5
    assert [e for e in errors if not e[1].endswith("/favicon.ico")] == []  # no CSP refusal, no script error


class Messenger:
    """A resident on commune A's Page, through the webhook, the jobs and the fake platform."""

    def __init__(self, live, fake, psid: str) -> None:
        self.live, self.fake, self.psid, self.seen = live, fake, psid, 0

    def send(self, message: dict | None = None) -> list[dict]:
        if message is not None:
            item = {"sender": {"id": self.psid}, "recipient": {"id": PAGE_A}, "timestamp": now_ms(),
                    "message": {"mid": f"m_{self.psid}_{self.seen}_{len(self.fake.calls)}", **message}}
            assert self.live.post("/webhooks/facebook", *signed_fb(fb_body(PAGE_A, item))).status_code == 200
        self.live.run_jobs()
        mine = [c.body["message"] for c in self.fake.sends("facebook") if c.body["recipient"]["id"] == self.psid]
        new, self.seen = mine[self.seen:], len(mine)
        return new

    def say(self, text: str) -> list[dict]:
        return self.send({"text": text})

    def tap(self, payload: str) -> list[dict]:
        return self.send({"text": payload, "quick_reply": {"payload": payload}})


def _handover(live, psid: str) -> int:
    from sqlalchemy import select

    from infra.models import HandoffRequest

    with live.app.app_context(), session_scope() as db:
        return db.scalar(select(HandoffRequest.id).where(HandoffRequest.user_id == psid))


def test_after_a_handover_closes_the_resident_is_asked_about_reminders_once(staff, fake):
    from sqlalchemy import select

    from infra.models import Subscriber

    hoa, lan = Messenger(staff, fake, "psid-hoa"), Messenger(staff, fake, "psid-lan")
    clerk = _client(staff.app, "staff-a")
    for resident in (hoa, lan):
        resident.say("xin chào")
        resident.tap("HANDOFF")
    lan.say("hủy")  # Lan stopped reminders before staff answered
    for resident in (hoa, lan):
        handoff = _handover(staff, resident.psid)
        page = f"/admin/c/xa-a/handover/{handoff}"
        assert _post(clerk, f"{page}/reply", {"text": "Cán bộ xã xin trả lời."}, page).status_code == 302
        assert [m["text"] for m in resident.send()] == ["Cán bộ xã xin trả lời."]
        assert _post(clerk, f"{page}/release", page=page).status_code == 302
    [question] = hoa.send()
    assert question["text"].startswith("Bạn có muốn xã nhắc bạn tại đây")
    assert [q["payload"] for q in question["quick_replies"]] == ["REMIND:yes", "REMIND:no"]
    assert lan.send() == []  # she said stop: never asked
    [thanks] = hoa.tap("REMIND:yes")
    assert thanks["text"].startswith("Cảm ơn")
    with staff.app.app_context(), session_scope() as db:
        assert db.scalar(select(Subscriber.reminders_opt_in).where(Subscriber.user_id == "psid-hoa")) is True
    hoa.tap("HANDOFF")  # a second handover closes: she answered already, no question again
    page = f"/admin/c/xa-a/handover/{_handover(staff, 'psid-hoa')}"
    assert _post(clerk, f"{page}/release", page=page).status_code == 302
    assert hoa.send() == []


def test_templates_and_paid_zalo_days_are_edited_per_commune(staff):
    from outreach.audience import preview
    from outreach.models import Campaign

    runner = staff.app.test_cli_runner()
    b_before = runner.invoke(args=["campaigns", "templates", "xa-b", "--facebook", '{"name": "mau_cua_xa_b"}']).output
    add_residents(staff.app, ("zalo", "z-day-3", 72), ("facebook", "fb-day-2", 30))
    campaign = new_campaign(staff.app)

    def fates() -> dict:
        with staff.app.app_context(), session_scope() as db:
            return preview(db, db.get(Campaign, campaign))

    assert fates() == {"zalo": {"skipped:paid_days_off_no_template": 1},
                       "facebook": {"skipped:outside_window_no_template": 1}}
    clerk, page = _client(staff.app, "staff-a"), "/admin/c/xa-a/outreach-settings"
    form = {"fb_name": "nhac_lich_xa", "fb_language": "vi", "fb_body": "{commune}\nKhai sinh", "fb_url": "{link_token}",
            "zalo_template_id": "7895417a7d3f9461cd2e", "zalo_data": "xa={commune}\nlink = {link}", "zalo_paid": "1"}
    assert _post(clerk, page, {**form, "fb_body": "{ten_cong_dan}"}, page).status_code == 400  # only our placeholders
    assert _post(clerk, page, {**form, "zalo_data": "xa"}, page).status_code == 400
    assert fates()["zalo"] == {"skipped:paid_days_off_no_template": 1}  # a refused form changes nothing
    assert _post(clerk, page, form, page).status_code == 302
    assert fates() == {"zalo": {"paid_window": 1}, "facebook": {"template": 1}}
    shown = clerk.get(page).get_data(as_text=True)
    assert 'value="nhac_lich_xa"' in shown and "xa={commune}\nlink={link}</textarea>" in shown and "checked" in shown
    stored = json.loads(runner.invoke(args=["campaigns", "templates", "xa-a"]).output)
    assert stored["facebook_template"] == {"name": "nhac_lich_xa", "language": "vi", "body": ["{commune}", "Khai sinh"],
                                           "url": ["{link_token}"]}
    assert stored["zalo_template"] == {"template_id": "7895417a7d3f9461cd2e",
                                       "data": {"xa": "{commune}", "link": "{link}"}}
    assert stored["zalo_paid_consultation"] is True
    # a clerk of commune A cannot change commune B's, nor see its page
    other = "/admin/c/xa-b/outreach-settings"
    assert _post(clerk, other, {**form, "fb_name": "cua_xa_a"}, page).status_code == 404
    assert clerk.get(other).status_code == 404
    assert runner.invoke(args=["campaigns", "templates", "xa-b"]).output == b_before
    refused = runner.invoke(args=["campaigns", "templates", "xa-b", "--zalo", '{"template_id": "t1", "data": {"x": "{ho_ten}"}}'])
    assert refused.exit_code == 2 and 'Unknown placeholder "ho_ten"' in refused.output  # the CLI checks the same
    assert _post(clerk, page, {"fb_name": "", "zalo_template_id": ""}, page).status_code == 302  # removed, unpaid
    assert fates() == {"zalo": {"skipped:paid_days_off_no_template": 1},
                       "facebook": {"skipped:outside_window_no_template": 1}}
