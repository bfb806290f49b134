"""`flask --app app doctor`: every setting that matters, checked, with a verdict.

Each line says ok, warn or FAIL, what was checked and what to do; the exit status is 1 when any
check fails, so a deployment script can stop on it. Secrets are never printed, only whether they
are set; database URLs lose their password. `--offline` skips asking the platforms about tokens.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import text
from sqlalchemy.engine import make_url

from operations.startup import PLATFORM_SECRETS, configured_platforms, decrypt_error, stored_tokens, unworkable_reason

OK, WARN, FAIL = "ok", "warn", "FAIL"


@dataclass
class Check:
    status: str
    name: str
    detail: str


@click.command("doctor")
@click.option("--offline", is_flag=True, help="Do not ask Facebook / Zalo whether the tokens are accepted.")
@with_appcontext
def doctor_command(offline: bool) -> None:
    """Check the configuration, the database, Redis, the keys and every commune's platform tokens."""
    checks = run_checks(offline=offline)
    for check in checks:
        click.echo(f"[{check.status:^4}] {check.name}: {check.detail}")
    failed = [c for c in checks if c.status == FAIL]
    warned = [c for c in checks if c.status == WARN]
    if failed:
        click.echo(f"verdict: FAIL — {len(failed)} problem(s) to fix before serving: "
                   + ", ".join(c.name for c in failed))
        raise SystemExit(1)
    click.echo(f"verdict: ok ({len(warned)} warning(s))")


def run_checks(offline: bool = False) -> list[Check]:
    checks = [_database(), _redis(), _secret_key()]
    database_up = checks[0].status == OK
    tokens = stored_tokens() if database_up else []
    checks.append(_encryption_key(tokens))
    checks += _platform_secrets(tokens)
    checks.append(_public_base_url(tokens))
    checks += _tokens(tokens, offline)
    if database_up:
        reason = unworkable_reason(current_app._get_current_object())
        checks.append(Check(FAIL if reason else OK, "start-up", reason or "web and worker processes will start"))
    return checks


def _database() -> Check:
    url = make_url(current_app.config["DATABASE_URL"])
    shown = url.render_as_string(hide_password=True)
    try:
        with current_app.extensions["db_engine"].connect() as connection:
            connection.execute(text("SELECT 1"))
            heads = _migration_state(connection)
    except Exception as error:
        return Check(FAIL, "database", f"{shown} does not answer ({type(error).__name__}: {str(error)[:160]})")
    if heads:
        return Check(FAIL, "database", f"{shown} answers but is not migrated ({heads}): "
                                       "run `flask --app app db upgrade`")
    note = "" if url.get_backend_name() == "postgresql" else " (SQLite: the embedded default, one machine only)"
    return Check(OK, "database", f"{shown}, migrations at head{note}")


