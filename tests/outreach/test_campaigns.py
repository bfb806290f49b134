"""Campaigns against the fake platform server, with real jobs (a thread on the embedded default,
RQ on Redis in the services run): what each resident receives by platform rule, quiet hours,
pause and resume, a killed worker's rows taken again, retries and the funnel."""
from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from outreach_helpers import (OA_A, PAGE_A, PAGE_B, ZALO_APP_ID, Resident, add_residents, fb_body, new_campaign, now_ms,
                              progress, set_options, signed_fb, signed_zalo)
from infra.db import session_scope

FB_TEMPLATE = {"name": "nhac_lich_xa", "language": "vi", "body": ["{commune}"], "url": ["{link_token}"]}
ZALO_TEMPLATE = {"template_id": "tpl-khai-sinh", "data": {"xa": "{commune}"}}


def preview(app, campaign_id: int) -> dict:
    from outreach.audience import preview as counts
    from outreach.models import Campaign

    with app.app_context(), session_scope() as db:
        return counts(db, db.get(Campaign, campaign_id))


def start(app, campaign_id: int, kick: bool = True) -> None:
    from outreach.campaigns import start as begin

    with app.app_context():
        begin(campaign_id, kick)


def recipients(calls) -> list[str]:
    return [c.body.get("recipient", {}).get("id") or c.body.get("recipient", {}).get("user_id") or c.body["user_id"]
            for c in calls]


def test_each_resident_gets_what_the_platform_allows(live, fake):
    fake.facebook_templates, fake.zalo_templates = {"nhac_lich_xa"}, {"tpl-khai-sinh"}
    add_residents(live.app, ("facebook", "fb-in", 1), ("facebook", "fb-out", 30), ("zalo", "z-free", 10),
                  ("zalo", "z-paid", 72), ("zalo", "z-old", 24 * 10), ("webchat", "w-1", 1),
                  ("facebook", "fb-no", 1, False))
    set_options(live.app, facebook=FB_TEMPLATE, zalo=ZALO_TEMPLATE)
    campaign = new_campaign(live.app)
    assert preview(live.app, campaign) == {
        "facebook": {"skipped:opted_out": 1, "template": 1, "window": 1},
        "webchat": {"skipped:web_chat_never_pushed": 1},
        "zalo": {"template": 2, "window": 1}}
    start(live.app, campaign)
    live.run_jobs()
    assert progress(live.app, campaign) | {"percent": 0} == {
        "campaign": campaign, "name": "Khai sinh trực tuyến", "status": "done", "sent": 5, "skipped": 0, "failed": 0,
        "pending": 0, "targeted": 5, "percent": 0}
    by_user = {recipients([c])[0]: c.body for c in fake.sends("facebook") + fake.sends("zalo")
               + [c for c in fake.template_sends() if c.service == "zalo_template"]}
    assert sorted(by_user) == ["fb-in", "fb-out", "z-free", "z-old", "z-paid"]  # each once, nobody else
    inside = by_user["fb-in"]
    assert inside["messaging_type"] == "UPDATE"
    assert inside["message"]["attachment"]["payload"]["buttons"][0]["url"].startswith("https://bot.example.vn/o/")
    outside = by_user["fb-out"]
    assert outside["messaging_type"] == "UTILITY" and outside["message"]["template"]["name"] == "nhac_lich_xa"
    assert outside["message"]["template"]["components"][0]["parameters"] == [{"type": "text", "text": "Xã An Phú"}]
    zalo_button = by_user["z-free"]["message"]["attachment"]["payload"]["buttons"][0]
    assert zalo_button["type"] == "oa.query.hide" and zalo_button["payload"].endswith(f"CAMP:{campaign}:khai-sinh")
    assert by_user["z-paid"] == {"user_id": "z-paid", "template_id": "tpl-khai-sinh",
                                 "template_data": {"xa": "Xã An Phú"}}


def test_without_templates_residents_outside_the_window_are_skipped_with_the_reason(live, fake):
    add_residents(live.app, ("facebook", "fb-in", 1), ("facebook", "fb-out", 30), ("facebook", "fb-closed", 2),
                  ("zalo", "z-paid", 72), ("zalo", "z-old", 24 * 10), ("zalo", "z-blocked", 1))
    set_options(live.app, zalo_paid=True)
    fake.outside_window, fake.blocked = {"fb-closed"}, {"z-blocked"}  # the platform's own view
    campaign = new_campaign(live.app, channels=["facebook", "zalo"])
    assert preview(live.app, campaign) == {
        "facebook": {"skipped:outside_window_no_template": 1, "window": 2},
        "zalo": {"paid_window": 1, "skipped:outside_window_no_template": 1, "window": 1}}
    from infra.metrics import CAMPAIGN_DELIVERIES

    skipped_before = CAMPAIGN_DELIVERIES.labels("facebook", "skipped")._value.get()
    start(live.app, campaign)
    live.run_jobs()
    from outreach.campaigns import reasons

    # the campaign's progress on /metrics too (fb-out skipped for its window, fb-closed by the platform)
    assert CAMPAIGN_DELIVERIES.labels("facebook", "skipped")._value.get() - skipped_before == 2
    with live.app.app_context(), session_scope() as db:
        assert reasons(db, campaign) == {"skipped:outside_window_no_template": 2,
                                         "skipped:outside_window (10/2018278)": 1,
                                         "failed:user_unreachable (-227)": 1}
    assert sorted(recipients(fake.sends("facebook") + fake.sends("zalo"))) == ["fb-in", "z-paid"]


