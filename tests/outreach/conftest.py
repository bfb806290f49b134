"""Outreach fixtures: the channel tests' fake platform server and seeded communes (reused from
tests/channels/conftest.py), and a resident talking to the engine on a platform channel."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

CHANNELS = Path(__file__).resolve().parent.parent / "channels"
if str(CHANNELS) not in sys.path:
    sys.path.insert(0, str(CHANNELS))  # fake_platform, as the channel tests import it
_spec = importlib.util.spec_from_file_location("channel_payloads", CHANNELS / "conftest.py")
channel_fixtures = importlib.util.module_from_spec(_spec)
sys.modules["channel_payloads"] = channel_fixtures  # the helpers import payload builders from it
_spec.loader.exec_module(channel_fixtures)

from outreach_helpers import Resident  # noqa: E402

fake_server = channel_fixtures.fake_server
fake = channel_fixtures.fake
app_config = channel_fixtures.app_config
seeded = channel_fixtures.seeded
live = channel_fixtures.live


@pytest.fixture
def resident(seeded):
    return lambda channel="zalo": Resident(seeded, channel)


@pytest.fixture
def channel_settings(fake_server) -> dict:
    """The channel tests' settings, plus outreach ones that make a run short and any hour a working hour."""
    return {**channel_fixtures.channel_settings.__wrapped__(fake_server),
            "OUTREACH_QUIET_HOURS": "00:00-00:00", "OUTREACH_BATCH": 5, "OUTREACH_RATE_PER_SECOND": 50,
            "OUTREACH_LEASE_SECONDS": 30, "OUTREACH_SLICE_SECONDS": 2, "PUBLIC_BASE_URL": "https://bot.example.vn"}
