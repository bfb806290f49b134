"""Which errors mean "a store is away" (PostgreSQL or Redis down, hung, read-only, refusing writes)
rather than "this one event or resident is broken".

The difference decides what happens to a queued event: an outage keeps it queued (retried with
backoff, the webhook answers 503) because nothing could be written about it anyway; any other error
costs only that event (a dead letter staff see). Nothing here retries or logs: callers decide.
"""
from __future__ import annotations

import sqlite3

# SQLSTATE classes and codes that say the server, not the statement, is the problem:
# 08 connection exception, 53 insufficient resources (disk full, too many connections),
# 57 operator intervention (admin shutdown, crash recovery, cannot connect now),
# 25006 read-only transaction (a standby, or writes refused), 40001/40P01 serialization/deadlock.
_OUTAGE_CLASSES = ("08", "53", "57")
_OUTAGE_CODES = ("25006", "40001", "40P01", "58000", "58030")
_SQLITE_OUTAGES = ("database is locked", "readonly database", "disk i/o error", "unable to open database",
                   "database or disk is full")
_REDIS_REFUSALS = ("MISCONF", "READONLY", "LOADING", "MASTERDOWN", "OOM")


class StoreUnavailable(RuntimeError):
    """A store the work needs is away; whoever holds the work keeps it and tries again later."""


def is_outage(error: BaseException) -> bool:
    """True when `error` (or what it wraps) says a store is unreachable or refuses writes."""
    seen = 0
    while error is not None and seen < 5:
        if isinstance(error, StoreUnavailable) or _redis_outage(error) or _sql_outage(error):
            return True
        error = error.__cause__ or getattr(error, "orig", None)
        seen += 1
    return False


def _redis_outage(error: BaseException) -> bool:
    try:
        from redis import exceptions
    except ImportError:  # pragma: no cover - redis is a dependency
        return False
    if isinstance(error, (exceptions.ConnectionError, exceptions.TimeoutError, exceptions.ReadOnlyError)):
        return True
    return isinstance(error, exceptions.ResponseError) and str(error).split(" ", 1)[0] in _REDIS_REFUSALS


def _sql_outage(error: BaseException) -> bool:
    from sqlalchemy import exc

    if isinstance(error, exc.DBAPIError) and error.connection_invalidated:
        return True
    if isinstance(error, (exc.DisconnectionError, exc.TimeoutError)):  # pool exhausted or server gone
        return True
    code = getattr(error, "sqlstate", None)  # psycopg errors carry their SQLSTATE
    if isinstance(code, str) and (code[:2] in _OUTAGE_CLASSES or code in _OUTAGE_CODES):
        return True
    if _is_psycopg_operational(error):
        return True
    if isinstance(error, sqlite3.OperationalError):
        return any(text in str(error).lower() for text in _SQLITE_OUTAGES)
    return False


def _is_psycopg_operational(error: BaseException) -> bool:
    """psycopg's OperationalError without a SQLSTATE: the connection failed before the server spoke."""
    try:
        import psycopg
    except ImportError:  # pragma: no cover - the embedded default needs no PostgreSQL driver
        return False
    return isinstance(error, (psycopg.OperationalError, psycopg.InterfaceError)) and not getattr(error, "sqlstate", None)
