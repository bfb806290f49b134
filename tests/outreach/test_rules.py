"""Life-event rules: how many residents each reaches this week before it is switched on, and the
day's run sending through the campaign engine — only to residents who agreed."""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta

from sqlalchemy import select

from outreach_helpers import add_residents, progress
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