def test_nothing_is_sent_in_quiet_hours(seeded, fake):
    from outreach.platform_rules import LOCAL

    now = datetime.now(LOCAL)
    quiet = f"{(now - timedelta(hours=1)):%H:%M}-{(now + timedelta(hours=1)):%H:%M}"
    add_residents(seeded, ("facebook", "fb-in", 1), ("zalo", "z-free", 1))
    campaign = new_campaign(seeded, quiet_hours=quiet)
    start(seeded, campaign)  # inline jobs: the sender runs now, sees the quiet hours and waits
    assert fake.attempts("facebook") == [] and fake.attempts("zalo") == []
    assert progress(seeded, campaign)["pending"] == 2
    with seeded.app_context():
        store = seeded.extensions["store"]
        assert 3000 < store.ttl("outreach:sender:%d:0" % campaign) <= 3600 + 30  # its slot waits with it


def test_pause_stops_sending_and_resume_finishes_each_resident_once(live, fake):
    from outreach.campaigns import pause, resume

    users = [f"fb-{i}" for i in range(30)]
    add_residents(live.app, *[("facebook", user, 1) for user in users])
    campaign = new_campaign(live.app)
    start(live.app, campaign)
    with live.app.app_context():
        pause(campaign)
    live.run_jobs()
    paused_at = len(fake.sends("facebook"))
    assert progress(live.app, campaign)["pending"] == 30 - paused_at > 0
    live.run_jobs()
    assert len(fake.sends("facebook")) == paused_at  # nothing more while paused
    with live.app.app_context():
        resume(campaign)
    live.run_jobs()
    assert sorted(recipients(fake.sends("facebook"))) == sorted(users)
    assert progress(live.app, campaign)["status"] == "done"


def test_rows_of_a_killed_worker_are_taken_again_when_their_lease_passes(live, fake):
    from outreach import sender

    users = [f"z-{i}" for i in range(10)]
    add_residents(live.app, *[("zalo", user, 1) for user in users])
    campaign = new_campaign(live.app)
    start(live.app, campaign, kick=False)
    with live.app.app_context():
        store = live.app.extensions["store"]
        taken = sender._claim(campaign, 4, lease=1.0)  # a worker took four rows, then was killed
        for slot in range(2):
            store.set(f"outreach:sender:{campaign}:{slot}", "killed-worker", ttl=1.0)
        sender.sweep()  # its slots still look alive: nobody is started twice
    live.run_jobs()
    assert len(taken) == 4 and fake.attempts("zalo") == []
    time.sleep(1.1)
    with live.app.app_context():
        sender.sweep()  # the slots expired: new senders; the four rows' lease passed too
    live.run_jobs()
    assert sorted(recipients(fake.sends("zalo"))) == sorted(users)  # nobody lost, nobody twice
    assert progress(live.app, campaign)["status"] == "done"


def test_transient_errors_are_retried_and_a_rejected_template_is_recorded(live, fake):
    from channels.models import DeadLetter
    from outreach.models import CampaignDelivery

    fake.plan = ["fb_rate_limit", "http_500"]  # the first two sends fail, then the platform accepts
    add_residents(live.app, ("facebook", "fb-in", 1), ("facebook", "fb-out", 30))
    set_options(live.app, facebook=FB_TEMPLATE)  # configured here, but the platform never approved it
    campaign = new_campaign(live.app)
    start(live.app, campaign)
    live.run_jobs()
    with live.app.app_context(), session_scope() as db:
        rows = {r.user_id: r for r in db.scalars(select(CampaignDelivery))}
        assert rows["fb-in"].status == "sent"
        assert (rows["fb-out"].status, rows["fb-out"].error_code) == ("failed", "100")
        assert rows["fb-in"].attempts + rows["fb-out"].attempts == 4  # two failures retried, whoever met them
        [letter] = db.scalars(select(DeadLetter)).all()
        assert (letter.user_id, letter.error_code) == ("fb-out", "100")
        assert live.app.extensions["store"].get(f"outreach:slow:facebook:{PAGE_A}") == "1"  # pace halved


