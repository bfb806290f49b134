"""Outreach pages of a commune: campaigns (list, create, preview, start/pause/resume/cancel, a live
progress bar, the funnel and its CSV), the life-event rules and the commune's sending options
(templates for outside the window, paid Zalo days). Every figure comes from outreach/;
this module only parses forms and checks who may see which campaign."""
from __future__ import annotations

from datetime import datetime

from flask import Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from admin.access import can_manage, commune_page, communes_of
from admin.blueprint import bp
from admin.i18n import _
from infra.db import get_session, session_scope
from infra.models import Commune
from outreach import campaigns as lifecycle
from outreach import options
from outreach import rules as life_rules
from outreach.audience import preview as preview_counts
from outreach.funnel import STEPS, funnel, funnel_csv
from outreach.models import Campaign
from i18n import N_
from outreach.platform_rules import LOCAL

CHANNELS, LANGUAGES = ("facebook", "zalo"), ("vi", "en")
# words of outreach/ shown to staff: campaign states, preview fates, funnel steps, rules
LABELS = {
    "draft": N_("draft"), "running": N_("running"), "paused": N_("paused"), "cancelled": N_("cancelled"),
    "done": N_("done"), "window": N_("in the window (ordinary message)"),
    "paid_window": N_("in the paid Zalo window (days 3–7)"), "template": N_("by approved template"),
    "skipped:opted_out": N_("skipped: did not agree to reminders or these topics"),
    "skipped:no_page_or_oa": N_("skipped: the commune has no Page/OA on this channel"),
    "skipped:outside_window_no_template": N_("skipped: outside the window and no template configured"),
    "skipped:paid_days_off_no_template": N_("skipped: days 3–7 not paid and no template configured"),
    "skipped:web_chat_never_pushed": N_("skipped: the web chat is never pushed to"),
    "targeted": N_("targeted"), "sent": N_("sent"), "read": N_("read"), "opened": N_("opened the link"),
    "started": N_("started the guide or hand-off"),
    "newborn_day_30": N_("Newborn not yet registered: day 30"), "newborn_day_50": N_("Newborn not yet registered: day 50"),
    "id_card_25": N_("Identity card renewal before the 25th birthday"),
    "id_card_40": N_("Identity card renewal before the 40th birthday"),
    "id_card_60": N_("Identity card renewal before the 60th birthday"),
    "handoff_not_opened_day_3": N_("Prepared hand-off page not opened after 3 days"),
}


def label(key: str) -> str:
    """The staff's words for an outreach key; an unknown key (a new rule or reason) is shown as is."""
    return _(LABELS[key]) if key in LABELS else key


@bp.context_processor
def _labels() -> dict:
    return {"label": label}


ACTIONS = {"start": lifecycle.start, "pause": lifecycle.pause, "resume": lifecycle.resume, "cancel": lifecycle.cancel}


def load_campaign(commune: Commune, campaign_id: int) -> Campaign:
    """A campaign of this commune that the staff member may manage in every commune it covers (a
    province campaign is not shown to one commune's staff: its figures include other communes)."""
    db = get_session()
    campaign = db.get(Campaign, campaign_id)
    if campaign is None or commune.id not in (campaign.commune_ids or []):
        abort(404)
    covered = db.scalars(select(Commune).where(Commune.id.in_(campaign.commune_ids))).all()
    if not all(can_manage(current_user, c) for c in covered):
        abort(404)
    return campaign


def _visible(commune: Commune) -> list[Campaign]:
    db = get_session()
    mine = {c.id for c in db.scalars(communes_of(current_user))}
    rows = db.scalars(select(Campaign).order_by(Campaign.id.desc()).limit(500)).all()
    return [c for c in rows if commune.id in (c.commune_ids or []) and set(c.commune_ids) <= mine]


