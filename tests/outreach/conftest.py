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
PAGE_A, OA_A = channel_fixtures.PAGE_A, channel_fixtures.OA_A
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