def test_the_funnel_follows_a_resident_from_the_message_to_the_guide(live, fake):
    from bot.campaign_links import referral_payload
    from knowledge.store import knowledge_base
    from outreach.funnel import funnel, funnel_csv
    from outreach.models import CampaignDelivery

    add_residents(live.app, ("facebook", "fb-reader", 1), ("facebook", "fb-other", 1), ("zalo", "z-reader", 1))
    campaign = new_campaign(live.app)
    start(live.app, campaign)
    live.run_jobs()
    with live.app.app_context(), session_scope() as db:
        token = db.scalar(select(CampaignDelivery.link_token).where(CampaignDelivery.user_id == "fb-reader"))
        zalo_id = db.scalar(select(CampaignDelivery.platform_message_id).where(CampaignDelivery.user_id == "z-reader"))
    # read receipts as the platforms send them (outreach.md §3, §4.6)
    read = {"sender": {"id": "fb-reader"}, "recipient": {"id": PAGE_A}, "timestamp": now_ms(),
            "read": {"watermark": now_ms()}}
    assert live.post("/webhooks/facebook", *signed_fb(fb_body(PAGE_A, read))).status_code == 200
    seen = {"event_name": "user_seen_message", "app_id": ZALO_APP_ID, "sender": {"id": "z-reader"},
            "recipient": {"id": OA_A}, "message": {"msg_ids": [zalo_id]}, "timestamp": str(now_ms())}
    assert live.post("/webhooks/zalo", *signed_zalo(seen)).status_code == 200
    live.run_jobs()
    opened = live.http.get(f"{live.url}/o/{token}", allow_redirects=False)
    assert opened.status_code == 302
    assert opened.headers["Location"] == f"https://m.me/{PAGE_A}?ref=khai-sinh__c{campaign}"
    assert live.http.get(f"{live.url}/o/not-a-token", allow_redirects=False).status_code == 404
    reader = Resident(live.app, "facebook", "fb-reader")
    with live.app.app_context():
        ref = referral_payload(f"khai-sinh__c{campaign}", knowledge_base().snapshot().entries)
    assert ref == f"CAMP:{campaign}:khai-sinh"
    reader.arrive(ref)
    assert "khai sinh" in reader.text.lower()
    with live.app.app_context(), session_scope() as db:
        assert funnel(db, campaign) == {"targeted": 3, "sent": 3, "read": 2, "opened": 1, "started": 1}
        assert funnel_csv(db, [campaign]).splitlines() == ["campaign,targeted,sent,read,opened,started",
                                                          f"{campaign},3,3,2,1,1"]
    reader.say("xóa dữ liệu của tôi")  # the guide they opened from the campaign goes with the rest
    assert "hướng dẫn bạn đã mở từ tin nhắc (1)" in reader.text
    with live.app.app_context(), session_scope() as db:
        assert funnel(db, campaign)["started"] == 0


def test_a_read_counts_against_the_platforms_time_of_the_message(live, fake):
    """Messenger's read watermark is on the platform's clock: it is compared with the time the
    platform gave our message (its echo), not with our clock, which here runs 3 s ahead."""
    from outreach.funnel import funnel
    from outreach.models import CampaignDelivery, ReadMark

    fake.clock_offset_ms = -3000
    add_residents(live.app, ("facebook", "fb-read", 1), ("facebook", "fb-before", 1), ("facebook", "fb-silent", 1))
    campaign = new_campaign(live.app)
    start(live.app, campaign)
    live.run_jobs()
    echoes = fake.echo_items(PAGE_A)
    assert len(echoes) == 3
    # fb-read read up to our message exactly; fb-before only what came before it; fb-silent nothing
    reads = [fake.read_item(PAGE_A, "fb-read"), fake.read_item(PAGE_A, "fb-before", shift_ms=-1)]
    assert live.post("/webhooks/facebook", *signed_fb(fb_body(PAGE_A, *echoes))).status_code == 200
    live.run_jobs()
    assert live.post("/webhooks/facebook", *signed_fb(fb_body(PAGE_A, *reads))).status_code == 200
    live.run_jobs()
    with live.app.app_context(), session_scope() as db:
        rows = {r.user_id: r for r in db.scalars(select(CampaignDelivery))}
        assert {user: row.platform_sent_ms for user, row in rows.items()} == {
            c.body["recipient"]["id"]: c.platform_ms for c in fake.sends("facebook")}
        assert {user for user, row in rows.items() if row.read_at is not None} == {"fb-read"}
        assert funnel(db, campaign)["read"] == 1
        assert db.scalars(select(ReadMark)).all() == []  # every echo had come: no watermark is kept
    assert fake.sends("facebook")[-1].body["recipient"]["id"] != PAGE_A  # an echo is never answered


