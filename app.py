"""Application factory: `flask --app app run` serves the bot; `flask --app app kb ...` manages it."""
from __future__ import annotations

import os

from flask import Flask

from infra import db
from infra.jobs import make_queue
from infra.logs import configure_logging
from infra.settings import load_settings
from infra.store import make_store

# what RQ workers call with each job: worker.py builds the worker's app and runs the job in it
JOB_RUNNER = "worker.run_in_app"


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(load_settings(app.instance_path, test_config))
    configure_logging(os.environ.get("LOG_LEVEL", "INFO"), app.config["LOG_FORMAT"])

    db.init_app(app)
    app.extensions["store"] = make_store(app.config["REDIS_URL"], app.config["REDIS_CONNECT_TIMEOUT"],
                                         app.config["REDIS_SOCKET_TIMEOUT"])

    from knowledge.store import KnowledgeBase

    app.extensions["knowledge_base"] = KnowledgeBase()
    app.extensions["jobs"] = make_queue(app, runner=JOB_RUNNER)
    from channels.worker import sweep_orphaned_shards

    # a drainer that died leaves its events taken: workers look for them with or without new traffic
    app.extensions["jobs"].every(app.config["INBOX_SWEEP_SECONDS"], sweep_orphaned_shards)
    from outreach import receipts
    from outreach.sender import sweep as sweep_campaigns

    receipts.install()  # the funnel's "read" step from Messenger watermarks and Zalo seen events

    # a campaign's sender killed mid-run (or Redis restarted) is replaced
    app.extensions["jobs"].every(app.config["OUTREACH_SWEEP_SECONDS"], sweep_campaigns)

    from channels.privacy import purge_job  # registers the channels' share of residents' data with bot.privacy

    # conversation text older than RETENTION_DAYS and prepared form data past PREFILL_TTL go
    # (also `flask --app app privacy purge`)
    app.extensions["jobs"].every(app.config["PRIVACY_PURGE_SECONDS"], purge_job)

    _register_blueprints(app)
    _register_cli(app)
    _secure(app)

    import operations

    operations.init_app(app)  # /healthz, /readyz, /metrics, request ids, 503 pages, doctor, start check

    from webhooks.ingress import WebhookIngress

    # the platforms' event POSTs are answered before Flask's request machinery (webhooks/ingress.py)
    app.wsgi_app = WebhookIngress(app, app.wsgi_app)
    return app


def create_production_app() -> Flask:
    """The web entry point (`gunicorn 'app:create_production_app()'`, scripts/serve): create_app from
    the environment, refused with a one-line reason when the configuration cannot work."""
    from operations.startup import UnworkableConfiguration, refuse_unworkable

    app = create_app()
    try:
        refuse_unworkable(app)
    except UnworkableConfiguration as error:
        try:  # gunicorn prints this error's text alone and stops, instead of restarting workers in a loop
            from gunicorn.errors import AppImportError
        except ImportError:  # pragma: no cover - another WSGI server
            raise
        raise AppImportError(str(error)) from None
    return app


def _register_blueprints(app: Flask) -> None:
    from webhooks.facebook import bp as facebook_bp
    from webhooks.webchat import bp as webchat_bp

    app.register_blueprint(webchat_bp)
    app.register_blueprint(facebook_bp)  # the GET handshake; event POSTs: webhooks.ingress

    from procedures.handoff_page import bp as handoff_page_bp

    app.register_blueprint(handoff_page_bp)

    from outreach.links import bp as outreach_links_bp

    app.register_blueprint(outreach_links_bp)

    import admin

    admin.init_app(app)


def _secure(app: Flask) -> None:
    """Headers, rate limits, redacted access logs, proxies (README "Security")."""
    from infra import limits, security

    if app.config["TRUSTED_PROXIES"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    security.init_headers(app)
    security.redact_access_logs()
    limiter = limits.init_app(app)
    from procedures.handoff_page import rate_limits as handoff_limits
    from webhooks.webchat import rate_limits as webchat_limits

    import admin

    webchat_limits(limiter)
    handoff_limits(limiter)
    admin.rate_limits(limiter)


def _register_cli(app: Flask) -> None:
    from i18n.cli import translate_cli
    from infra.cli import db_cli
    from knowledge.cli import kb_cli

    app.cli.add_command(db_cli)
    app.cli.add_command(kb_cli)
    app.cli.add_command(translate_cli)

    from channels.cli import communes_cli

    app.cli.add_command(communes_cli)

    from channels.privacy import privacy_cli

    app.cli.add_command(privacy_cli)

    from admin.cli import users_cli

    app.cli.add_command(users_cli)

    from procedures.cli import flows_cli

    app.cli.add_command(flows_cli)

    from knowledge.catalogue_cli import catalogue_cli

    app.cli.add_command(catalogue_cli)

    from outreach.cli import campaigns_cli

    app.cli.add_command(campaigns_cli)
