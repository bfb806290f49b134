"""The commune's Facebook Page / Zalo OA in the settings page: ids shown, tokens write-only.

Credentials are stored by the channels package (channels.tenancy, encrypted by channels.crypto);
the admin never reads a token back, it only says whether one is set.
"""
from __future__ import annotations

from sqlalchemy import select

from i18n import N_
from infra.db import get_session
from infra.models import Commune

from channels import crypto, tenancy
from channels.models import FACEBOOK, ZALO, ChannelAccount

TOKEN_FIELDS = {"facebook": ("access_token",), "zalo": ("access_token", "refresh_token")}


class PlatformError(ValueError):
    pass


def summaries(commune: Commune) -> dict[str, dict | None]:
    accounts = {a.platform: a for a in get_session().scalars(
        select(ChannelAccount).where(ChannelAccount.commune_id == commune.id))}
    return {platform: _summary(accounts.get(platform)) for platform in (FACEBOOK, ZALO)}


def _summary(account) -> dict | None:
    if account is None:
        return None
    return {"id": account.external_id, "access_token": bool(account.access_token),
            "refresh_token": bool(account.refresh_token)}


def save(commune: Commune, form) -> None:
    """Apply the ids typed and any token typed; an empty token field leaves the stored token alone."""
    for platform in (FACEBOOK, ZALO):
        external_id = (form.get(f"{platform}_id") or "").strip()[:64] or None
        tokens = {name: (form.get(f"{platform}_{name}") or "").strip() or None for name in TOKEN_FIELDS[platform]}
        if external_id is not None and not external_id.isdigit():
            raise PlatformError(N_("A Page or OA id is a number."))
        creds = tenancy.Credentials(external_id=external_id, **tokens)
        try:
            tenancy.set_account(get_session(), commune, platform, creds)
        except tenancy.AccountTaken:
            get_session().rollback()  # the failed flush left the session unusable: nothing is saved
            raise PlatformError(N_("This Page or OA id already belongs to another commune.")) from None
        except tenancy.TenancyError as exc:
            raise PlatformError(str(exc)) from None
        except crypto.TokenKeyError:
            raise PlatformError(N_("Tokens cannot be stored: the server has no token encryption key.")) from None
