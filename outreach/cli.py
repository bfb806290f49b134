"""`flask --app app campaigns create|preview|start|pause|resume|cancel|status|funnel|templates`."""
from __future__ import annotations

import json
import sys
import time
from datetime import datetime

import click
from flask.cli import AppGroup
from sqlalchemy import select

from infra.db import session_scope
from infra.models import Commune
from outreach import campaigns as lifecycle
from outreach import options
from outreach.audience import preview as preview_counts
from outreach.funnel import funnel as funnel_counts
from outreach.funnel import funnel_csv
from outreach.models import Campaign

campaigns_cli = AppGroup("campaigns", help="Outreach campaigns to residents who agreed to reminders.")


def _csv(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def _fail(error: Exception) -> None:
    click.echo(f"error: {error}", err=True)
    sys.exit(2)


@campaigns_cli.command("create")
@click.option("--name", required=True)
@click.option("--communes", required=True, help="commune slugs, comma-separated (a province admin: all theirs)")
@click.option("--message-vi", required=True, help="the Vietnamese text")
@click.option("--message-en", default=None, help="the English text, for residents who chat in English")
@click.option("--guide", default=None, help="procedure intent id the button opens (e.g. khai-sinh)")
@click.option("--channels", default="facebook,zalo", help="facebook,zalo (the web chat is never pushed to)")
@click.option("--languages", default="", help="vi,en; empty: all")
@click.option("--topics", default="", help="consent topics required (births,id_card,handoff,general)")
@click.option("--active-days", type=int, default=None, help="only residents who wrote within this many days")
@click.option("--quiet-hours", default=None, help="no sends inside, Asia/Ho_Chi_Minh (default 21:00-07:00)")
@click.option("--at", "scheduled", default=None, help="start sending at (ISO time, Asia/Ho_Chi_Minh if no zone)")
def create_command(name, communes, message_vi, message_en, guide, channels, languages, topics, active_days,
                   quiet_hours, scheduled) -> None:
    messages = {"vi": message_vi, **({"en": message_en} if message_en else {})}
    try:
        at = _local_time(scheduled) if scheduled else None
        with session_scope() as db:
            campaign = lifecycle.create(db, name, _csv(communes), messages, intent=guide, channels=_csv(channels),
                                        languages=_csv(languages), topics=_csv(topics), active_days=active_days,
                                        quiet_hours=quiet_hours, created_by="cli", scheduled_at=at)
            click.echo(json.dumps({"campaign": campaign.id, "status": campaign.status}))
    except (lifecycle.CampaignError, ValueError) as error:
        _fail(error)


def _local_time(value: str) -> datetime:
    from outreach.platform_rules import LOCAL

    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=LOCAL)


def _campaign_or_fail(db, campaign_id: int) -> Campaign:
    campaign = db.get(Campaign, campaign_id)
    if campaign is None:
        _fail(lifecycle.CampaignError(f"no campaign {campaign_id}"))
    return campaign


@campaigns_cli.command("preview")
@click.argument("campaign_id", type=int)
def preview_command(campaign_id: int) -> None:
    """Counts by channel and fate now: window, paid_window, template, skipped:<reason>."""
    with session_scope() as db:
        click.echo(json.dumps(preview_counts(db, _campaign_or_fail(db, campaign_id)), ensure_ascii=False, indent=1))


def _kick() -> bool:
    """Queue send jobs from the CLI only for RQ workers; on the embedded default the running bot's
    job thread starts them (its sweep) — this process ends before it could send."""
    from flask import current_app

    from infra.jobs import RQQueue

    return isinstance(current_app.extensions["jobs"], RQQueue)


def _move(action, campaign_id: int) -> None:
    try:
        result = action(campaign_id, _kick()) if action in (lifecycle.start, lifecycle.resume) else action(campaign_id)
    except lifecycle.CampaignError as error:
        _fail(error)
    with session_scope() as db:
        status = lifecycle.progress(db, campaign_id)
    if isinstance(result, int):
        status["targeted"] = result
    click.echo(json.dumps(status, ensure_ascii=False))


@campaigns_cli.command("start")
@click.argument("campaign_id", type=int)
def start_command(campaign_id: int) -> None:
    _move(lifecycle.start, campaign_id)


@campaigns_cli.command("pause")
@click.argument("campaign_id", type=int)
def pause_command(campaign_id: int) -> None:
    _move(lifecycle.pause, campaign_id)


@campaigns_cli.command("resume")
@click.argument("campaign_id", type=int)
def resume_command(campaign_id: int) -> None:
    _move(lifecycle.resume, campaign_id)


@campaigns_cli.command("cancel")
@click.argument("campaign_id", type=int)
def cancel_command(campaign_id: int) -> None:
    _move(lifecycle.cancel, campaign_id)


