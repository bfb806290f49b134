"""Outreach benchmark: one campaign to N opted-in residents of one Page, sent by RQ workers through
Redis and PostgreSQL to the fake platform, which enforces 200 messages/s per Page/OA with Messenger's
rate-limit error (613) beyond it.

Residents: 60 % wrote within 24 h (ordinary message), 30 % three days ago (the commune's utility
template), 10 % on Zalo ten days ago with no Zalo template (skipped with the reason). Reported: wall
time from `start` to the last row settled against the ideal (sendable ÷ 200 s), CPU per message of
each process kind, and per resident: lost (sendable but never accepted) and duplicates (accepted
more than once). `--chaos` SIGKILLs a worker twice and restarts Redis once during the run.

    .venv/bin/python bench/outreach_bench.py --residents 20000 [--chaos] [--rq-workers 3]
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import signal
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from webhook_load import (OA, OA_TOKEN, PAGE, PAGE_TOKEN, VENV_BIN, Services, app_env, fake_stats,  # noqa: E402
                          free_port, seed, wait_port)

PLATFORM_LIMIT = 200  # messages per second per Page/OA at the fake
TEMPLATE = "nhac_lich_xa"


def start_fake(services: Services) -> str:
    port = free_port()
    factory = (f"fake_platform:bench_app('0', {PAGE_TOKEN + '=' + PAGE!r}, {OA_TOKEN + '=' + OA!r}, "
               f"{PLATFORM_LIMIT}, {TEMPLATE!r}, '')")
    services.fake = services._spawn([str(VENV_BIN / "gunicorn"), "-w", "1", "-k", "gthread", "--threads", "16",
                                     "--keep-alive", "30", "--header-map", "dangerous", "--chdir",
                                     str(ROOT / "tests/channels"), "-b", f"127.0.0.1:{port}", "--log-level",
                                     "warning", factory], "fake.log", role="fake")
    wait_port(port)
    return f"http://127.0.0.1:{port}"


def make_residents(app, count: int) -> tuple[int, set[str]]:
    """Bulk-insert the residents with their consent; returns (campaign id, the sendable PSIDs)."""
    from sqlalchemy import insert, select

    from bot.consent import topics
    from bot.consent_models import ReminderConsent
    from infra.db import session_scope
    from infra.models import Commune, Subscriber
    from outreach.campaigns import create
    from outreach.models import OutreachSettings

    now = datetime.now(timezone.utc)
    sendable: set[str] = set()
    with app.app_context(), session_scope() as db:
        commune = db.scalar(select(Commune).where(Commune.slug == "xa-bench"))
        db.merge(OutreachSettings(commune_id=commune.id, facebook_template={
            "name": TEMPLATE, "language": "vi", "body": ["{commune}"], "url": ["{link_token}"]}))
        for start in range(0, count, 10_000):
            rows = []
            for n in range(start, min(count, start + 10_000)):
                kind = n % 10
                channel, hours = ("facebook", 2) if kind < 6 else ("facebook", 72) if kind < 9 else ("zalo", 240)
                user = f"{'psid' if channel == 'facebook' else 'zuid'}-{n}"
                if channel == "facebook":
                    sendable.add(user)
                rows.append({"channel": channel, "user_id": user, "commune_id": commune.id, "language": "vi",
                             "reminders_opt_in": True, "first_seen_at": now,
                             "last_message_at": now - timedelta(hours=hours)})
            ids = db.scalars(insert(Subscriber).returning(Subscriber.id), rows).all()
            db.execute(insert(ReminderConsent), [{"subscriber_id": i, "topics": topics(), "wording": "reminders-v1",
                                                  "asked_at": now, "given_at": now} for i in ids])
        campaign = create(db, "Khai sinh trực tuyến", ["xa-bench"],
                          {"vi": "Từ 1/1 nộp hồ sơ khai sinh trực tuyến được miễn lệ phí."}, intent="khai-sinh",
                          quiet_hours="00:00-00:00").id
    return campaign, sendable


def settled(app, campaign: int) -> dict:
    from infra.db import session_scope
    from outreach.campaigns import progress

    with app.app_context(), session_scope() as db:
        return progress(db, campaign)


def restart_redis(services: Services, redis_url: str) -> None:
    """Kill Redis (no persistence: queues, scheduled jobs, slots and the bucket are gone) and start it again."""
    port = int(redis_url.rsplit(":", 1)[1].split("/")[0])
    proc = next(p for p in services.procs if services.roles.get(p.pid) == "redis" and p.poll() is None)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    services._spawn(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                     "--dir", str(services.workdir)], "redis.log", role="redis")
    wait_port(port)


def start_worker(services: Services, i: int):
    argv = [str(VENV_BIN / "rq"), "worker", "-w", "worker.AppWorker", "-u", services.env["REDIS_URL"],
            "--logging_level", "WARNING", "bot"]
    if i == 0:
        argv.insert(-1, "--with-scheduler")  # moves due retries onto the queue
    proc = services._spawn(argv, f"worker{i}.log", services.env, role="rq")
    services.workers.append(proc)
    return proc


def run(args: argparse.Namespace) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix="bot-outreach-bench-"))
    services = Services(workdir)
    report: dict = {"residents": args.residents, "rq_workers": args.rq_workers, "chaos": args.chaos,
                    "platform_limit_per_s": PLATFORM_LIMIT, "load_before": os.getloadavg()}
    try:
        redis_url, database_url = services.start_redis(), services.start_postgres()
        fake_url = start_fake(services)
        services.env = app_env(database_url, redis_url, fake_url)
        services.env.update({"OUTREACH_RATE_PER_SECOND": str(args.pace), "OUTREACH_SENDERS": str(args.rq_workers),
                             "OUTREACH_LEASE_SECONDS": "15", "OUTREACH_SWEEP_SECONDS": "3",
                             "OUTREACH_BATCH": "50", "DELIVERY_RETRY_BASE_MS": "200", "DELIVERY_RETRY_MAX_MS": "2000"})
        seed(services.env)
        os.environ.update(services.env)
        from app import create_app

        app = create_app()
        campaign, sendable = make_residents(app, args.residents)
        workers = {i: start_worker(services, i) for i in range(args.rq_workers)}
        time.sleep(3)  # the workers build their apps before the clock starts
        cpu_before = services.cpu_seconds()
        started = time.monotonic()
        from outreach.campaigns import start

        with app.app_context():
            report["targeted"] = start(campaign)
        events, chaos = [], [0.25, 0.45, 0.65] if args.chaos else []
        while True:
            state = settled(app, campaign)
            done = 1 - state["pending"] / max(1, state["targeted"])
            if chaos and done >= chaos[0]:
                step = 3 - len(chaos)  # 0: kill, 1: restart Redis, 2: kill
                if step == 1:
                    restart_redis(services, redis_url)
                    events.append({"at": round(time.monotonic() - started, 1), "what": "redis restarted"})
                else:
                    victim = (step // 2) % args.rq_workers
                    os.killpg(workers[victim].pid, signal.SIGKILL)
                    events.append({"at": round(time.monotonic() - started, 1), "what": f"worker {victim} SIGKILLed"})
                chaos.pop(0)
            for i, proc in list(workers.items()):
                if proc.poll() is not None:  # killed (or fallen over with Redis): a supervisor restarts it
                    workers[i] = start_worker(services, i)
                    events.append({"at": round(time.monotonic() - started, 1), "what": f"worker {i} restarted"})
            if state["pending"] == 0:
                break
            if time.monotonic() - started > args.timeout:
                events.append({"what": "timeout", "state": state})
                break
            time.sleep(0.5)
        wall = time.monotonic() - started
        cpu_after = services.cpu_seconds()
        stats = fake_stats(fake_url)
        accepted = collections.Counter(json.loads(r)["id"] for service, r, _ in stats["accepted"] if service == "facebook")
        state = settled(app, campaign)
        sent = sum(accepted.values())
        report.update({
            "progress": state, "events": events, "sendable": len(sendable),
            "wall_s": round(wall, 1), "ideal_s": round(len(sendable) / PLATFORM_LIMIT, 1),
            "over_ideal_pct": round(100 * (wall / (len(sendable) / PLATFORM_LIMIT) - 1), 1),
            "accepted_messages": sent, "platform_rejections": stats.get("rejected"),
            "lost": len(sendable - set(accepted)),
            "duplicates": sum(n - 1 for n in accepted.values() if n > 1),
            "cpu_ms_per_message": {role: round((cpu_after.get(role, 0) - cpu_before.get(role, 0)) * 1000 / max(1, sent), 3)
                                   for role in sorted(cpu_after)},
            "load_after": os.getloadavg()})
    finally:
        services.stop()
    return report


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--residents", type=int, default=100_000)
    parser.add_argument("--rq-workers", type=int, default=3)
    parser.add_argument("--pace", type=float, default=190, help="OUTREACH_RATE_PER_SECOND (the platform allows 200)")
    parser.add_argument("--chaos", action="store_true", help="SIGKILL a worker twice and restart Redis once")
    parser.add_argument("--timeout", type=float, default=3600)
    report = run(parser.parse_args())
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / f"outreach-{time.strftime('%Y%m%d-%H%M%S')}.json").write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