@bp.get("/c/<slug>/campaigns")
@commune_page
def campaigns(commune: Commune):
    province = [c for c in get_session().scalars(communes_of(current_user))] if current_user.role in (
        "province", "super") and commune.province else []
    province = [c for c in province if c.province == commune.province]
    return render_template("admin/campaigns.html", commune=commune, campaigns=_visible(commune),
                           channels=CHANNELS, languages=LANGUAGES, province_communes=province,
                           topics=_topics(), form=request.args)


def _topics() -> list[str]:
    from bot.consent import topics

    return topics()


def _checked(name: str, allowed) -> list[str]:
    return [v for v in request.form.getlist(name) if v in allowed]


@bp.post("/c/<slug>/campaigns")
@commune_page
def campaign_create(commune: Commune):
    form = request.form
    slugs = [commune.slug]
    if form.get("scope") == "province" and commune.province:
        slugs = [c.slug for c in get_session().scalars(communes_of(current_user)) if c.province == commune.province]
    messages = {lang: form.get(f"message_{lang}", "").strip() for lang in LANGUAGES}
    messages = {k: v for k, v in messages.items() if v or k == "vi"}
    try:
        active = int(form["active_days"]) if form.get("active_days", "").strip() else None
        at = datetime.fromisoformat(form["at"]).replace(tzinfo=LOCAL) if form.get("at", "").strip() else None
        if active is not None and active < 1:
            raise ValueError
    except ValueError:
        flash(_("Last activity is a number of days and the schedule a date and time."))
        return redirect(url_for("admin.campaigns", slug=commune.slug))
    try:
        with session_scope() as db:
            campaign = lifecycle.create(
                db, (form.get("name") or "").strip()[:200] or _("Campaign"), slugs, messages,
                intent=form.get("guide", "").strip() or None, channels=_checked("channels", CHANNELS),
                languages=_checked("languages", LANGUAGES), topics=_checked("topics", _topics()),
                active_days=active, quiet_hours=form.get("quiet_hours", "").strip() or None,
                created_by=current_user.username, scheduled_at=at)
            campaign_id = campaign.id
    except lifecycle.CampaignError as error:
        flash(_("The campaign was not created: {reason}", reason=str(error)))
        return redirect(url_for("admin.campaigns", slug=commune.slug))
    flash(_("Campaign created as a draft. Check the preview, then start it."))
    return redirect(url_for("admin.campaign_detail", slug=commune.slug, campaign_id=campaign_id))


@bp.get("/c/<slug>/campaigns/<int:campaign_id>")
@commune_page
def campaign_detail(commune: Commune, campaign_id: int):
    db = get_session()
    campaign = load_campaign(commune, campaign_id)
    counts = preview_counts(db, campaign) if campaign.status == "draft" else None
    steps = funnel(db, campaign.id)
    top = max(steps.values()) or 1
    return render_template("admin/campaign_detail.html", commune=commune, campaign=campaign, preview=counts,
                           progress=lifecycle.progress(db, campaign.id), reasons=lifecycle.reasons(db, campaign.id),
                           funnel=[(s, steps[s], round(steps[s] / top * 100, 1)) for s in STEPS])


@bp.get("/c/<slug>/campaigns/<int:campaign_id>/progress.json")
@commune_page
def campaign_progress(commune: Commune, campaign_id: int):
    campaign = load_campaign(commune, campaign_id)
    return jsonify(lifecycle.progress(get_session(), campaign.id))


@bp.post("/c/<slug>/campaigns/<int:campaign_id>/<action>")
@commune_page
def campaign_action(commune: Commune, campaign_id: int, action: str):
    if action not in ACTIONS:
        abort(404)
    campaign_id, slug = load_campaign(commune, campaign_id).id, commune.slug
    get_session().rollback()  # the lifecycle functions use their own transaction (`commune` expires)
    try:
        ACTIONS[action](campaign_id)
    except lifecycle.CampaignError as error:
        flash(_("Not possible now: {reason}", reason=str(error)))
    return redirect(url_for("admin.campaign_detail", slug=slug, campaign_id=campaign_id))


