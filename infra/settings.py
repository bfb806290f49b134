"""Settings read from environment variables, with defaults that run the embedded bot."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

DEFAULTS: dict[str, object] = {
    "DEFAULT_LANGUAGE": "vi",
    "CONVERSATION_TTL": 30 * 60,  # seconds a conversation state lives after the last message
    "DEDUP_TTL": 24 * 60 * 60,  # platforms redeliver within hours; a day is safe
    "MAX_MESSAGE_CHARS": 2000,  # longer texts are cut before matching
    "PORTAL_BASE_URL": "https://dichvucong.gov.vn",
    "FACEBOOK_GRAPH_URL": "https://graph.facebook.com/v23.0",
    "ZALO_OPENAPI_URL": "https://openapi.zalo.me",
    "ZALO_OAUTH_URL": "https://oauth.zaloapp.com",
    "JOBS_INLINE": False,  # tests may run jobs synchronously in the request
    "WEBCHAT_COMMUNE": "demo",  # the commune the local web chat speaks for
    # guided flows (procedures/flow.py): a paused flow can be resumed within FLOW_TTL; prepared
    # form data and its /go/<token> link expire after PREFILL_TTL
    "FLOW_TTL": 20 * 60,
    "PREFILL_TTL": 7 * 24 * 60 * 60,
    "PUBLIC_BASE_URL": "",  # e.g. https://bot.example.gov.vn; empty: the host of the request
    # Messenger / Zalo channels (channels/): windows, retries, limits
    "WEBHOOK_MAX_BODY": 1024 * 1024,  # Messenger batches up to 1,000 updates in one POST
    "MESSENGER_WINDOW_HOURS": 24,  # standard messaging window after the resident's last message
    "ZALO_WINDOW_HOURS": 7 * 24,  # consultation messages need an interaction within 7 days (free for 48 h)
    "SEND_TIMEOUT": 10,  # seconds per Send API call
    "DELIVERY_MAX_ATTEMPTS": 6,  # transient failures are retried up to this many sends in all
    "DELIVERY_RETRY_BASE_MS": 2000,  # first retry delay; doubles each attempt, full jitter
    "DELIVERY_RETRY_MAX_MS": 5 * 60 * 1000,
    "TYPING_INDICATOR_AFTER_MS": 1500,  # show "typing" when an answer takes longer than this
    "ZALO_REFRESH_MARGIN": 5 * 60 * 60,  # refresh the 25 h Zalo access token when it has less left
    # bounds (README "Security"): bodies, event age, request rates (Flask-Limiter syntax, ";" between limits)
    "MAX_CONTENT_LENGTH": 1024 * 1024,  # any request body, enforced while reading (chunked too)
    "ZALO_EVENT_MAX_AGE": 10 * 60,  # seconds; older (or future) signed Zalo events are replays: 403. 0: off
    "WEBCHAT_RATE_RESIDENT": "20/minute;200/hour",  # web chat messages of one resident
    "WEBCHAT_POLL_RATE_RESIDENT": "40/minute",  # staff-reply polls of one resident (the page polls every 3 s)
    "WEBCHAT_RATE_IP": "600/minute",  # web chat and /go requests from one address (a whole office, NAT)
    "ADMIN_RATE_USER": "300/minute",  # admin requests of one signed-in staff member
    "ADMIN_RATE_IP": "900/minute",  # admin requests from one address
    "ADMIN_SESSION_TTL": 12 * 60 * 60,  # seconds a staff session lives without a request
    "TRUSTED_PROXIES": 0,  # reverse proxies in front (X-Forwarded-For/-Proto trusted from this many hops)

    # outreach/ (campaigns and reminders)
    "ZALO_FREE_HOURS": 48,  # consultation messages are free for 48 h after the last interaction
    "OUTREACH_RATE_PER_SECOND": 20,  # per Page/OA, shared by all workers (channels.md: inbox degrades > 40/s)
    "OUTREACH_QUIET_HOURS": "21:00-07:00",  # Asia/Ho_Chi_Minh; no campaign sends inside
    "OUTREACH_LEASE_SECONDS": 60,  # a row taken by a worker that died is taken again after this
    "OUTREACH_BATCH": 50,  # rows a worker takes at once
    "OUTREACH_SENDERS": 2,  # send jobs per running campaign
    "OUTREACH_SLICE_SECONDS": 10,  # a send job yields to other jobs after this long
    "OUTREACH_SWEEP_SECONDS": 15,  # how often workers restart the senders of a running campaign that died

    # personal data (bot/privacy.py): conversation text (transcripts, logged questions, handover texts,
    # reply deliveries, dead letters) is kept this many days, then purged by the workers every PRIVACY_PURGE_SECONDS
    "RETENTION_DAYS": 90,
    "PRIVACY_PURGE_SECONDS": 6 * 60 * 60,
    "INBOX_SWEEP_SECONDS": 5,  # how often workers look for events whose drainer died or was put off (channels/inbox.py)
    # operations: a store that hangs must fail fast (a webhook answers 503 and the platform redelivers)
    "REDIS_CONNECT_TIMEOUT": 1.0,  # seconds to open a connection to Redis
    "REDIS_SOCKET_TIMEOUT": 1.0,  # seconds to wait for a Redis reply (our commands take microseconds)
    "INBOX_RETRY_BASE_SECONDS": 1.0,  # a drain that met a store outage tries again after this, doubling
    "INBOX_RETRY_MAX_SECONDS": 60.0,
    "LOG_FORMAT": "json",  # json (one object per line, personal values redacted) or text
}

ENV_KEYS = (
    "SECRET_KEY", "DATABASE_URL", "REDIS_URL", "DEFAULT_LANGUAGE", "CONVERSATION_TTL",
    "DEDUP_TTL", "MAX_MESSAGE_CHARS", "PORTAL_BASE_URL", "FACEBOOK_GRAPH_URL", "ZALO_OPENAPI_URL",
    "ZALO_OAUTH_URL", "FACEBOOK_APP_SECRET", "FACEBOOK_VERIFY_TOKEN", "ZALO_APP_ID",
    "ZALO_APP_SECRET", "ZALO_OA_SECRET_KEY", "TOKEN_ENCRYPTION_KEY", "JOBS_INLINE", "WEBCHAT_COMMUNE",
    "FLOW_TTL", "PREFILL_TTL", "PUBLIC_BASE_URL",
    "WEBHOOK_MAX_BODY", "MESSENGER_WINDOW_HOURS", "ZALO_WINDOW_HOURS", "SEND_TIMEOUT", "DELIVERY_MAX_ATTEMPTS",
    "DELIVERY_RETRY_BASE_MS", "DELIVERY_RETRY_MAX_MS", "TYPING_INDICATOR_AFTER_MS", "ZALO_REFRESH_MARGIN",
    "INBOX_SWEEP_SECONDS",
    "MAX_CONTENT_LENGTH", "ZALO_EVENT_MAX_AGE", "WEBCHAT_RATE_RESIDENT", "WEBCHAT_POLL_RATE_RESIDENT",
    "WEBCHAT_RATE_IP", "ADMIN_RATE_USER", "ADMIN_RATE_IP", "ADMIN_SESSION_TTL", "TRUSTED_PROXIES",
    "ZALO_FREE_HOURS", "OUTREACH_RATE_PER_SECOND", "OUTREACH_QUIET_HOURS",
    "OUTREACH_LEASE_SECONDS", "OUTREACH_BATCH", "OUTREACH_SENDERS", "OUTREACH_SLICE_SECONDS", "OUTREACH_SWEEP_SECONDS",
    "RETENTION_DAYS", "PRIVACY_PURGE_SECONDS",
    "REDIS_CONNECT_TIMEOUT", "REDIS_SOCKET_TIMEOUT", "INBOX_RETRY_BASE_SECONDS",
    "INBOX_RETRY_MAX_SECONDS", "LOG_FORMAT",
)


def _coerce(value: str, default: object) -> object:
    if isinstance(default, bool):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(value)
    if isinstance(default, float):
        return float(value)
    return value


def load_settings(instance_path: str, overrides: dict | None = None) -> dict:
    """Defaults, then environment variables, then explicit overrides (tests)."""
    settings = dict(DEFAULTS)
    settings["DATABASE_URL"] = f"sqlite:///{Path(instance_path) / 'bot.db'}"
    settings["REDIS_URL"] = None
    for key in ENV_KEYS:
        if key in os.environ and os.environ[key] != "":
            settings[key] = _coerce(os.environ[key], DEFAULTS.get(key, ""))
    settings.update(overrides or {})
    if not settings.get("SECRET_KEY"):
        settings["SECRET_KEY"] = _instance_secret(Path(instance_path))
    return settings


def _instance_secret(instance: Path) -> str:
    """A per-install secret kept in instance/, so the embedded default needs no setup
    and signed links stay valid across restarts."""
    instance.mkdir(parents=True, exist_ok=True)
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()
