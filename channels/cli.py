"""`flask --app app communes add|list|set`: communes and their Facebook Page / Zalo OA credentials.

A token given as "-" is read from standard input (one per line, in option order), so it
stays out of the shell history and the process list.
"""
from __future__ import annotations

import json
import sys

import click
from flask import current_app
from flask.cli import AppGroup

from channels.crypto import TokenKeyError
from channels.models import FACEBOOK, ZALO
from channels.tenancy import COMMUNE_FIELDS, Credentials, TenancyError, add_commune, describe, get_commune, set_account, update_commune
from infra.db import session_scope
from infra.migrate import upgrade_database

communes_cli = AppGroup("communes", help="Communes and their Facebook Page / Zalo OA accounts.")


def _office_hours(_ctx, _param, value: str | None) -> dict | None:
    if value is None:
        return None
    try:
        hours = json.loads(value)
    except ValueError:
        raise click.BadParameter('expected JSON, e.g. {"days": [0,1,2,3,4], "periods": [["07:30","11:30"]]}')
    if not isinstance(hours, dict):
        raise click.BadParameter("expected a JSON object")
    return hours


def _secret(value: str | None) -> str | None:
    if value != "-":
        return value
    line = sys.stdin.readline().strip()
    if not line:
        raise click.UsageError("expected a token on standard input")
    return line


def commune_options(func):
    options = [
        click.option("--name"), click.option("--province"), click.option("--address"), click.option("--phone"),
        click.option("--office-hours", callback=_office_hours, help="JSON: {days, periods, note}"),
        click.option("--police-name", help="the commune police post, e.g. \"Công an xã An Bình\""),
        click.option("--police-address"), click.option("--police-phone"),
        click.option("--police-hours", callback=_office_hours, help="JSON like --office-hours"),
        click.option("--facebook-page-id"), click.option("--facebook-page-token", help='token, or "-" for stdin'),
        click.option("--zalo-oa-id"), click.option("--zalo-access-token", help='token, or "-" for stdin'),
        click.option("--zalo-refresh-token", help='token, or "-" for stdin'),
        click.option("--zalo-expires-in", type=click.IntRange(min=0), help="seconds the access token has left"),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _save(slug: str, create: bool, opts: dict) -> None:
    upgrade_database(current_app.config["DATABASE_URL"])
    fields = {k: opts[k] for k in COMMUNE_FIELDS}
    facebook = Credentials(opts["facebook_page_id"], _secret(opts["facebook_page_token"]))
    zalo = Credentials(opts["zalo_oa_id"], _secret(opts["zalo_access_token"]),
                       _secret(opts["zalo_refresh_token"]), opts["zalo_expires_in"])
    try:
        with session_scope() as session:
            commune = add_commune(session, slug, fields) if create else get_commune(session, slug)
            if not create:
                update_commune(commune, fields)
            set_account(session, commune, FACEBOOK, facebook)
            set_account(session, commune, ZALO, zalo)
    except (TenancyError, TokenKeyError) as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"commune {slug} {'added' if create else 'updated'}")


@communes_cli.command("add")
@click.argument("slug")
@commune_options
def add_command(slug: str, **opts) -> None:
    """Add a commune (SLUG, --name required) with optional Page / OA credentials."""
    _save(slug, True, opts)


@communes_cli.command("set")
@click.argument("slug")
@commune_options
def set_command(slug: str, **opts) -> None:
    """Change a commune's details or its Page / OA credentials; omitted options stay as they are."""
    _save(slug, False, opts)


@communes_cli.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per commune.")
def list_command(as_json: bool) -> None:
    """Communes with their Page / OA ids; tokens are shown only as set or missing."""
    upgrade_database(current_app.config["DATABASE_URL"])
    with session_scope() as session:
        rows = describe(session)
    for row in rows:
        if as_json:
            click.echo(json.dumps(row, ensure_ascii=False))
            continue
        fb, zl = row[FACEBOOK], row[ZALO]
        click.echo(f"{row['slug']}\t{row['name']}\t{row['phone'] or '-'}\t{row['address'] or '-'}"
                   f"\tfacebook={fb['id'] + ' token ' + fb['access_token'] if fb else '-'}"
                   f"\tzalo={zl['id'] + ' token ' + zl['access_token'] + ' expires ' + str(zl['expires_at']) if zl else '-'}")


@communes_cli.command("demo")
@click.argument("slug")
@commune_options
def demo_command(slug: str, **opts) -> None:
    """Make a local demo ready in one process (scripts/start): the migrations, the knowledge base
    from the data files, and the commune SLUG with the given details unless it exists already
    (staff changes to an existing one are kept)."""
    from knowledge.store import import_from_files

    upgrade_database(current_app.config["DATABASE_URL"])
    stats = import_from_files()
    click.echo(f"knowledge base: {stats['entries']} entries ({stats['created']} created, {stats['updated']} updated)")
    with session_scope() as session:
        exists = any(row["slug"] == slug for row in describe(session))
    if exists:
        click.echo(f"commune {slug} exists already: kept as it is")
    else:
        _save(slug, True, opts)
