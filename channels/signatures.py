"""Webhook signatures, checked on the raw body bytes exactly as received (never a re-serialised dict).

Headers come from strangers: any text (non-ASCII, lone surrogates) gives False, never an exception,
because the comparisons are made on bytes (`hmac.compare_digest` raises TypeError on non-ASCII str)."""
from __future__ import annotations

import hashlib
import hmac


def facebook_valid(raw: bytes, header: str | None, app_secret: str | None) -> bool:
    """X-Hub-Signature-256: "sha256=" + HMAC-SHA256(app secret, raw body), compared in constant time."""
    if not app_secret or not header or not header.startswith("sha256="):
        return False
    expected = hmac.new(app_secret.encode("utf-8"), raw, hashlib.sha256).hexdigest()
    return same_secret(expected, header[len("sha256="):].strip().lower())


def same_secret(expected: str, given: str) -> bool:
    """Constant-time equality of two texts of any characters (compared as UTF-8 bytes)."""
    return hmac.compare_digest(expected.encode("utf-8", "surrogatepass"), given.encode("utf-8", "surrogatepass"))


def facebook_signature(raw: bytes, app_secret: str) -> str:
    return "sha256=" + hmac.new(app_secret.encode("utf-8"), raw, hashlib.sha256).hexdigest()


def zalo_mac(first_id: str, raw: bytes, timestamp: str, oa_secret: str) -> str:
    """sha256(appId + body + timestamp + OA secret key): a plain digest, not an HMAC (channels.md B2)."""
    return hashlib.sha256(first_id.encode("utf-8", "surrogatepass") + raw + timestamp.encode("utf-8", "surrogatepass")
                          + oa_secret.encode("utf-8")).hexdigest()


def zalo_valid(raw: bytes, header: str | None, timestamp: str, candidate_ids: list[str],
               oa_secret: str | None) -> bool:
    """X-ZEvent-Signature, with or without its "mac=" prefix. Sources disagree whether the first
    term is the app id or the OA id, so both configured candidates are accepted."""
    if not oa_secret or not header:
        return False
    given = header.strip()
    given = given[4:] if given.lower().startswith("mac=") else given
    given = given.lower()
    matches = [same_secret(zalo_mac(i, raw, timestamp, oa_secret), given) for i in candidate_ids if i]
    return any(matches)
