"""Personal data at rest: Fernet (AES-128-CBC + HMAC) with one key per purpose.

Each purpose ("prefill": a resident's prepared form, "delivery": a reply waiting to be sent,
"dead-letter": a message that could not be answered) gets its own key, derived with HKDF-SHA256
from TOKEN_ENCRYPTION_KEY when set, else from SECRET_KEY, so the embedded default needs no setup
and a leaked key of one purpose opens nothing else. It never logs what it seals.
"""
from __future__ import annotations

import base64
import json
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

# purpose -> (salt, info) of its HKDF derivation; "prefill" keeps the values its rows were written with
PURPOSES = {
    "prefill": (b"bot-prefill-v1", b"prefill"),
    "delivery": (b"bot-sealed-v1", b"delivery"),
    "dead-letter": (b"bot-sealed-v1", b"dead-letter"),
}


def secret() -> bytes:
    config = current_app.config
    return str(config.get("TOKEN_ENCRYPTION_KEY") or config["SECRET_KEY"]).encode()


@lru_cache(maxsize=32)
def _fernet_for(secret_bytes: bytes, purpose: str) -> Fernet:
    salt, info = PURPOSES[purpose]
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(secret_bytes)
    return Fernet(base64.urlsafe_b64encode(key))


def fernet(purpose: str) -> Fernet:
    return _fernet_for(secret(), purpose)


def seal(value: object, purpose: str) -> str:
    """`value` (anything JSON can hold) as a Fernet token for `purpose`."""
    return fernet(purpose).encrypt(json.dumps(value, ensure_ascii=False).encode()).decode()


def unseal(token: str | None, purpose: str) -> object | None:
    """What `seal` sealed, or None for no token, another key or a damaged token."""
    if not token:
        return None
    try:
        return json.loads(fernet(purpose).decrypt(token.encode()))
    except (InvalidToken, ValueError):
        return None
