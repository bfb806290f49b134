"""Outreach fixtures: the channel tests' fake platform server and seeded communes (reused from
tests/channels/conftest.py), and a resident talking to the engine on a platform channel."""
from __future__ import annotations

import importlib.util
import itertools
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHANNELS = Path(__file__).resolve().parent.parent / "channels"
sys.path.insert(0, str(CHANNELS))  # fake_platform, as the channel tests import it
_spec = importlib.util.spec_from_file_location("channel_fixtures", CHANNELS / "conftest.py")
channel_fixtures = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(channel_fixtures)

fake_server = channel_fixtures.fake_server
fake = channel_fixtures.fake
channel_settings = channel_fixtures.channel_settings
app_config = channel_fixtures.app_config
seeded = channel_fixtures.seeded
live = channel_fixtures.live
PAGE_A, OA_A, ZALO_APP_ID = channel_fixtures.PAGE_A, channel_fixtures.OA_A, channel_fixtures.ZALO_APP_ID
fb_body, signed_fb, signed_zalo, now_ms = (channel_fixtures.fb_body, channel_fixtures.signed_fb,
                                           channel_fixtures.signed_zalo, channel_fixtures.now_ms)
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


@pytest.fixture
def resident(seeded):
    return lambda channel="zalo": Resident(seeded, channel)


@pytest.fixture
def channel_settings(fake_server) -> dict:
    """The channel tests' settings, plus outreach ones that make a run short and any hour a working hour."""
    return {**channel_fixtures.channel_settings.__wrapped__(fake_server),
            "OUTREACH_QUIET_HOURS": "00:00-00:00", "OUTREACH_BATCH": 5, "OUTREACH_RATE_PER_SECOND": 50,
            "OUTREACH_LEASE_SECONDS": 30, "OUTREACH_SLICE_SECONDS": 2, "PUBLIC_BASE_URL": "https://bot.example.vn"}


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
