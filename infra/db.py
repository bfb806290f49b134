"""SQLAlchemy engine and sessions for the app, its CLI commands and its workers."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from flask import Flask, current_app, g
from sqlalchemy import create_engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, hide_parameters=True)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    # hide_parameters: a failed statement's message (logged) never carries what a resident wrote;
    # connect_timeout: a PostgreSQL that does not answer fails the caller in seconds, not minutes
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10, hide_parameters=True,
                         connect_args={"connect_timeout": 5} if url.startswith("postgresql") else {})


def dialect_insert(dialect: str, model):
    """INSERT with the database's own extensions (on_conflict_do_update/nothing): PostgreSQL or SQLite."""
    if dialect == "postgresql":
        return postgresql.insert(model)
    return sqlite.insert(model)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # WAL lets the in-process worker write while the web thread reads.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def init_app(app: Flask) -> None:
    engine = make_engine(app.config["DATABASE_URL"])
    app.extensions["db_engine"] = engine
    app.extensions["db_sessionmaker"] = sessionmaker(bind=engine, expire_on_commit=False)
    app.teardown_appcontext(_close_session)


def get_session() -> Session:
    """The session of the current app context, created on first use."""
    if "db_session" not in g:
        g.db_session = _new_session()
    return g.db_session


@contextmanager
def session_scope() -> Iterator[Session]:
    """A session of its own, committed on success: for workers and CLI commands."""
    session = _new_session()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


@contextmanager
def pinned_connection() -> Iterator[None]:
    """Every session of this app context uses one connection until the block ends.

    A worker job answers many events, each in a few short transactions; checking a connection out
    of the pool (and pinging it) for each one cost more than the statements. A connection broken
    meanwhile is replaced on its next use, after the failed transaction is rolled back."""
    _close_session(None)
    g.db_connection = current_app.extensions["db_engine"].connect()
    try:
        yield
    finally:
        _close_session(None)
        g.pop("db_connection").close()


def _new_session() -> Session:
    pinned = g.get("db_connection") if g else None
    make = current_app.extensions["db_sessionmaker"]
    return make(bind=pinned) if pinned is not None else make()


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()
