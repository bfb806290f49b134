"""`flask --app app kb import|match|check`: load the knowledge base and query the matcher."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from infra.migrate import upgrade_database
from knowledge.content import catalogue_ids, load_entries
from knowledge.store import import_from_files, knowledge_base

kb_cli = AppGroup("kb", help="Knowledge base.")


def ensure_knowledge_base() -> None:
    """Migrate and import (idempotent), so a fresh checkout answers at once and an
    updated checkout answers from its current data files."""
    upgrade_database(current_app.config["DATABASE_URL"])
    import_from_files()


@kb_cli.command("import")
def import_command() -> None:
    """Load procedures, FAQ, meta entries and phrasings from the data files (idempotent)."""
    upgrade_database(current_app.config["DATABASE_URL"])
    stats = import_from_files()
    click.echo(f"{stats['entries']} entries: {stats['created']} created, {stats['updated']} updated, "
               f"{stats['kept']} kept as edited by staff")


@kb_cli.command("match")
@click.option("--details", is_flag=True, help="Also print the decision and the closest intents.")
def match_command(details: bool) -> None:
    """Read one message per line on stdin; write {"intent", "score", "catalogue"} per line on stdout."""
    from knowledge.catalogue_cli import ensure_catalogue
    from knowledge.catalogue_store import catalogue
    from knowledge.catalogue_tier import resolve

    ensure_knowledge_base()
    ensure_catalogue()
    snapshot, tier = knowledge_base().snapshot(), catalogue().index()
    limit = current_app.config["MAX_MESSAGE_CHARS"]
    for line in sys.stdin:
        answered = resolve(snapshot, tier, line.rstrip("\n")[:limit])
        result = answered.match
        intent = "none" if answered.contested else result.intent  # the bot does not answer with it
        answer = {"intent": intent, "score": result.score, "catalogue": answered.code}
        if details:
            answer["decision"] = result.decision
            answer["candidates"] = [[c.intent, c.score] for c in result.candidates]
            if answered.catalogue is not None:
                answer["catalogue_decision"] = answered.catalogue.decision
                answer["catalogue_hits"] = [[h.code, h.score] for h in answered.catalogue.hits]
        sys.stdout.write(json.dumps(answer, ensure_ascii=False) + "\n")


@kb_cli.command("check")
@click.argument("catalogue", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def check_command(catalogue: Path) -> None:
    """Verify that every id of an intent catalogue TSV has an entry with phrasings."""
    entries = {e.id: e for e in load_entries()}
    problems = [f"{i}: no entry" for i in catalogue_ids(catalogue) if i not in entries]
    problems += [f"{e.id}: no phrasings" for e in entries.values() if not e.phrasings]
    for problem in problems:
        click.echo(problem, err=True)
    sys.exit(1 if problems else 0)


@kb_cli.command("calibrate")
@click.option("--max-wrong", default=0.02, show_default=True, help="Cap on wrong answers among held-out lines.")
@click.option("--dry-run", is_flag=True, help="Print the thresholds without writing them.")
def calibrate_command(max_wrong: float, dry_run: bool) -> None:
    """Choose the decision thresholds by cross-validation over the phrasings (no eval set involved)."""
    from knowledge.calibrate import choose, repeated_cross_validate, write_thresholds
    from knowledge.store import THRESHOLDS

    report = choose(repeated_cross_validate(load_entries()), max_wrong=max_wrong)
    click.echo(f"answer ≥ {report.thresholds.answer}, margin ≥ {report.thresholds.margin}, "
               f"clarify ≥ {report.thresholds.clarify}, none weight {report.thresholds.none_weight}: "
               f"held-out accuracy {report.accuracy:.3f}, "
               f"rejection {report.rejection:.3f}, wrong {report.wrong:.3f} over {report.lines} lines")
    if not dry_run:
        write_thresholds(report, THRESHOLDS)
