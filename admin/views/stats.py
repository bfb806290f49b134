"""Statistics page with charts and date-range filter, and its CSV export."""
from __future__ import annotations

import csv
import io
from datetime import datetime

from flask import Response, abort, render_template, request

from admin.access import commune_page
from admin.blueprint import bp
from admin.charts import daily_bars
from admin.i18n import _
from admin.stats import LOCAL, RangeError, compute, parse_range
from infra.models import Commune


def _stats(commune: Commune):
    try:
        first, last = parse_range(request.args.get("from"), request.args.get("to"), datetime.now(LOCAL).date())
    except RangeError as exc:
        abort(400, description=_(str(exc)))
    return compute(commune, first, last)


@bp.get("/c/<slug>/stats")
@commune_page
def stats(commune: Commune):
    data = _stats(commune)
    bars, top = daily_bars(data.days)
    most = max((p[2] for p in data.procedures), default=0) or 1
    return render_template("admin/stats.html", commune=commune, stats=data, bars=bars, top=top, most=most)


@bp.get("/c/<slug>/stats.csv")
@commune_page
def stats_csv(commune: Commune):
    data = _stats(commune)
    out = io.StringIO()
    writer = csv.writer(out)
    if request.args.get("table") == "procedures":
        writer.writerow(["procedure", "name", "answers", "portal_clicks"])
        for row in data.procedures:
            writer.writerow([row[0], row[1], row[2], row[3]])
        name = "procedures"
    else:
        writer.writerow(["date", "messages", "answered", "clarified", "unanswered"])
        for day in data.days:
            writer.writerow([day.day.isoformat(), day.messages, day.answered, day.clarified, day.unanswered])
        name = "daily"
    filename = f"{commune.slug}-{name}-{data.start.isoformat()}-{data.end.isoformat()}.csv"
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
