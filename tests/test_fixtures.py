"""The fixtures of conftest.py: each test gets its own database and keyspace on the chosen backend."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from infra.db import get_session, session_scope
from infra.models import Commune


def _commune_count(app) -> int:
    with app.app_context():
        return get_session().scalar(select(func.count()).select_from(Commune))


@pytest.mark.parametrize("round_", [1, 2])
def test_each_test_starts_empty(app, round_):
    """Run twice: the second round would see the first round's rows and keys if they leaked."""
    assert _commune_count(app) == 0
    store = app.extensions["store"]
    assert store.get("leak") is None
    with app.app_context(), session_scope() as session:
        session.add(Commune(slug="leak", name="Leak"))
    store.set("leak", "1")
    assert _commune_count(app) == 1


def test_app_settings(app, backend):
    assert app.testing is True
    assert app.config["SECRET_KEY"] == "test"
    assert app.config["JOBS_INLINE"] is True
    if backend == "services":
        assert app.config["DATABASE_URL"].startswith("postgresql+psycopg://postgres@127.0.0.1:")
        assert app.config["REDIS_URL"].startswith("redis://127.0.0.1:")
    else:
        assert app.config["DATABASE_URL"].startswith("sqlite:///")
        assert app.config["REDIS_URL"] is None


def test_make_app_shares_the_database(app, make_app):
    other = make_app(DEFAULT_LANGUAGE="en")
    assert other.config["DEFAULT_LANGUAGE"] == "en"
    assert other.config["DATABASE_URL"] == app.config["DATABASE_URL"]
    with other.app_context(), session_scope() as session:
        session.add(Commune(slug="shared", name="Shared"))
    assert _commune_count(app) == 1


def test_client_and_runner(client, runner):
    assert client.get("/no-such-page").status_code == 404
    result = runner.invoke(args=["db", "--help"])
    assert result.exit_code == 0 and "upgrade" in result.output


@pytest.mark.services
def test_services_marker_runs_only_in_services_run(backend, redis_server, postgres_server):
    assert backend == "services"
    assert redis_server.startswith("redis://127.0.0.1:")
    assert postgres_server.startswith("postgresql+psycopg://postgres@127.0.0.1:")


@pytest.mark.embedded
def test_embedded_marker_runs_only_in_embedded_run(backend):
    assert backend == "embedded"


class TestAppConfigOverride:
    @pytest.fixture
    def app_config(self):
        return {"DEFAULT_LANGUAGE": "en", "MAX_MESSAGE_CHARS": 10}

    def test_override(self, app):
        assert app.config["DEFAULT_LANGUAGE"] == "en"
        assert app.config["MAX_MESSAGE_CHARS"] == 10


SEED_CALLS: list[str] = []


def _seed_two_communes(app) -> None:
    SEED_CALLS.append(app.config["DATABASE_URL"])
    with session_scope() as session:
        session.add_all([Commune(slug="an-binh", name="Xã An Bình"), Commune(slug="tan-lap", name="Xã Tân Lập")])


class TestDatabaseSeed:
    @pytest.fixture
    def database_seed(self):
        return _seed_two_communes

    @pytest.mark.parametrize("round_", [1, 2, 3])
    def test_seeded_rows_are_there_and_private(self, app, round_):
        with app.app_context():
            slugs = sorted(get_session().scalars(select(Commune.slug)))
        assert slugs == ["an-binh", "tan-lap"]  # a later round would see the row added below
        assert len(SEED_CALLS) == 1  # seeded once, copied for each test
        assert SEED_CALLS[0] != app.config["DATABASE_URL"]
        with app.app_context(), session_scope() as session:
            session.add(Commune(slug=f"round-{round_}", name="Leak"))
