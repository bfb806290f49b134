"""`flask --app app users create|password|list`: staff accounts from the command line (the first one)."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from admin.auth import hash_password
from admin.models import ROLES, StaffUser
from infra.db import session_scope
from infra.migrate import upgrade_database
from infra.models import Commune

users_cli = AppGroup("users", help="Admin staff accounts.")
MIN_PASSWORD = 10


def _check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise click.BadParameter(f"at least {MIN_PASSWORD} characters", param_hint="password")
    return password


@users_cli.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), required=True,
              help="commune: one commune; province: the communes of a province; super: all.")
@click.option("--commune", "commune_slug", help="Slug of the commune (role commune).")
@click.option("--province", help="Province name as in the communes' records (role province).")
@click.option("--language", type=click.Choice(["vi", "en"]), default="vi", show_default=True)
@click.password_option(help="Prompted (twice) when not given; or set USERS_PASSWORD.", envvar="USERS_PASSWORD")
def create(username: str, role: str, commune_slug: str | None, province: str | None, language: str,
           password: str) -> None:
    """Create a staff account USERNAME."""
    _check_password(password)
    upgrade_database(current_app.config["DATABASE_URL"])  # the first account may come before any other command
    with session_scope() as session:
        if session.scalar(select(StaffUser).where(StaffUser.username == username)):
            raise click.ClickException(f"user {username!r} exists already")
        commune_id = None
        if role == "commune":
            commune = session.scalar(select(Commune).where(Commune.slug == (commune_slug or "")))
            if commune is None:
                raise click.ClickException("role commune needs --commune with the slug of an existing commune")
            commune_id = commune.id
        if role == "province" and not province:
            raise click.ClickException("role province needs --province")
        session.add(StaffUser(username=username, password_hash=hash_password(password), role=role,
                              commune_id=commune_id, province=province if role == "province" else None,
                              language=language, active=True))
    click.echo(f"created {role} account {username}")


@users_cli.command("password")
@click.argument("username")
@click.password_option(envvar="USERS_PASSWORD")
def set_password(username: str, password: str) -> None:
    """Set a new password (every session of the account is logged out)."""
    _check_password(password)
    with session_scope() as session:
        user = session.scalar(select(StaffUser).where(StaffUser.username == username))
        if user is None:
            raise click.ClickException(f"no user {username!r}")
        user.password_hash = hash_password(password)
    click.echo(f"password of {username} changed")


@users_cli.command("list")
def list_users() -> None:
    with session_scope() as session:
        for user in session.scalars(select(StaffUser).order_by(StaffUser.username)):
            scope = user.province or (str(user.commune_id) if user.commune_id else "-")
            click.echo(f"{user.username}\t{user.role}\t{scope}\t{'active' if user.active else 'disabled'}")
