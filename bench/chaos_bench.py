"""Chaos benchmark: a steady rate of resident messages through the production stack while, in turn,
Redis is restarted, an RQ worker is killed with SIGKILL, PostgreSQL is restarted, and the database
refuses writes for a while. Counts residents lost (must be 0) and answered more than once, and the
p50/p99 acknowledgement and answer latency over the run and during each fault.

    .venv/bin/python bench/chaos_bench.py                          # the issue's run: 600 s at 300/s
    .venv/bin/python bench/chaos_bench.py --duration 240 --rate 150

The stack is scripts/serve's: gunicorn -c deploy/gunicorn.conf.py 'app:create_production_app()' and
`rq worker -w worker.AppWorker --with-scheduler` processes, on PostgreSQL and on a Redis with
append-only persistence (as production must run it), all on 127.0.0.1; the fake platform stands in for
Facebook and Zalo. A worker that dies is started again (as systemd's Restart=always does). Like the
platforms, the load generator redelivers a POST that was not answered 200 (after 1, 2, 4 … s).

Every message comes from its own resident (Messenger and Zalo alternating), so "answered" is per
resident: lost = no message of the answer reached the fake platform by the end (after a grace period);
duplicated = more messages than the other residents who wrote the same text got. Latencies: the
acknowledgement from the first attempt to the 200 (retries included), the answer from the first attempt
to the first message the fake platform accepted. Results are printed and written to bench/results/.
"""
from __future__ import annotations

import argparse
import collections
import heapq
import http.client
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests" / "channels"))

from webhook_load import (APP_SECRET, OA, OA_SECRET, PAGE, VENV_BIN, ZALO_APP_ID, Services, app_env,  # noqa: E402
                          free_port, message_of, seed, wait_port)


# --------------------------------------------------------------------------- the stack, with faults

class ChaosStack(Services):
    """webhook_load's services, plus persistent Redis, the production web entry point, supervised
    workers and the four faults."""

    def start_redis(self) -> str:
        self.redis_port = free_port()
        self._start_redis_process()
        return f"redis://127.0.0.1:{self.redis_port}/0"

    def _start_redis_process(self) -> None:
        self.redis = self._spawn(["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1",
                                  "--save", "", "--appendonly", "yes", "--appendfsync", "everysec",
                                  "--dir", str(self.workdir)], "redis.log", role="redis")
        wait_port(self.redis_port)

    def restart_redis(self) -> None:
        """SIGTERM (Redis writes its append-only file and exits), then start it again on the same files."""
        self.redis.terminate()
        self.redis.wait(30)
        self._start_redis_process()

    def start_production_web(self, web_workers: int) -> int:
        port = free_port()
        env = {**self.env, "BIND": f"127.0.0.1:{port}", "WEB_WORKERS": str(web_workers), "WEB_THREADS": "8"}
        self.web = self._spawn([str(VENV_BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "--backlog", "4096",
                                "app:create_production_app()"], "gunicorn.log", env, role="web")
        wait_port(port, 60)
        return port

    def start_supervised_workers(self, count: int) -> None:
        self.wanted = count
        self.workers = [self._worker(i) for i in range(count)]
        self._supervise = True
        threading.Thread(target=self._supervisor, daemon=True).start()
        import redis
        from rq import Worker

        connection = redis.Redis.from_url(self.env["REDIS_URL"])
        deadline = time.monotonic() + 120
        while Worker.count(connection=connection) < count and time.monotonic() < deadline:
            time.sleep(0.2)

    def _worker(self, i: int) -> subprocess.Popen:
        argv = ["nice", "-n", "10", str(VENV_BIN / "rq"), "worker", "-w", "worker.AppWorker", "--with-scheduler",
                "-u", self.env["REDIS_URL"], "--logging_level", "WARNING", "bot"]
        return self._spawn(argv, f"worker{i}.log", self.env, role="rq")

    def _supervisor(self) -> None:
        while self._supervise:
            for i, proc in enumerate(self.workers):
                if proc.poll() is not None and self._supervise:
                    self.restarts += 1
                    time.sleep(1)  # systemd's RestartSec
                    self.workers[i] = self._worker(i)
            time.sleep(0.2)

    restarts = 0

    def kill_worker(self) -> None:
        os.killpg(self.workers[0].pid, signal.SIGKILL)

    def restart_postgres(self) -> None:
        subprocess.run(self._as_postgres([str(self.pg_bin / "pg_ctl"), "-D", str(self.pg_data), "-l",
                                          str(self.workdir / "pg.log"), "-m", "fast", "-w", "restart"]),
                       check=True, capture_output=True)

    def read_only(self, on: bool) -> None:
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=self.pg_port, user="postgres", dbname="postgres",
                             autocommit=True) as admin:
            admin.execute("SET default_transaction_read_only = off")  # this session writes, whatever the default
            admin.execute("ALTER DATABASE postgres " + ("SET default_transaction_read_only = on" if on else
                                                       "RESET default_transaction_read_only"))
            admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'postgres' "
                          "AND pid <> pg_backend_pid() AND backend_type = 'client backend'")

    def stop(self) -> None:
        self._supervise = False
        super().stop()