@bp.get("/c/<slug>/campaigns/funnel.csv")
@commune_page
def campaigns_funnel_csv(commune: Commune):
    wanted = request.args.getlist("id", type=int)
    ids = [load_campaign(commune, i).id for i in wanted] if wanted else [c.id for c in _visible(commune)]
    filename = f"{commune.slug}-campaign-funnel.csv"
    return Response("\ufeff" + funnel_csv(get_session(), ids), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.get("/c/<slug>/reminder-rules")
@commune_page
def reminder_rules(commune: Commune):
    rows = life_rules.overview(get_session(), commune.id, datetime.now(LOCAL).date())
    texts = {rule_id: d["message"] for rule_id, d in life_rules.definitions().items()}
    return render_template("admin/reminder_rules.html", commune=commune, rules=rows, texts=texts)


@bp.post("/c/<slug>/reminder-rules")
@commune_page
def reminder_rules_switch(commune: Commune):
    rule_id = request.form.get("rule", "")
    if rule_id not in life_rules.definitions():
        abort(400, description=_("Unknown rule."))
    with session_scope() as db:
        life_rules.switch(db, commune.id, rule_id, request.form.get("on") == "1")
    flash(_("Rule switched on.") if request.form.get("on") == "1" else _("Rule switched off."))
    return redirect(url_for("admin.reminder_rules", slug=commune.slug))


@bp.get("/c/<slug>/outreach-settings")
@commune_page
def outreach_settings(commune: Commune):
    return _settings_page(commune, _settings_form(options.current(get_session(), commune.id)))


@bp.post("/c/<slug>/outreach-settings")
@commune_page
def outreach_settings_save(commune: Commune):
    """The commune's templates and the paid Zalo days: only this commune's row (commune_page checked
    that the staff member manages it)."""
    form = request.form
    try:
        facebook = options.facebook_template(form.get("fb_name", ""), form.get("fb_language", "vi"),
                                             _lines(form.get("fb_body")), _lines(form.get("fb_url")))
        zalo = options.zalo_template(form.get("zalo_template_id", ""), _pairs(form.get("zalo_data")))
    except options.OptionsError as error:
        return _settings_page(commune, form.to_dict(), _(error.msgid, **error.values), 400)
    with session_scope() as db:
        options.save(db, commune.id, facebook_template=facebook, zalo_template=zalo,
                     zalo_paid_consultation=form.get("zalo_paid") == "1")
    flash(_("Sending options saved."))
    return redirect(url_for("admin.outreach_settings", slug=commune.slug))


def _settings_page(commune: Commune, form: dict, error: str | None = None, status: int = 200):
    return render_template("admin/outreach_settings.html", commune=commune, form=form, error=error,
                           placeholders=options.NAMES), status


def _settings_form(current: dict) -> dict:
    """The stored options as the form's fields (one parameter a line; Zalo's as name=value)."""
    facebook, zalo = current["facebook_template"] or {}, current["zalo_template"] or {}
    return {"fb_name": facebook.get("name", ""), "fb_language": facebook.get("language", "vi"),
            "fb_body": "\n".join(facebook.get("body") or []), "fb_url": "\n".join(facebook.get("url") or []),
            "zalo_template_id": zalo.get("template_id", ""),
            "zalo_data": "\n".join(f"{k}={v}" for k, v in (zalo.get("data") or {}).items()),
            "zalo_paid": "1" if current["zalo_paid_consultation"] else ""}


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _pairs(text: str | None) -> dict[str, str]:
    pairs = {}
    for line in _lines(text):
        key, equals, value = line.partition("=")
        if not equals or not key.strip():
            raise options.OptionsError(N_("Write each Zalo parameter as name=value, one a line."))
        pairs[key.strip()] = value.strip()
    return pairs
