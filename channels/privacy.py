"""The channels' share of a resident's data (reply deliveries, dead letters) for bot.privacy, the
scheduled retention purge, and `flask --app app privacy purge|export|erase`.

Delivery rows keep the reply sealed only while it may still be sent, and what staff may see (form
summaries redacted) until RETENTION_DAYS; dead letters the same. Importing this module registers
the part with bot.privacy (app.py does it in every process).
"""
from __future__ import annotations

import json
import logging
from datetime import datetime

import click
from flask.cli import AppGroup
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from bot import privacy
from channels.delivery import OPEN
from channels.models import DeadLetter, Delivery
from infra.db import session_scope

log = logging.getLogger(__name__)


def _deliveries_of(owner: privacy.Owner):
    return (Delivery.platform == owner.channel, Delivery.commune_id == owner.commune_id,
            Delivery.user_id == owner.user)


def _letters_of(owner: privacy.Owner):
    commune = DeadLetter.commune_id.is_(None) if owner.commune_id is None else DeadLetter.commune_id == owner.commune_id
    return DeadLetter.platform == owner.channel, commune, DeadLetter.user_id == owner.user


def erase(session: Session, owner: privacy.Owner) -> dict[str, int]:
    if owner.channel == "webchat":  # the web chat sends through no delivery
        return {}
    letters = session.execute(delete(DeadLetter).where(*_letters_of(owner))).rowcount or 0
    deliveries = 0
    if owner.commune_id is not None:
        deliveries = session.execute(delete(Delivery).where(*_deliveries_of(owner))).rowcount or 0
    return {"deliveries": deliveries, "dead_letters": letters}


def shown_text(body: object) -> str:
    """The text of a rendered platform message as staff may see it (plain or in a button template)."""
    if not isinstance(body, dict):
        return ""
    message = body.get("message") if isinstance(body.get("message"), dict) else body
    text = message.get("text")
    if not text:
        payload = (message.get("attachment") or {}).get("payload") or {}
        text = payload.get("text") if isinstance(payload, dict) else None
    return str(text or "")


def export(session: Session, owner: privacy.Owner) -> dict[str, list]:
    if owner.channel == "webchat":
        return {}
    deliveries = [] if owner.commune_id is None else session.scalars(
        select(Delivery).where(*_deliveries_of(owner)).order_by(Delivery.id))
    letters = session.scalars(select(DeadLetter).where(*_letters_of(owner)).order_by(DeadLetter.id))
    return {
        "replies": [{"at": privacy._iso(d.created_at), "status": d.status, "text": shown_text(d.body)}
                    for d in deliveries],
        "undelivered": [{"at": privacy._iso(letter.created_at), "reason": letter.reason,
                         "text": shown_text(letter.body) if letter.delivery_id is not None else None}
                        for letter in letters],
    }


def purge(session: Session, cutoff: datetime) -> dict[str, int]:
    """Dead letters and finished deliveries older than the cutoff go; a reply's sealed copy goes as
    soon as it will not be sent again (its dead letter handled)."""
    letters = session.execute(delete(DeadLetter).where(DeadLetter.created_at < cutoff)).rowcount or 0
    deliveries = session.execute(delete(Delivery).where(
        Delivery.created_at < cutoff, Delivery.status.not_in(OPEN))).rowcount or 0
    handled = select(DeadLetter.delivery_id).where(DeadLetter.resolved_at.is_not(None),
                                                   DeadLetter.delivery_id.is_not(None))
    session.execute(update(Delivery).where(Delivery.sealed.is_not(None), Delivery.status.not_in(OPEN),
                                           (Delivery.status == "sent") | Delivery.id.in_(handled))
                    .values(sealed=None))
    return {"dead_letters": letters, "deliveries": deliveries}


privacy.register(privacy.Part("channels", erase, export, purge))


def purge_job() -> dict[str, int]:
    """Scheduled (app.py): conversation text older than RETENTION_DAYS, everywhere."""
    with session_scope() as session:
        counts = privacy.purge(session)
    log.info("retention purge: %s", ", ".join(f"{k} {v}" for k, v in counts.items()))
    return counts


privacy_cli = AppGroup("privacy", help="Residents' personal data: retention purge, export, erasure.")


@privacy_cli.command("purge")
def purge_command() -> None:
    """Delete conversation text older than RETENTION_DAYS (also run by the workers on a schedule)."""
    counts = purge_job()
    click.echo(json.dumps(counts))


def _resident(channel: str, commune: str, user: str) -> privacy.ResidentId:
    return privacy.ResidentId(channel=channel, commune=commune, user=user)


@privacy_cli.command("export")
@click.option("--channel", required=True, type=click.Choice(["webchat", "facebook", "zalo"]))
@click.option("--commune", required=True, help="the commune's slug")
@click.option("--user", required=True, help="the resident's id on that channel (PSID, Zalo user id, web chat id)")
def export_command(channel: str, commune: str, user: str) -> None:
    """Print one resident's data as JSON (a request under the personal data protection law)."""
    with session_scope() as session:
        data = privacy.export(session, _resident(channel, commune, user))
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@privacy_cli.command("erase")
@click.option("--channel", required=True, type=click.Choice(["webchat", "facebook", "zalo"]))
@click.option("--commune", required=True, help="the commune's slug")
@click.option("--user", required=True, help="the resident's id on that channel")
def erase_command(channel: str, commune: str, user: str) -> None:
    """Erase one resident's data, as "xóa dữ liệu của tôi" does (a request made to staff)."""
    with session_scope() as session:
        erased = privacy.erase(session, _resident(channel, commune, user))
    click.echo(json.dumps({"deleted": erased.counts, "kept_opt_out": erased.kept_opt_out}))
