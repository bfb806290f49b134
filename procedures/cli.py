"""`flask --app app flows ...`: housekeeping of the guided flows' stored data."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from infra.db import get_session
from procedures import prefill

flows_cli = AppGroup("flows", help="Guided flows: prepared form data.")


@flows_cli.command("purge")
def purge() -> None:
    """Delete prepared form data past its expiry (run daily, e.g. from cron)."""
    count = prefill.purge_expired()
    get_session().commit()
    click.echo(f"deleted {count} expired prepared record(s)")
