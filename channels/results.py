"""The outcome of one Send API call, in platform-neutral terms the delivery loop acts on."""
from __future__ import annotations

from dataclasses import dataclass

import requests
from requests.adapters import HTTPAdapter

SENT = "sent"
TRANSIENT = "transient"  # retry with backoff: timeouts, 5xx, rate limits
PERMANENT = "permanent"  # record and stop: blocked, outside the window, invalid token
STALE_TOKEN = "stale_token"  # Zalo: refresh the access token once, then retry


@dataclass(frozen=True)
class SendResult:
    outcome: str
    code: str | None = None  # "2018278", "10/2018278", "-230", "timeout", "http_503"
    detail: str | None = None  # the platform's message (never a token)
    reason: str | None = None  # outside_window | user_unreachable | invalid_token | ...
    message_id: str | None = None

    @property
    def ok(self) -> bool:
        return self.outcome == SENT


def make_session(pool: int = 32) -> requests.Session:
    """One keep-alive session per platform, shared by the threads of a process."""
    session = requests.Session()
    adapter = HTTPAdapter(pool_connections=4, pool_maxsize=pool, max_retries=0)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def network_failure(error: requests.RequestException) -> SendResult:
    """Timeouts and refused connections: the message may not have arrived, try again."""
    code = "timeout" if isinstance(error, requests.Timeout) else "connection"
    return SendResult(TRANSIENT, code=code, detail=type(error).__name__)
