"""infra.db.pinned_connection: one connection for a worker job, replaced after it breaks."""
from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from infra.db import get_session, pinned_connection, session_scope
from infra.models import Commune


def test_every_session_in_the_block_shares_one_connection_and_sees_committed_work(app):
    with app.app_context(), pinned_connection():
        with session_scope() as own:
            own.add(Commune(slug="xa-ghim", name="Xã Ghim"))
        pinned = get_session().connection().connection.dbapi_connection
        with session_scope() as own:
            assert own.connection().connection.dbapi_connection is pinned
        assert get_session().scalar(select(Commune.name).where(Commune.slug == "xa-ghim")) == "Xã Ghim"
    engine = app.extensions["db_engine"]
    assert engine.pool.checkedout() == 0  # given back when the block ends


def test_a_rolled_back_transaction_leaves_nothing_for_the_next_commit(app):
    with app.app_context(), pinned_connection():
        get_session().add(Commune(slug="xa-bo", name="Bỏ"))
        get_session().flush()
        get_session().rollback()
        get_session().add(Commune(slug="xa-giu", name="Giữ"))
        get_session().commit()
    with app.app_context():
        slugs = set(get_session().scalars(select(Commune.slug).where(Commune.slug.in_(["xa-bo", "xa-giu"]))))
    assert slugs == {"xa-giu"}


@pytest.mark.services
def test_a_connection_killed_by_the_server_is_replaced_after_the_rollback(app):
    with app.app_context(), pinned_connection():
        first_pid = get_session().scalar(text("SELECT pg_backend_pid()"))
        get_session().commit()
        with app.extensions["db_engine"].connect() as other:  # what a server restart does to the pinned one
            other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first_pid})
        with pytest.raises(DBAPIError):
            get_session().scalar(text("SELECT 1"))
        get_session().rollback()  # what the worker does after a failed event
        assert get_session().scalar(text("SELECT pg_backend_pid()")) != first_pid
