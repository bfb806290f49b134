"""Running the bot in production: health and readiness, metrics, the request id of every log line,
the 503 page when a store is down, the start-up refusal of a configuration that cannot work, and
`flask --app app doctor`.

It sits at the top beside app.py (it looks at every part: the database, Redis, the inbox, the
communes' platform accounts); the parts below only record metrics (infra.metrics) and log (infra.logs).
"""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from operations import health, requests, startup, unavailable
    from operations.doctor import doctor_command

    app.register_blueprint(health.bp)
    requests.init_app(app)
    unavailable.init_app(app)
    app.extensions["start_check"] = startup.unworkable_reason  # run by the web and worker entry points
    app.cli.add_command(doctor_command)
