"""Tokens at rest: Fernet (AES-128-CBC + HMAC) with the key from TOKEN_ENCRYPTION_KEY."""
from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app


class TokenKeyError(RuntimeError):
    """The encryption key is missing or not a Fernet key; the text says how to make one."""


HOW_TO = ('set TOKEN_ENCRYPTION_KEY to a Fernet key, e.g. the output of: python -c '
          '"from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"')


def _fernet() -> Fernet:
    key = current_app.config.get("TOKEN_ENCRYPTION_KEY")
    if not key:
        raise TokenKeyError(f"no token encryption key: {HOW_TO}")
    try:
        return Fernet(key)
    except (ValueError, TypeError):
        raise TokenKeyError(f"TOKEN_ENCRYPTION_KEY is not a valid Fernet key: {HOW_TO}") from None


def encrypt(token: str | None) -> str | None:
    return None if token is None else _fernet().encrypt(token.encode("utf-8")).decode("ascii")


def decrypt(ciphertext: str | None) -> str | None:
    if ciphertext is None:
        return None
    try:
        return _fernet().decrypt(ciphertext.encode("ascii")).decode("utf-8")
    except InvalidToken:
        raise TokenKeyError("a stored token cannot be decrypted with TOKEN_ENCRYPTION_KEY (wrong key?)") from None
