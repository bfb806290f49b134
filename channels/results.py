"""The outcome of one Send API call, in platform-neutral terms the delivery loop acts on."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
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
    """A requests session for the platforms' JSON APIs, at a fraction of Session.request's cost.

    Session.request merges cookies, netrc credentials, hooks and the proxy/CA environment on every
    call: close to half of a send's CPU. The platform APIs use no cookies and no netrc, and the
    environment does not change while the process runs, so `post_json` reads the environment once
    per host and hands a prepared request straight to the mounted transport adapter."""

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

    def post_json(self, url: str, payload: dict, headers: dict[str, str], timeout: float) -> requests.Response:
        """POST `payload` as JSON; raises requests' own exceptions (Timeout, ConnectionError) like `post`."""
        request = requests.PreparedRequest()
        request.prepare_method("POST")
        request.url = _checked_url(url)
        request.prepare_headers({**self.headers, **headers})
        request.prepare_body(None, None, json=payload)
        settings = self.merge_environment_settings(url, {}, None, None, None)
        response = self.get_adapter(url).send(request, stream=False, timeout=timeout, verify=settings["verify"],
                                              cert=settings["cert"], proxies=settings["proxies"])
        _ = response.content  # read it all now: the connection goes back to the pool, as Session.send does
        return response


@lru_cache(maxsize=64)
def _checked_url(url: str) -> str:
    """requests' URL parsing, IDNA and quoting, once per URL: the platform endpoints are a handful."""
    request = requests.PreparedRequest()
    request.prepare_url(url, None)
    return request.url


def make_session(pool: int = 32) -> PlatformSession:
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
