"""Outreach test helpers (a module of its own: `conftest` is ambiguous when several test folders run)."""
from __future__ import annotations

import itertools
import sys
from dataclasses import dataclass, field
from pathlib import Path

CHANNELS = Path(__file__).resolve().parent.parent / "channels"
if str(CHANNELS) not in sys.path:
    sys.path.insert(0, str(CHANNELS))  # fake_platform, as the channel tests import it

# re-exported to the outreach tests
from channel_payloads import OA_A, PAGE_A, PAGE_B, ZALO_APP_ID, fb_body, now_ms, signed_fb, signed_zalo  # noqa: E402, F401

_users = itertools.count(1)


@dataclass
class Resident:
    """A resident of commune xa-a on a platform channel, talking to the engine as the worker does."""
    app: object
    channel: str = "zalo"
    user: str = field(default_factory=lambda: f"resident-{next(_users)}")
    replies: list = field(default_factory=list)

    def _turn(self, **kwargs) -> "Resident":
        from bot.engine import handle_turn
        from bot.messages import Incoming

        with self.app.test_request_context():  # hand-off links are built from the request's host
            self.replies = handle_turn(Incoming(channel=self.channel, commune="xa-a", user=self.user, **kwargs))[0]
        return self

    def say(self, text: str) -> "Resident":
        return self._turn(kind="text", text=text)

    def tap(self, payload: str) -> "Resident":
        return self._turn(kind="payload", payload=payload)

    def arrive(self, payload: str) -> "Resident":
        return self._turn(kind="referral", payload=payload)

    @property
    def text(self) -> str:
        return "\n".join(r.text for r in self.replies)

    @property
    def payloads(self) -> list[str]:
        return [q.payload for r in self.replies for q in r.quick_replies]


def add_residents(app, *specs: tuple) -> None:
    """(channel, user, hours since they last wrote[, consents=True[, language="vi"]]) in commune xa-a."""
    from datetime import datetime, timedelta, timezone

    from bot.consent import topics
    from bot.consent_models import ReminderConsent
    from infra.db import session_scope
    from infra.models import Commune, Subscriber

    now = datetime.now(timezone.utc)
    with app.app_context(), session_scope() as db:
        commune = db.query(Commune).filter_by(slug="xa-a").one()
        for channel, user, hours, *rest in specs:
            consents, language = (rest + [True, "vi"][len(rest):])[:2]
            subscriber = Subscriber(channel=channel, user_id=user, commune_id=commune.id, language=language,
                                    last_message_at=now - timedelta(hours=hours), reminders_opt_in=consents)
            db.add(subscriber)
            db.flush()
            if consents:
                db.add(ReminderConsent(subscriber_id=subscriber.id, topics=topics(), wording="reminders-v1",
                                       asked_at=now, given_at=now))


def set_options(app, facebook: dict | None = None, zalo: dict | None = None, zalo_paid: bool = False) -> None:
    from infra.db import session_scope
    from infra.models import Commune
    from outreach.models import OutreachSettings

    with app.app_context(), session_scope() as db:
        commune = db.query(Commune).filter_by(slug="xa-a").one()
        db.merge(OutreachSettings(commune_id=commune.id, facebook_template=facebook, zalo_template=zalo,
                                  zalo_paid_consultation=zalo_paid))


def new_campaign(app, **options) -> int:
    from infra.db import session_scope
    from outreach.campaigns import create

    options.setdefault("intent", "khai-sinh")
    options.setdefault("channels", ["facebook", "zalo", "webchat"])
    with app.app_context(), session_scope() as db:
        return create(db, "Khai sinh trực tuyến", ["xa-a"],
                      {"vi": "Từ 1/1 nộp hồ sơ khai sinh trực tuyến được miễn lệ phí.",
                       "en": "Online birth registration is free from 1 January."}, **options).id


def progress(app, campaign_id: int) -> dict:
    from infra.db import session_scope
    from outreach.campaigns import progress as counts

    with app.app_context(), session_scope() as db:
        return counts(db, campaign_id)