@campaigns_cli.command("status")
@click.argument("campaign_id", type=int, required=False)
@click.option("--watch", is_flag=True, help="print a progress bar until the campaign is done")
def status_command(campaign_id: int | None, watch: bool) -> None:
    """Progress: sent, skipped, failed, pending (and why residents were skipped or failed)."""
    with session_scope() as db:
        ids = [campaign_id] if campaign_id else list(db.scalars(select(Campaign.id).order_by(Campaign.id)))
        for cid in ids:
            _campaign_or_fail(db, cid)
    while True:
        with session_scope() as db:
            rows = [dict(lifecycle.progress(db, cid), reasons=lifecycle.reasons(db, cid)) for cid in ids]
        if not watch:
            for row in rows:
                click.echo(json.dumps(row, ensure_ascii=False))
            return
        row = rows[0]
        filled = int(row["percent"] // 5)
        click.echo(f"\r[{'#' * filled}{'.' * (20 - filled)}] {row['percent']:5.1f}%  sent {row['sent']}  skipped "
                   f"{row['skipped']}  failed {row['failed']}  pending {row['pending']}", nl=False)
        if row["pending"] == 0 or row["status"] not in ("running",):
            click.echo()
            return
        time.sleep(1)


@campaigns_cli.command("funnel")
@click.argument("campaign_ids", type=int, nargs=-1)
@click.option("--csv", "as_csv", is_flag=True, help="CSV: campaign, targeted, sent, read, opened, started")
def funnel_command(campaign_ids: tuple[int, ...], as_csv: bool) -> None:
    with session_scope() as db:
        ids = list(campaign_ids) or list(db.scalars(select(Campaign.id).order_by(Campaign.id)))
        if as_csv:
            click.echo(funnel_csv(db, ids), nl=False)
            return
        for cid in ids:
            click.echo(json.dumps({"campaign": cid, **funnel_counts(db, cid)}))


@campaigns_cli.command("templates")
@click.argument("commune")
@click.option("--facebook", default=None, help='JSON {"name", "language", "body": [...], "url": [...]}; "" clears')
@click.option("--zalo", default=None, help='JSON {"template_id", "data": {...}}; "" clears')
@click.option("--zalo-paid/--no-zalo-paid", default=None, help="the commune pays for consultation days 3-7")
def templates_command(commune: str, facebook: str | None, zalo: str | None, zalo_paid: bool | None) -> None:
    """A commune's approved templates for outside the window ({commune}, {link}, {link_token}, {campaign}
    are filled in) and whether it pays for Zalo days 3-7 (also editable in the admin)."""
    with session_scope() as db:
        row = db.scalar(select(Commune).where(Commune.slug == commune))
        if row is None:
            _fail(lifecycle.CampaignError(f"unknown commune: {commune}"))
        changes: dict = {}
        try:
            if facebook is not None:
                changes["facebook_template"] = options.from_json(json.loads(facebook) if facebook else None, "facebook")
            if zalo is not None:
                changes["zalo_template"] = options.from_json(json.loads(zalo) if zalo else None, "zalo")
        except ValueError as error:  # bad JSON, or an OptionsError
            _fail(error)
        if zalo_paid is not None:
            changes["zalo_paid_consultation"] = zalo_paid
        options.save(db, row.id, **changes)
        click.echo(json.dumps({"commune": commune, **options.current(db, row.id)}, ensure_ascii=False))


@campaigns_cli.command("rules")
@click.argument("commune")
@click.option("--enable", "enable", multiple=True, help="switch a rule on (see the list)")
@click.option("--disable", "disable", multiple=True, help="switch a rule off")
def rules_command(commune: str, enable: tuple[str, ...], disable: tuple[str, ...]) -> None:
    """Life-event reminder rules of a commune: on or off, and how many residents each reaches this week."""
    from outreach import rules
    from outreach.platform_rules import LOCAL

    with session_scope() as db:
        row = db.scalar(select(Commune).where(Commune.slug == commune))
        if row is None:
            _fail(lifecycle.CampaignError(f"unknown commune: {commune}"))
        try:
            for rule_id in enable:
                rules.switch(db, row.id, rule_id, True)
            for rule_id in disable:
                rules.switch(db, row.id, rule_id, False)
        except ValueError as error:
            _fail(error)
        db.flush()
        for line in rules.overview(db, row.id, datetime.now(LOCAL).date()):
            click.echo(json.dumps(line))


@campaigns_cli.command("run-rules")
def run_rules_command() -> None:
    """Daily (cron): start today's campaign of every enabled rule with residents due today."""
    from outreach import rules
    from outreach.platform_rules import LOCAL

    with session_scope() as db:
        made = rules.todays_campaigns(db, datetime.now(LOCAL).date())
    for campaign_id in made:
        lifecycle.start(campaign_id, _kick())
    click.echo(json.dumps({"started": made}))