def _migration_state(connection) -> str:
    """'' when the database is at the migrations' heads, else what is missing."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from infra.migrate import alembic_config

    script = ScriptDirectory.from_config(alembic_config(current_app.config["DATABASE_URL"]))
    current = set(MigrationContext.configure(connection).get_current_heads())
    missing = set(script.get_heads()) - current
    return f"missing {', '.join(sorted(missing))}" if missing else ""


def _redis() -> Check:
    store = current_app.extensions["store"]
    if not hasattr(store, "redis"):
        if current_app.config.get("DATABASE_URL", "").startswith("postgresql"):
            return Check(WARN, "redis", "REDIS_URL not set: in-process store and job thread, one process only")
        return Check(OK, "redis", "not used: in-process store and job thread (the embedded default)")
    from urllib.parse import urlsplit

    url = urlsplit(current_app.config["REDIS_URL"])  # host and port only: the URL may hold a password
    url = type("Shown", (), {"host": url.hostname or url.path, "port": url.port or ""})
    started = time.perf_counter()
    try:
        store.redis.ping()
        persistence = store.redis.config_get("appendonly").get("appendonly")
    except Exception as error:
        return Check(FAIL, "redis", f"{url.host}:{url.port} does not answer ({type(error).__name__})")
    ms = (time.perf_counter() - started) * 1000
    if persistence != "yes":
        return Check(WARN, "redis", f"{url.host}:{url.port} answers ({ms:.1f} ms) but appendonly is off: "
                                    "queued events are lost if Redis crashes (set appendonly yes)")
    return Check(OK, "redis", f"{url.host}:{url.port} answers ({ms:.1f} ms), appendonly on")


def _secret_key() -> Check:
    import os

    if os.environ.get("SECRET_KEY"):
        return Check(OK, "SECRET_KEY", "set in the environment")
    return Check(WARN if configured_platforms(current_app) else OK, "SECRET_KEY",
                 "kept in instance/secret_key: every web process must share it (set SECRET_KEY when there are several machines)")


def _encryption_key(tokens) -> Check:
    from cryptography.fernet import Fernet

    key = current_app.config.get("TOKEN_ENCRYPTION_KEY")
    if not key:
        status = FAIL if tokens or configured_platforms(current_app) else OK
        return Check(status, "TOKEN_ENCRYPTION_KEY", "not set" + (": platform tokens cannot be stored or read"
                                                                 if status == FAIL else " (no platform configured)"))
    try:
        Fernet(key)
    except (ValueError, TypeError):
        return Check(FAIL, "TOKEN_ENCRYPTION_KEY", "not a Fernet key (32 url-safe base64 bytes)")
    readable = sum(1 for token in tokens if decrypt_error(token) is None)
    if tokens and not readable:
        return Check(FAIL, "TOKEN_ENCRYPTION_KEY", f"a valid key, but it decrypts none of the {len(tokens)} stored tokens")
    return Check(OK, "TOKEN_ENCRYPTION_KEY", f"a valid key; decrypts {readable} of {len(tokens)} stored tokens")


def _platform_secrets(tokens) -> list[Check]:
    config = current_app.config
    used = {t.platform for t in tokens}
    needs = {"facebook": ("FACEBOOK_APP_SECRET", "FACEBOOK_VERIFY_TOKEN"),
             "zalo": ("ZALO_APP_ID", "ZALO_APP_SECRET", "ZALO_OA_SECRET_KEY")}
    checks = []
    for platform, keys in needs.items():
        named = dict(PLATFORM_SECRETS)["Messenger" if platform == "facebook" else "Zalo"]
        if platform not in used and not config.get(named):
            checks.append(Check(OK, platform, "not configured (no secret, no account stored)"))
            continue
        missing = [key for key in keys if not config.get(key)]
        if missing:
            checks.append(Check(FAIL, platform, f"{', '.join(missing)} not set: its webhooks cannot be verified"))
        else:
            checks.append(Check(OK, platform, f"{', '.join(keys)} set"))
    return checks


def _public_base_url(tokens) -> Check:
    base = current_app.config.get("PUBLIC_BASE_URL") or ""
    if not base:
        if tokens or configured_platforms(current_app):
            return Check(FAIL, "PUBLIC_BASE_URL", "not set, yet a platform is configured: hand-off links cannot be "
                                                  "built by the workers (set it to https://<this host>)")
        return Check(OK, "PUBLIC_BASE_URL", "not set: links use the host of the request (web chat only)")
    if not base.startswith("https://") and "127.0.0.1" not in base and "localhost" not in base:
        return Check(WARN, "PUBLIC_BASE_URL", f"{base} is not https: residents' browsers will warn")
    return Check(OK, "PUBLIC_BASE_URL", base)


def _tokens(tokens, offline: bool) -> list[Check]:
    checks = []
    for token in tokens:
        name = f"{token.commune} {token.platform} {token.external_id} {token.kind} token"
        problem = decrypt_error(token)
        if problem:
            checks.append(Check(FAIL, name, f"{problem}: re-enter it with `flask --app app communes set "
                                            f"{token.commune}`; until then its residents' events become dead letters"))
        elif offline or token.kind == "refresh":
            checks.append(Check(OK, name, "decrypts"))
        else:
            checks.append(_accepted(token, name))
    return checks


def _accepted(token, name: str) -> Check:
    """Ask the platform whose account the token opens: it must be this Page / OA."""
    import requests

    from channels import crypto

    config = current_app.config
    secret = crypto.decrypt(token.ciphertext)
    try:
        if token.platform == "facebook":
            response = requests.get(f"{config['FACEBOOK_GRAPH_URL']}/me", params={"fields": "id"},
                                    headers={"Authorization": f"Bearer {secret}"}, timeout=config["SEND_TIMEOUT"])
            data = response.json()
            owner = str(data.get("id", "")) if response.ok else None
            error = (data.get("error") or {}).get("message") if isinstance(data.get("error"), dict) else None
        else:
            response = requests.get(f"{config['ZALO_OPENAPI_URL']}/v2.0/oa/getoa", headers={"access_token": secret},
                                    timeout=config["SEND_TIMEOUT"])
            data = response.json()
            owner = str((data.get("data") or {}).get("oa_id", "")) if data.get("error") == 0 else None
            error = data.get("message")
    except (requests.RequestException, ValueError) as error_:
        return Check(FAIL, name, f"the platform could not be asked ({type(error_).__name__})")
    if owner is None:
        return Check(FAIL, name, f"decrypts, but the platform rejects it ({error or response.status_code}): "
                                 "enter a new token")
    if owner != token.external_id:
        return Check(FAIL, name, f"decrypts and is valid, but opens account {owner}, not {token.external_id}")
    return Check(OK, name, "decrypts and the platform accepts it")
