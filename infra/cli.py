"""`flask --app app db upgrade`: bring the database schema to the current revision."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from infra.migrate import upgrade_database

db_cli = AppGroup("db", help="Database schema.")


@db_cli.command("upgrade")
@click.argument("revision", default="heads")
def upgrade(revision: str) -> None:
    """Apply Alembic migrations up to REVISION (default: every head)."""
    upgrade_database(current_app.config["DATABASE_URL"], revision)
    click.echo(f"database at {revision}")
