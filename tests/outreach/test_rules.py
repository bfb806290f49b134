"""Life-event rules: how many residents each reaches this week before it is switched on, and the
day's run sending through the campaign engine — only to residents who agreed."""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import select, update

from outreach_helpers import Resident, add_residents, progress
from infra.db import session_scope
from infra.models import Subscriber


def give_event(app, user: str, kind: str, value: dict) -> None:
    from bot.consent_models import LifeEvent
    from procedures.prefill import encrypt

    with app.app_context(), session_scope() as db:
        subscriber_id = db.scalar(select(Subscriber.id).where(Subscriber.user_id == user))
        db.add(LifeEvent(subscriber_id=subscriber_id, kind=kind, payload=encrypt(value)))


def test_rules_report_their_reach_and_send_on_the_day(seeded, fake):
    from outreach import rules
    from outreach.platform_rules import LOCAL

    today = datetime.now(LOCAL).date()
    add_residents(seeded, ("zalo", "parent-due", 2), ("zalo", "parent-later", 2), ("zalo", "parent-no", 2, False),
                  ("facebook", "turning-25", 2))
    give_event(seeded, "parent-due", "child_birth", {"date": (today - timedelta(days=30)).isoformat()})
    give_event(seeded, "parent-later", "child_birth", {"date": (today - timedelta(days=10)).isoformat()})
    give_event(seeded, "parent-no", "child_birth", {"date": (today - timedelta(days=30)).isoformat()})
    give_event(seeded, "turning-25", "own_birth", {"year": today.year + 1 - 25})
    runner = seeded.test_cli_runner()
    out = runner.invoke(args=["campaigns", "rules", "xa-a", "--enable", "newborn_day_30"]).output
    reach = {line["rule"]: line for line in map(json.loads, out.splitlines())}
    assert reach["newborn_day_30"] == {"rule": "newborn_day_30", "enabled": True, "reaches_this_week": 1}
    december_first_this_week = rules.this_week(today)[0] <= date(today.year, 12, 1) <= rules.this_week(today)[1]
    assert reach["id_card_25"]["reaches_this_week"] == (1 if december_first_this_week else 0)
    started = runner.invoke(args=["campaigns", "run-rules"]).output
    [campaign] = json.loads(started)["started"]
    with seeded.app_context():
        from outreach.sender import sweep

        sweep()  # what every worker's upkeep does: senders for the running campaign
    assert progress(seeded, campaign)["sent"] == 1
    assert [c.body["recipient"]["user_id"] for c in fake.sends("zalo")] == ["parent-due"]
    assert runner.invoke(args=["campaigns", "run-rules"]).output.strip() == '{"started": []}'  # once a day


def _checklist_page(someone, remind: str = "REMIND:yes") -> str:
    """A guide to its checklist hand-off page, then the answer to the reminder question; the page's path."""
    someone.say("xác nhận tình trạng hôn nhân")
    someone.tap("FLOW:start:tinh-trang-hon-nhan")
    for answer in ("để kết hôn", "chưa", "chưa", "không"):
        someone.say(answer)
    someone.tap("FLOW:link")
    url = someone.replies[0].buttons[0].url
    assert "/go/" in url and someone.payloads[-2:] == ["REMIND:yes", "REMIND:no"]
    someone.tap(remind)
    return url[url.index("/go/"):]


def test_a_prepared_page_not_opened_after_3_days_is_reminded_and_its_opening_counts(seeded, fake):
    from outreach.funnel import funnel
    from procedures.prefill_models import HandoffPageEvent

    forgetful, diligent, declined, expiring = (Resident(seeded, "zalo") for _ in range(4))
    pages = {who.user: _checklist_page(who) for who in (forgetful, diligent, expiring)}
    _checklist_page(declined, "REMIND:no")
    web = seeded.test_client()
    assert web.get(pages[diligent.user]).status_code == 200
    assert web.get(pages[diligent.user]).status_code == 200  # a reload is not a second opening
    three_days_ago = datetime.now(timezone.utc) - timedelta(days=3, minutes=5)
    with seeded.app_context(), session_scope() as db:
        events = list(db.scalars(select(HandoffPageEvent)))
        assert sorted(e.kind for e in events) == ["opened"] + ["prepared"] * 4
        assert all(len(e.user_hash) == 64 and e.flow_id == "tinh-trang-hon-nhan" for e in events)
        db.execute(update(HandoffPageEvent).values(created_at=three_days_ago))
        db.execute(update(HandoffPageEvent).where(HandoffPageEvent.page_key == _page_key(seeded, db, expiring))
                   .values(expires_at=three_days_ago + timedelta(days=2)))
    runner = seeded.test_cli_runner()
    out = runner.invoke(args=["campaigns", "rules", "xa-a"]).output
    reach = {line["rule"]: line for line in map(json.loads, out.splitlines())}
    assert reach["handoff_not_opened_day_3"] == {"rule": "handoff_not_opened_day_3", "enabled": False,
                                                 "reaches_this_week": 1}
    runner.invoke(args=["campaigns", "rules", "xa-a", "--enable", "handoff_not_opened_day_3"])
    [campaign] = json.loads(runner.invoke(args=["campaigns", "run-rules"]).output)["started"]
    with seeded.app_context():
        from outreach.sender import sweep

        sweep()
    assert progress(seeded, campaign)["sent"] == 1
    [sent] = [c for c in fake.sends("zalo") if "chưa mở trang" in json.dumps(c.body, ensure_ascii=False)]
    assert sent.body["recipient"]["user_id"] == forgetful.user and "/go/" not in json.dumps(sent.body)
    with seeded.app_context(), session_scope() as db:
        assert funnel(db, campaign)["started"] == 0
    assert web.get(pages[forgetful.user]).status_code == 200  # the reminder worked
    with seeded.app_context(), session_scope() as db:
        assert funnel(db, campaign) | {"read": 0} == {"targeted": 1, "sent": 1, "read": 0, "opened": 1, "started": 1}


def _page_key(app, db, someone) -> str:
    """The page key of the resident's one prepared page (their prefill record)."""
    from procedures import prefill
    from procedures.page_events import page_key
    from procedures.prefill_models import PrefillRecord

    from bot.privacy import ResidentId

    record = db.scalar(select(PrefillRecord).where(PrefillRecord.user_hash == prefill.user_hash(
        ResidentId(someone.channel, "xa-a", someone.user))))
    return page_key(record.id)
