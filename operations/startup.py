"""The configuration a web or worker process refuses to start on, with a one-line reason.

Only what cannot work at all: a platform configured without PUBLIC_BASE_URL (a worker cannot
build the hand-off link /go/<token> outside a request, so that resident's reply would end as a dead
letter), and a TOKEN_ENCRYPTION_KEY that decrypts none of the stored platform tokens (a replaced
key: no reply could be sent). One commune's undecryptable token is not a reason to stop the others:
`flask --app app doctor` names it, and its residents' events become dead letters staff see.
A database that does not answer yet is not a configuration fault: the check is skipped then.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import Flask

from infra.outage import is_outage

log = logging.getLogger(__name__)

PLATFORM_SECRETS = (("Messenger", "FACEBOOK_APP_SECRET"), ("Zalo", "ZALO_OA_SECRET_KEY"))


class UnworkableConfiguration(RuntimeError):
    """The process must not start; the text is the one-line reason."""


@dataclass
class StoredToken:
    commune: str
    platform: str
    external_id: str
    kind: str  # access | refresh
    ciphertext: str


def stored_tokens() -> list[StoredToken]:
    """Every encrypted token in the database (inside an app context)."""
    from sqlalchemy import select

    from channels.models import ChannelAccount
    from infra.db import session_scope
    from infra.models import Commune

    tokens = []
    with session_scope() as db:
        rows = db.execute(select(ChannelAccount, Commune.slug).join(Commune, Commune.id == ChannelAccount.commune_id)
                          .order_by(Commune.slug, ChannelAccount.platform))
        for account, slug in rows:
            for kind, value in (("access", account.access_token), ("refresh", account.refresh_token)):
                if value:
                    tokens.append(StoredToken(slug, account.platform, account.external_id, kind, value))
    return tokens


def decrypt_error(token: StoredToken) -> str | None:
    """Why the token cannot be decrypted with the configured key, or None when it can."""
    from channels import crypto

    try:
        crypto.decrypt(token.ciphertext)
    except crypto.TokenKeyError as error:
        return str(error)
    return None


def configured_platforms(app: Flask) -> list[str]:
    return [name for name, key in PLATFORM_SECRETS if app.config.get(key)]


def unworkable_reason(app: Flask) -> str | None:
    """The one-line reason this configuration cannot work, or None."""
    platforms = configured_platforms(app)
    with app.app_context():
        try:
            tokens = stored_tokens()
        except Exception as error:
            if not is_outage(error):
                raise
            log.warning("start-up check of the stored tokens skipped: the database does not answer (%s)",
                        type(error).__name__)
            tokens = None
        if (platforms or tokens) and not app.config.get("PUBLIC_BASE_URL"):
            what = " and ".join(platforms) or "platform accounts"
            return (f"{what} configured but PUBLIC_BASE_URL is empty: workers cannot build the hand-off links "
                    "(/go/...) of their replies; set PUBLIC_BASE_URL=https://<this host>")
        if tokens:
            failures = [decrypt_error(token) for token in tokens]
            if all(failures):
                return (f"TOKEN_ENCRYPTION_KEY decrypts none of the {len(tokens)} stored platform tokens "
                        f"({failures[0]}); put the previous key back or re-enter the tokens with "
                        "`flask --app app communes set`")
    return None


def refuse_unworkable(app: Flask) -> None:
    """Raise UnworkableConfiguration with the reason, for the web and worker entry points."""
    reason = unworkable_reason(app)
    if reason:
        log.critical("refusing to start: %s", reason)
        raise UnworkableConfiguration(f"refusing to start: {reason}")