# --------------------------------------------------------------------------- the residents

def signed_post(n: int) -> tuple[str, bytes, dict, str]:
    """Resident n's one message: (path, body, headers, recipient id at the fake platform)."""
    from channels.signatures import facebook_signature, zalo_mac

    now = int(time.time() * 1000)
    if n % 2 == 0:
        user = f"psid-c{n}"
        body = {"object": "page", "entry": [{"id": PAGE, "time": now, "messaging": [
            {"sender": {"id": user}, "recipient": {"id": PAGE}, "timestamp": now,
             "message": {"mid": f"m_chaos_{n}", "text": message_of(n)}}]}]}
        raw = json.dumps(body, ensure_ascii=False).encode()
        return "/webhooks/facebook", raw, {"Content-Type": "application/json",
                                           "X-Hub-Signature-256": facebook_signature(raw, APP_SECRET)}, user
    user = f"zuser-c{n}"
    body = {"event_name": "user_send_text", "app_id": ZALO_APP_ID, "sender": {"id": user}, "recipient": {"id": OA},
            "message": {"text": message_of(n), "msg_id": f"zchaos{n}"}, "timestamp": str(now), "user_id_by_app": "1"}
    raw = json.dumps(body, ensure_ascii=False).encode()
    mac = zalo_mac(ZALO_APP_ID, raw, body["timestamp"], OA_SECRET)
    return "/webhooks/zalo", raw, {"Content-Type": "application/json", "X-ZEvent-Signature": f"mac={mac}"}, user


class Load:
    """Open loop at `rate`: resident n is due at start + n / rate; a POST not answered 200 is sent
    again after 1, 2, 4 … 8 s, as the platforms redeliver. `threads` senders on keep-alive connections."""

    def __init__(self, port: int, rate: float, duration: float, threads: int = 24) -> None:
        self.port, self.rate, self.total = port, rate, int(rate * duration)
        self.first: dict[int, float] = {}  # resident -> first attempt (monotonic)
        self.acked: dict[int, float] = {}  # resident -> when a 200 came
        self.attempts = collections.Counter()
        self.statuses = collections.Counter()
        self.users: dict[str, int] = {}
        self.lock = threading.Lock()
        self.ready: collections.deque = collections.deque()
        self.retry: list[tuple[float, int]] = []
        self.cond = threading.Condition()
        self.done = False
        self.threads = [threading.Thread(target=self._sender, daemon=True) for _ in range(threads)]
        self.start = time.monotonic() + 0.5  # resident n is due at start + n / rate

    def run(self) -> None:
        for thread in self.threads:
            thread.start()
        start = self.start
        n = 0
        while n < self.total or self.retry or len(self.acked) < self.total:
            now = time.monotonic()
            with self.cond:
                while n < self.total and start + n / self.rate <= now:
                    self.ready.append(n)
                    n += 1
                while self.retry and self.retry[0][0] <= now:
                    self.ready.append(heapq.heappop(self.retry)[1])
                self.cond.notify_all()
            if n >= self.total and now - (start + self.total / self.rate) > 300:
                break  # a POST still refused after 5 minutes of redelivery: counted as lost
            time.sleep(0.002)
        self.done = True
        with self.cond:
            self.cond.notify_all()

    def _sender(self) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        while True:
            with self.cond:
                while not self.ready and not self.done:
                    self.cond.wait(0.05)
                if self.done and not self.ready:
                    return
                n = self.ready.popleft()
            path, raw, headers, user = signed_post(n)
            now = time.monotonic()
            with self.lock:
                self.first.setdefault(n, now)
                self.users[user] = n
                self.attempts[n] += 1
                tries = self.attempts[n]
            try:
                connection.request("POST", path, raw, headers)
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
                status = 0
            with self.lock:
                self.statuses[status] += 1
                if status == 200:
                    self.acked.setdefault(n, time.monotonic())
            if status != 200:
                with self.cond:
                    heapq.heappush(self.retry, (time.monotonic() + min(8, 2 ** (tries - 1)), n))


# --------------------------------------------------------------------------- the run