def sent_before_echoes(live, fake, *users: str) -> int:
    """A campaign to `users` of commune A, sent while our clock runs 3 s ahead of the platform's."""
    fake.clock_offset_ms = -3000
    add_residents(live.app, *(("facebook", user, 1) for user in users))
    campaign = new_campaign(live.app)
    start(live.app, campaign)
    live.run_jobs()
    return campaign


def test_a_read_arriving_before_the_echo_of_its_message_is_not_lost(live, fake):
    """Webhooks come in any order: a watermark received before the echo cannot be compared with
    the platform's time of the message yet (and our clock, ahead, says unread); it is kept and the
    echo applies it, with the time the watermark came as the read time."""
    from outreach.funnel import funnel
    from outreach.models import CampaignDelivery, ReadMark

    campaign = sent_before_echoes(live, fake, "fb-read", "fb-before", "fb-silent")
    reads = fb_body(PAGE_A, fake.read_item(PAGE_A, "fb-read"), fake.read_item(PAGE_A, "fb-before", shift_ms=-1))
    assert live.post("/webhooks/facebook", *signed_fb(reads)).status_code == 200
    # the same PSID read far ahead on commune B's Page: another commune's thread, nothing to do with A's rows
    elsewhere = {"sender": {"id": "fb-before"}, "recipient": {"id": PAGE_B}, "timestamp": now_ms(),
                 "read": {"watermark": now_ms() + 60_000}}
    assert live.post("/webhooks/facebook", *signed_fb(fb_body(PAGE_B, elsewhere))).status_code == 200
    live.run_jobs()
    with live.app.app_context(), session_scope() as db:
        assert funnel(db, campaign)["read"] == 0  # our clock alone cannot tell
        marks = {m.user_id: m for m in db.scalars(select(ReadMark))}
        assert sorted(marks) == ["fb-before", "fb-read"] and {m.commune_id for m in marks.values()} == {
            db.scalar(select(CampaignDelivery.commune_id).limit(1))}
    echoes = fb_body(PAGE_A, *fake.echo_items(PAGE_A))
    assert live.post("/webhooks/facebook", *signed_fb(echoes)).status_code == 200
    live.run_jobs()
    with live.app.app_context(), session_scope() as db:
        rows = {r.user_id: r for r in db.scalars(select(CampaignDelivery))}
        assert {user: row.read_at for user, row in rows.items() if row.read_at} == {"fb-read": marks["fb-read"].seen_at}
        assert all(row.platform_sent_ms for row in rows.values())
        assert db.scalars(select(ReadMark)).all() == []  # no message awaits an echo any more
    # the platform delivering both again changes nothing (processed once)
    assert live.post("/webhooks/facebook", *signed_fb(reads)).json() == {"queued": 0, "duplicates": 2}
    assert live.post("/webhooks/facebook", *signed_fb(echoes)).json() == {"queued": 0, "duplicates": 3}
    live.run_jobs()
    with live.app.app_context(), session_scope() as db:
        assert funnel(db, campaign)["read"] == 1 and db.scalars(select(ReadMark)).all() == []


def test_a_kept_watermark_is_exported_erased_and_purged_with_the_residents_data(live, fake):
    from bot.privacy import ResidentId, export, purge
    from outreach.models import ReadMark

    sent_before_echoes(live, fake, "fb-erases", "fb-stays")
    reads = fb_body(PAGE_A, fake.read_item(PAGE_A, "fb-erases"), fake.read_item(PAGE_A, "fb-stays"))
    assert live.post("/webhooks/facebook", *signed_fb(reads)).status_code == 200
    live.run_jobs()
    with live.app.app_context(), session_scope() as db:
        [mark] = export(db, ResidentId("facebook", "xa-a", "fb-erases"))["reminders_read"]
        assert set(mark) == {"read_up_to", "received_at"}
    erases = Resident(live.app, "facebook", "fb-erases").say("xóa dữ liệu của tôi")
    assert "thời điểm bạn đọc tin nhắc gần nhất" in erases.text
    with live.app.app_context(), session_scope() as db:
        assert [m.user_id for m in db.scalars(select(ReadMark))] == ["fb-stays"]
        assert purge(db, datetime.now(timezone.utc) - timedelta(days=1))["read_marks"] == 0  # still recent
        assert purge(db, datetime.now(timezone.utc) + timedelta(seconds=1))["read_marks"] == 1
        assert db.scalars(select(ReadMark)).all() == []


def test_the_pace_is_shared_through_the_store(app):
    store = app.extensions["store"]
    waits = [store.reserve("outreach:bucket:test", 100.0, 1.0) for _ in range(21)]
    assert waits[0] == 0 and waits[-1] == pytest.approx(0.2, abs=0.05)  # 20 in debt at 100/s
