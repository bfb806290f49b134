"""migrations/: upgrading to the heads builds the tables of the models, on SQLite and PostgreSQL.

The models are those on ``infra.models.Base.metadata`` once migrations/env.py has imported
its model modules (running an upgrade does that). Several heads are allowed: parallel work
adds revisions on branches, and infra.migrate.upgrade_database upgrades to all of them.
"""
from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text

from infra.migrate import alembic_config, upgrade_database
from infra.models import Base


@pytest.fixture(params=[pytest.param("sqlite", marks=pytest.mark.embedded),
                        pytest.param("postgresql", marks=pytest.mark.services)])
def empty_database(request, tmp_path):
    """URL of a database with no tables at all: SQLite in the embedded run, PostgreSQL in the other."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.db'}"
    return request.getfixturevalue("postgres_database")()


def head_revisions(url: str) -> set[str]:
    return set(ScriptDirectory.from_config(alembic_config(url)).get_heads())


def current_revisions(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return set(MigrationContext.configure(conn).get_current_heads())
    finally:
        engine.dispose()


def schema(url: str) -> dict:
    """Tables -> (columns, indexes, unique constraints, foreign keys), as the database reports them."""
    engine = create_engine(url)
    try:
        insp = inspect(engine)
        return {
            table: (
                {c["name"]: (str(c["type"]), c["nullable"]) for c in insp.get_columns(table)},
                sorted((i["name"], tuple(i["column_names"]), bool(i["unique"])) for i in insp.get_indexes(table)),
                sorted(tuple(u["column_names"]) for u in insp.get_unique_constraints(table)),
                sorted((tuple(f["constrained_columns"]), f["referred_table"]) for f in insp.get_foreign_keys(table)),
            )
            for table in insp.get_table_names()
        }
    finally:
        engine.dispose()


def test_revision_graph_is_sound():
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    heads = script.get_heads()
    assert heads, "no migration at all"
    assert script.get_bases() == ["0001"], "every revision must descend from 0001"
    for head in heads:  # walks down to the base: raises on a missing down_revision
        assert list(script.iterate_revisions(head, "base"))[-1].revision == "0001"


def test_upgrade_creates_model_tables(empty_database):
    assert schema(empty_database) == {}
    assert current_revisions(empty_database) == set()

    upgrade_database(empty_database)  # also imports env.py's model modules onto Base.metadata

    tables = schema(empty_database)
    assert set(tables) == set(Base.metadata.tables) | {"alembic_version"}
    for name, table in Base.metadata.tables.items():
        columns, indexes, uniques, fks = tables[name]
        assert set(columns) == set(table.columns.keys()), name
        for column in table.columns:
            assert columns[column.name][1] == column.nullable, f"{name}.{column.name} nullable"
        wanted_indexes = {ix.name for ix in table.indexes}
        assert wanted_indexes <= {ix[0] for ix in indexes}, name
        wanted_fks = sorted((tuple(c.name for c in fk.columns), fk.referred_table.name)
                            for fk in table.foreign_key_constraints)
        assert fks == wanted_fks, name
    assert current_revisions(empty_database) == head_revisions(empty_database)


def test_models_match_migrations(empty_database):
    """A model changed without a new Alembic revision shows up here as a difference."""
    upgrade_database(empty_database)
    engine = create_engine(empty_database)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()
    assert diff == [], "infra/models.py and migrations/ differ: add a revision (alembic revision --autogenerate)"


def test_upgrade_twice_is_a_noop(empty_database):
    upgrade_database(empty_database)
    engine = create_engine(empty_database)
    try:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO communes (slug, name, created_at) VALUES ('a', 'Xã A', CURRENT_TIMESTAMP)"))
    finally:
        engine.dispose()
    before = schema(empty_database)

    upgrade_database(empty_database)

    assert schema(empty_database) == before
    assert current_revisions(empty_database) == head_revisions(empty_database)
    engine = create_engine(empty_database)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT slug, name FROM communes")).all() == [("a", "Xã A")]
            assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar() == len(head_revisions(empty_database))
    finally:
        engine.dispose()


def test_downgrade_to_base_and_back(empty_database):
    from alembic import command

    upgrade_database(empty_database)
    command.downgrade(alembic_config(empty_database), "base")
    assert set(schema(empty_database)) <= {"alembic_version"}
    upgrade_database(empty_database)
    assert set(schema(empty_database)) == set(Base.metadata.tables) | {"alembic_version"}


def test_db_upgrade_command(runner, app):
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert "database at" in result.output
    url = app.config["DATABASE_URL"]
    assert current_revisions(url) == head_revisions(url)


def test_app_database_is_migrated_and_matches_backend(app, backend):
    url = app.config["DATABASE_URL"]
    assert url.startswith("postgresql+psycopg://" if backend == "services" else "sqlite:///")
    assert current_revisions(url) == head_revisions(url)
    assert set(Base.metadata.tables) <= set(schema(url))
