"""Importable job functions for the job-queue tests (RQ pickles a job by module and name)."""
from __future__ import annotations

from flask import current_app


def record(key: str, value: str) -> str:
    """Write into the app's store, which proves the job ran inside an app context."""
    current_app.extensions["store"].set(key, value, ttl=60)
    return f"{current_app.config['DATABASE_URL'].split(':', 1)[0]}:{value}"


def fail(message: str) -> None:
    raise RuntimeError(message)
