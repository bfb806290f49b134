"""The outcome of one Send API call, in platform-neutral terms the delivery loop acts on."""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

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


class PlatformSession(requests.Session):
    """requests derives proxies and the CA bundle from os.environ on every call, a quarter of a
    send's CPU; the platform hosts are few and the environment does not change, so once per host."""

    def __init__(self) -> None:
        super().__init__()
        self._environment: dict[tuple[str, str], dict] = {}

    def merge_environment_settings(self, url, proxies, stream, verify, cert):
        if proxies or stream is not None or verify is not None or cert is not None:
            return super().merge_environment_settings(url, proxies, stream, verify, cert)
        host = urlsplit(url)[:2]
        settings = self._environment.get(host)
        if settings is None:
            settings = self._environment[host] = super().merge_environment_settings(url, {}, None, None, None)
        return dict(settings, proxies=dict(settings["proxies"]))


def make_session(pool: int = 32) -> requests.Session:
    """One keep-alive session per platform, shared by the threads of a process."""
    session = PlatformSession()
    adapter = HTTPAdapter(pool_connections=4, pool_maxsize=pool, max_retries=0)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def network_failure(error: requests.RequestException) -> SendResult:
    """Timeouts and refused connections: the message may not have arrived, try again."""
    code = "timeout" if isinstance(error, requests.Timeout) else "connection"
    return SendResult(TRANSIENT, code=code, detail=type(error).__name__)
