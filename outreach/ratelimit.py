"""The pace of campaign sends per Page/OA: one token bucket in the store (Redis: shared by every
worker on every machine), halved for a while when the platform answers with its rate-limit error."""
from __future__ import annotations

import time

from flask import current_app

from channels.accounts import Account

SLOW_SECONDS = 10  # how long a rate-limit answer halves the pace
_slow_seen: dict[str, tuple[float, bool]] = {}  # per process: the slow flag, read at most once a second


def _name(account: Account) -> str:
    return f"{account.platform}:{account.external_id}"


def rate(account: Account) -> float:
    base = float(current_app.config["OUTREACH_RATE_PER_SECOND"])
    name = _name(account)
    seen = _slow_seen.get(name)
    if seen is None or seen[0] < time.monotonic():
        slow = current_app.extensions["store"].get(f"outreach:slow:{name}") is not None
        seen = _slow_seen[name] = (time.monotonic() + 1.0, slow)
    return base / 2 if seen[1] else base


def wait_turn(account: Account) -> float:
    """Block until this process may send one message to the account's platform; returns the wait."""
    pace = rate(account)
    # a burst of 1/50 s: a sliding one-second count at the platform never sees much above the pace
    wait = current_app.extensions["store"].reserve(f"outreach:bucket:{_name(account)}", pace, max(1.0, pace / 50))
    if wait > 0:
        time.sleep(wait)
    return wait


def slow_down(account: Account) -> None:
    """The platform said "too many": halve the pace of every worker for SLOW_SECONDS."""
    name = _name(account)
    current_app.extensions["store"].set(f"outreach:slow:{name}", "1", ttl=SLOW_SECONDS)
    _slow_seen[name] = (time.monotonic() + SLOW_SECONDS, True)
