"""`flask --app app catalogue import DIR | calibrate`: the national catalogue as a second tier."""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from infra.migrate import upgrade_database
from knowledge.catalogue_import import SnapshotError
from knowledge.catalogue_store import catalogue_size, default_snapshot, import_snapshot

catalogue_cli = AppGroup("catalogue", help="The national procedure catalogue (second tier of knowledge).")


@catalogue_cli.command("import")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--show", default=10, show_default=True, help="How many added/changed/removed codes to list.")
def import_command(folder: Path, show: int) -> None:
    """Import a portal snapshot (catalog.jsonl, details/, provinces.json); idempotent."""
    upgrade_database(current_app.config["DATABASE_URL"])
    try:
        report = import_snapshot(folder)
    except SnapshotError as error:
        click.echo(f"not imported: {error}", err=True)
        sys.exit(2)
    click.echo(report.summary())
    for label, codes in (("added", report.added), ("changed", report.changed), ("removed", report.removed)):
        if codes and show:
            more = f" … (+{len(codes) - show})" if len(codes) > show else ""
            click.echo(f"  {label}: {', '.join(codes[:show])}{more}")


def ensure_catalogue() -> None:
    """`kb match` and the start script answer from the database's catalogue; when none was
    imported yet and the shared snapshot is at hand, import it first (idempotent)."""
    snapshot = default_snapshot()
    if snapshot is not None and catalogue_size() == 0:
        import_snapshot(snapshot)


@catalogue_cli.command("calibrate")
@click.option("--dry-run", is_flag=True, help="Print the thresholds without writing them.")
def calibrate_command(dry_run: bool) -> None:
    """Choose the catalogue's thresholds on held-out messages generated from the catalogue itself."""
    from knowledge.catalogue_calibrate import calibrate, write_thresholds
    from knowledge.catalogue_store import THRESHOLDS, procedures_from_database
    from knowledge.content import load_entries

    report = calibrate(procedures_from_database(), load_entries())
    click.echo(report.describe())
    if not dry_run:
        write_thresholds(report, THRESHOLDS)
