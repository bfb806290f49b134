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
@click.option("--folds", default=5, show_default=True, type=click.IntRange(2, 20),
              help="Folds of the cross-validation over the residents' messages.")
@click.option("--set", "paths", type=click.Path(exists=True, dir_okay=False, path_type=Path), multiple=True,
              help="Residents' messages (message<TAB>codes[<TAB>note]), repeatable; "
                   "default every knowledge/data/catalogue_residents*.tsv.")
def calibrate_command(dry_run: bool, folds: int, paths: tuple[Path, ...]) -> None:
    """Choose the catalogue's thresholds by cross-validation over residents' messages written for
    the project (the bot's whole path, curated intents first), and report the generated-question figure."""
    from knowledge.catalogue_calibrate import calibrate, residents_lines, write_thresholds
    from knowledge.catalogue_store import THRESHOLDS, catalogue
    from knowledge.cli import ensure_knowledge_base
    from knowledge.content import load_entries
    from knowledge.store import knowledge_base

    ensure_knowledge_base()
    ensure_catalogue()
    index = catalogue().index()
    if index is None:
        click.echo("no catalogue imported: `flask --app app catalogue import DIR` first", err=True)
        sys.exit(2)
    lines = residents_lines(paths) if paths else residents_lines()
    report = calibrate(knowledge_base().snapshot(), index, load_entries(), lines, k=folds,
                       limit=current_app.config["MAX_MESSAGE_CHARS"])
    click.echo(report.describe())
    if not dry_run:
        write_thresholds(report, THRESHOLDS)