def percentiles(values: list[float]) -> dict:
    if not values:
        return {"n": 0}
    ordered = sorted(values)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return {"n": len(ordered), "p50_ms": round(pick(0.5) * 1000, 1), "p99_ms": round(pick(0.99) * 1000, 1),
            "max_ms": round(ordered[-1] * 1000, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=600, help="seconds of steady load (default 600)")
    parser.add_argument("--rate", type=float, default=300, help="resident messages per second (default 300)")
    parser.add_argument("--read-only-seconds", type=float, default=30)
    parser.add_argument("--rq-workers", type=int, default=3)
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--grace", type=float, default=200, help="seconds to wait for answers after the load")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="chaos-bench-"))
    stack = ChaosStack(workdir)
    faults: list[dict] = []
    try:
        redis_url = stack.start_redis()
        database_url = stack.start_postgres()
        fake_url = stack.start_fake(0.0)
        stack.env = app_env(database_url, redis_url, fake_url)
        stack.env.update({"PUBLIC_BASE_URL": "https://bot.example.test", "LOG_FORMAT": "json",
                          "PROMETHEUS_MULTIPROC_DIR": str(workdir / "metrics")})
        (workdir / "metrics").mkdir()
        seed(stack.env)
        port = stack.start_production_web(args.web_workers)
        stack.start_supervised_workers(args.rq_workers)
        print(f"stack up in {workdir}; {args.duration:.0f} s at {args.rate:.0f}/s", flush=True)

        load = Load(port, args.rate, args.duration)
        plan = [(0.15, "redis restart", stack.restart_redis, None),
                (0.35, "worker SIGKILL", stack.kill_worker, None),
                (0.55, "postgres restart", stack.restart_postgres, None),
                (0.75, f"database read-only {args.read_only_seconds:.0f} s", lambda: stack.read_only(True),
                 lambda: stack.read_only(False))]
        runner = threading.Thread(target=load.run, daemon=True)
        runner.start()
        for at, name, begin, end in plan:
            while time.monotonic() < load.start + at * args.duration:
                time.sleep(0.05)
            started = time.monotonic()
            begin()
            if end is not None:
                time.sleep(args.read_only_seconds)
                end()
            faults.append({"fault": name, "start": started, "end": time.monotonic()})
            print(f"  {name}: {time.monotonic() - started:.1f} s", flush=True)
        runner.join()
        load_end = time.monotonic()
        answers = wait_for_answers(fake_url, load, args.grace)
        report = summarise(load, answers, faults, args, stack.restarts, load_end)
    finally:
        stack.stop()
    print(json.dumps(report, indent=2, ensure_ascii=False))
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / f"chaos-{time.strftime('%Y%m%d-%H%M%S')}.json").write_text(json.dumps(report, indent=2))


def _accepted(fake_url: str) -> dict[str, list[float]]:
    import requests

    data = requests.get(f"{fake_url}/_stats", timeout=60).json()
    found: dict[str, list[float]] = collections.defaultdict(list)
    for _service, recipient, at in data["accepted"]:
        found[json.loads(recipient).get("id") or json.loads(recipient).get("user_id")].append(at)
    return found


def wait_for_answers(fake_url: str, load: Load, grace: float) -> dict[str, list[float]]:
    deadline = time.monotonic() + grace
    while True:
        answers = _accepted(fake_url)
        if sum(1 for user in load.users if user in answers) >= len(load.users) or time.monotonic() > deadline:
            return answers
        time.sleep(5)


def summarise(load: Load, answers: dict, faults: list[dict], args, restarts: int, load_end: float) -> dict:
    by_n = {n: user for user, n in load.users.items()}
    expected: dict[str, int] = {}
    for n, user in by_n.items():  # the fewest messages any resident got for the same text on the same platform
        if user in answers:
            key = f"{n % 2}:{message_of(n)}"
            expected[key] = min(expected.get(key, 10 ** 9), len(answers[user]))
    lost = [user for user in by_n.values() if user not in answers]
    duplicated = [user for n, user in by_n.items() if user in answers and
                  len(answers[user]) > expected[f"{n % 2}:{message_of(n)}"]]
    ack = {n: load.acked[n] - load.first[n] for n in load.acked}
    answer = {n: min(answers[user]) - load.first[n] for n, user in by_n.items() if user in answers}

    def window(start: float, end: float) -> dict:
        chosen = [n for n, t in load.first.items() if start <= t <= end]
        return {"messages": len(chosen), "ack": percentiles([ack[n] for n in chosen if n in ack]),
                "answer": percentiles([answer[n] for n in chosen if n in answer]),
                "lost": sum(1 for n in chosen if by_n.get(n) not in answers)}

    return {
        "duration_s": args.duration, "rate_per_s": args.rate, "rq_workers": args.rq_workers,
        "residents": load.total, "posts": sum(load.attempts.values()), "statuses": dict(load.statuses),
        "lost": len(lost), "lost_examples": lost[:10], "duplicated": len(duplicated),
        "worker_restarts": restarts, "load_average": os.getloadavg(),
        "overall": {"ack": percentiles(list(ack.values())), "answer": percentiles(list(answer.values()))},
        # each fault's window: from its start to 10 s after its end (what it holds up)
        "faults": [{"fault": f["fault"], "took_s": round(f["end"] - f["start"], 1),
                    **window(f["start"], f["end"] + 10)} for f in faults],
    }


if __name__ == "__main__":
    main()
