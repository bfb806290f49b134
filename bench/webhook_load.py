"""Webhook load benchmark: gunicorn + Redis + RQ workers + PostgreSQL + the fake platform, all on 127.0.0.1.

    .venv/bin/python bench/webhook_load.py            # full run (~3 minutes)
    .venv/bin/python bench/webhook_load.py --quick    # shorter phases

Phases (a separate load-generator process sends signed Messenger and Zalo events, open loop):
  1. ingest   - no workers running: acknowledgement latency at rising rates, single-event POSTs
                and Messenger batches of 10 events per POST;
  2. answer   - RQ workers on (worker.AppWorker, warmed up before the clock starts): events
                answered per second end to end, from the first event offered to the last platform
                message accepted by the fake server;
  3. reliable - 10 % duplicate deliveries and a fake server failing 30 % of sends: every event must
                be answered exactly once (checked per resident at the fake server and in the database).
Each resident sends one of the messages of bench/resident_messages.txt (greetings, procedure questions,
office facts, English, out of scope), so answers vary in size as real traffic does.
Everything it starts is stopped at the end; results are printed and written to bench/results/.
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import random
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
VENV_BIN = Path(sys.executable).parent

APP_SECRET, OA_SECRET, ZALO_APP_ID = "bench-app-secret", "bench-oa-secret", "2553928453557884079"
PAGE, PAGE_TOKEN, OA, OA_TOKEN = "106000000000001", "bench-page-token", "3662729599332560487", "bench-oa-token"
MESSAGES = [line.strip() for line in (ROOT / "bench" / "resident_messages.txt").read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


def message_of(n: int) -> str:
    """Event n's text: the residents' messages in turn, each resident (n) asking one of them."""
    return MESSAGES[(n // 2) % len(MESSAGES)]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port}")


# --------------------------------------------------------------------------- services

class Services:
    """Redis, PostgreSQL, the fake platform, gunicorn and RQ workers; `stop()` ends them all."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.procs: list[subprocess.Popen] = []
        self.roles: dict[int, str] = {}  # process group -> "web" | "rq" | "fake" | "redis"
        self.pg_bin = Path(sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))[-1]).parent
        self.env: dict[str, str] = {}
        self.workers: list[subprocess.Popen] = []
        self.web: subprocess.Popen | None = None

    def _spawn(self, argv: list[str], log: str, env: dict | None = None, role: str = "") -> subprocess.Popen:
        out = open(self.workdir / log, "ab")
        proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                env=env, cwd=ROOT, start_new_session=True)
        self.procs.append(proc)
        self.roles[proc.pid] = role or log.split(".")[0]
        return proc

    def cpu_seconds(self) -> dict[str, float]:
        """CPU time used so far by each role's processes (PostgreSQL: the postmaster and its backends)."""
        postmaster = int((self.pg_data / "postmaster.pid").read_text().split()[0])
        ticks = os.sysconf("SC_CLK_TCK")
        used: dict[str, float] = {}
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            ppid, group = int(fields[1]), int(fields[2])
            role = "postgres" if postmaster in (ppid, int(entry.name)) else self.roles.get(group)
            if role:
                used[role] = used.get(role, 0.0) + (int(fields[11]) + int(fields[12])) / ticks
        return used

    def _as_postgres(self, argv: list[str]) -> list[str]:
        return (["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []) + argv

    def start_redis(self) -> str:
        port = free_port()
        self._spawn(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                     "--appendonly", "no", "--dir", str(self.workdir)], "redis.log", role="redis")
        wait_port(port)
        return f"redis://127.0.0.1:{port}/0"

    def start_postgres(self) -> str:
        data = self.workdir / "pg"
        if os.geteuid() == 0:
            shutil.chown(self.workdir, "postgres")
        subprocess.run(self._as_postgres([str(self.pg_bin / "initdb"), "-D", str(data), "-U", "postgres",
                                          "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"]),
                       check=True, capture_output=True)
        self.pg_port = free_port()
        with open(data / "postgresql.conf", "a") as conf:
            conf.write(f"\nlisten_addresses='127.0.0.1'\nport={self.pg_port}\nunix_socket_directories='{data}'\n"
                       "fsync=off\nsynchronous_commit=off\nfull_page_writes=off\nmax_connections=200\n")
        subprocess.run(self._as_postgres([str(self.pg_bin / "pg_ctl"), "-D", str(data), "-l", str(self.workdir / "pg.log"),
                                          "-w", "start"]), check=True, capture_output=True)
        self.pg_data = data
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.pg_port}/postgres"

    def start_fake(self, fail_rate: float) -> str:
        port = free_port()
        # one gunicorn process (the fake keeps its records in memory), keep-alive like the real APIs;
        # --header-map dangerous keeps Zalo's underscored headers (access_token)
        factory = f"fake_platform:bench_app({str(fail_rate)!r}, {PAGE_TOKEN + '=' + PAGE!r}, {OA_TOKEN + '=' + OA!r})"
        self.fake = self._spawn([str(VENV_BIN / "gunicorn"), "-w", "1", "-k", "gthread", "--threads", "16",
                                 "--keep-alive", "30", "--header-map", "dangerous", "--chdir",
                                 str(ROOT / "tests/channels"), "-b", f"127.0.0.1:{port}", "--log-level", "warning",
                                 factory], "fake.log", role="fake")
        wait_port(port)
        return f"http://127.0.0.1:{port}"

    def stop_fake(self) -> None:
        self._end(self.fake)

    def start_web(self, web_workers: int, threads: int) -> int:
        port = free_port()
        self.web = self._spawn([str(VENV_BIN / "gunicorn"), "-w", str(web_workers), "-k", "gthread",
                                "--threads", str(threads), "--keep-alive", "30", "--backlog", "4096",
                                "-b", f"127.0.0.1:{port}", "--log-level", "warning", "app:create_app()"],
                               "gunicorn.log", self.env, role="web")
        wait_port(port)
        return port

    def start_workers(self, count: int) -> None:
        """Start `count` RQ workers (as in production: worker.AppWorker) and wait until all listen."""
        import redis
        from rq import Worker

        for i in range(count):
            # niced: on shared cores the 2-second acknowledgement (Zalo) comes before answering
            argv = ["nice", "-n", "10", str(VENV_BIN / "rq"), "worker", "-w", "worker.AppWorker",
                    "-u", self.env["REDIS_URL"], "--logging_level", "WARNING", "bot"]
            if i == 0:
                argv.insert(5, "--with-scheduler")  # moves due retries onto the queue
            self.workers.append(self._spawn(argv, f"worker{i}.log", self.env, role="rq"))
        connection = redis.Redis.from_url(self.env["REDIS_URL"])
        deadline = time.monotonic() + 120
        # an AppWorker registers once its app and matcher index are built: none is measured warming up
        while Worker.count(connection=connection) < count and time.monotonic() < deadline:
            time.sleep(0.2)

    def stop_workers(self) -> None:
        for proc in self.workers:
            self._end(proc)
        self.workers = []

    @staticmethod
    def _end(proc: subprocess.Popen) -> None:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()

    def stop(self) -> None:
        for proc in reversed(self.procs):
            self._end(proc)
        if getattr(self, "pg_data", None):
            subprocess.run(self._as_postgres([str(self.pg_bin / "pg_ctl"), "-D", str(self.pg_data), "-m",
                                              "immediate", "-w", "stop"]), capture_output=True)


def app_env(database_url: str, redis_url: str, fake_url: str) -> dict[str, str]:
    from cryptography.fernet import Fernet

    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "LC_ALL")}
    env.update({
        "DATABASE_URL": database_url, "REDIS_URL": redis_url, "SECRET_KEY": "bench",
        "PUBLIC_BASE_URL": "https://bot.example.test",  # workers refuse to start without it (operations/startup.py)
        "TOKEN_ENCRYPTION_KEY": Fernet.generate_key().decode(), "FACEBOOK_APP_SECRET": APP_SECRET,
        "ZALO_APP_ID": ZALO_APP_ID, "ZALO_APP_SECRET": "bench-zalo-app-secret", "ZALO_OA_SECRET_KEY": OA_SECRET,
        "FACEBOOK_GRAPH_URL": f"{fake_url}/v23.0", "ZALO_OPENAPI_URL": fake_url, "ZALO_OAUTH_URL": fake_url,
        "DELIVERY_RETRY_BASE_MS": "500", "DELIVERY_RETRY_MAX_MS": "8000", "DELIVERY_MAX_ATTEMPTS": "10", "LOG_LEVEL": "WARNING", "PYTHONPATH": str(ROOT),
    })
    return env


def point_at_fake(env: dict[str, str], fake_url: str) -> None:
    env.update({"FACEBOOK_GRAPH_URL": f"{fake_url}/v23.0", "ZALO_OPENAPI_URL": fake_url, "ZALO_OAUTH_URL": fake_url})


def seed(env: dict[str, str]) -> None:
    """Schema, knowledge base, one commune with a Page and an OA (through the real CLI)."""
    flask = [str(VENV_BIN / "flask"), "--app", "app"]
    def run(*args):
        return subprocess.run(flask + list(args), env=env, cwd=ROOT, check=True, capture_output=True)
    run("db", "upgrade")
    run("kb", "import")
    run("communes", "add", "xa-bench", "--name", "Xã Thử Tải", "--facebook-page-id", PAGE,
        "--facebook-page-token", PAGE_TOKEN, "--zalo-oa-id", OA, "--zalo-access-token", OA_TOKEN,
        "--zalo-refresh-token", "bench-refresh", "--zalo-expires-in", "90000")


# --------------------------------------------------------------------------- events

def signed_requests(start: int, count: int, batch: int, duplicates: float, seed_: int,
                    mixed: bool = True) -> list[tuple[str, bytes, dict]]:
    """(path, body, headers) per POST. Mixed: even events go to Messenger, odd ones to Zalo (one per
    POST); otherwise all to Messenger. With batch > 1 Messenger events are grouped as Meta does.
    Each event comes from its own resident."""
    from channels.signatures import facebook_signature, zalo_mac

    rnd = random.Random(seed_)
    now = int(time.time() * 1000)
    posts: list[tuple[str, bytes, dict]] = []
    fb_items: list[dict] = []

    def flush() -> None:
        if fb_items:
            raw = json.dumps({"object": "page", "entry": [{"id": PAGE, "time": now, "messaging": list(fb_items)}]},
                             ensure_ascii=False).encode()
            posts.append(("/webhooks/facebook", raw, {"Content-Type": "application/json",
                                                      "X-Hub-Signature-256": facebook_signature(raw, APP_SECRET)}))
            fb_items.clear()

    for n in range(start, start + count):
        if n % 2 == 0 or not mixed:
            fb_items.append({"sender": {"id": f"psid-{n}"}, "recipient": {"id": PAGE}, "timestamp": now,
                             "message": {"mid": f"m_bench_{n}", "text": message_of(n)}})
            if len(fb_items) >= batch:
                flush()
        else:
            body = {"event_name": "user_send_text", "app_id": ZALO_APP_ID, "sender": {"id": f"zuser-{n}"},
                    "recipient": {"id": OA}, "message": {"text": message_of(n), "msg_id": f"zmsg{n}"},
                    "timestamp": str(now), "user_id_by_app": "1"}
            raw = json.dumps(body, ensure_ascii=False).encode()
            mac = zalo_mac(ZALO_APP_ID, raw, body["timestamp"], OA_SECRET)
            posts.append(("/webhooks/zalo", raw, {"Content-Type": "application/json", "X-ZEvent-Signature": f"mac={mac}"}))
    flush()
    if duplicates:
        extra = [posts[rnd.randrange(len(posts))] for _ in range(int(len(posts) * duplicates))]
        posts += extra
        rnd.shuffle(posts)
    return posts


# --------------------------------------------------------------------------- load generator (own process)

class _Client:
    """One of the generator's `connections` clients: one POST at a time on a keep-alive connection
    (no pipelining), opened on its first POST; a lost connection is reopened and the POST sent
    again once, as a client library would."""

    def __init__(self, load: "_OpenLoop") -> None:
        self.load = load
        self.sock: socket.socket | None = None
        self.post: tuple[float, bytes] | None = None  # (due, request bytes) in flight
        self.attempt = 0
        self.buffer = self.head = b""
        self.need = -1  # bytes of the whole response once its head is read

    def send(self, due: float, request: bytes) -> None:
        self.post, self.attempt = (due, request), 0
        self._try()

    def _try(self) -> None:
        self.attempt += 1
        self.buffer, self.need = b"", -1
        try:
            if self.sock is None:
                self.sock = socket.create_connection(("127.0.0.1", self.load.port))
                self.load.watch(self)
            self.sock.sendall(self.post[1])
        except OSError:
            self._lost()

    def _lost(self) -> None:
        self.close()
        if self.attempt < 2:
            self._try()
        else:
            self.load.failures.append("connection")
            self.post = None
            self.load.finished.append(self)

    def close(self) -> None:
        if self.sock is not None:
            self.load.unwatch(self)
            self.sock.close()
            self.sock = None

    def readable(self) -> None:
        try:
            data = self.sock.recv(65536)
        except OSError:
            data = b""
        if not data:
            if self.post is None:
                self.close()  # the server closed an idle connection
            else:
                self._lost()
            return
        if self.post is None:
            return
        self.buffer += data
        if self.need < 0:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            self.head = self.buffer[:end + 2].lower()
            at = self.head.find(b"\r\ncontent-length:") + 17
            self.need = end + 4 + (int(self.head[at:self.head.index(b"\r\n", at)]) if at > 16 else 0)
        if len(self.buffer) < self.need:
            return
        self.load.latencies.append(time.perf_counter() - self.post[0])
        status = int(self.head.split(b" ", 2)[1])
        if status != 200:
            self.load.failures.append(status)
        self.post = None
        if b"\r\nconnection: close\r\n" in self.head:
            self.close()
        self.load.finished.append(self)


class _OpenLoop:
    """Open loop: POST i is due at start + i / rate and goes to the client idle longest (or waits for
    the first to finish); its latency counts from the due time.

    One thread, epoll and blocking sockets (a POST fits in the socket buffer; a client only reads
    when epoll says so) rather than asyncio: the generator shares the machine's two cores with the
    server it measures, and this costs less than half the CPU per POST of asyncio streams."""

    def __init__(self, port: int, connections: int) -> None:
        self.port = port
        self.poller = select.epoll()
        self.by_fd: dict[int, _Client] = {}
        self.idle = collections.deque(_Client(self) for _ in range(connections))
        self.waiting: collections.deque = collections.deque()
        self.finished: collections.deque[_Client] = collections.deque()  # done with their POST
        self.latencies: list[float] = []
        self.failures: list = []
        self.left = 0

    def watch(self, client: _Client) -> None:
        self.by_fd[client.sock.fileno()] = client
        self.poller.register(client.sock.fileno(), select.EPOLLIN)

    def unwatch(self, client: _Client) -> None:
        self.poller.unregister(client.sock.fileno())
        del self.by_fd[client.sock.fileno()]

    def submit(self, due: float, request: bytes) -> None:
        if self.idle:
            self.idle.popleft().send(due, request)
        else:
            self.waiting.append((due, request))

    def recycle(self) -> None:
        """Clients done with their POST take the next waiting one or go idle (a loop, not recursion:
        with the server gone, every send fails at once)."""
        while self.finished:
            client = self.finished.popleft()
            self.left -= 1
            if self.waiting:
                client.send(*self.waiting.popleft())
            else:
                self.idle.append(client)

    def run(self, requests: list[bytes], rate: float) -> float:
        """Send them all; the seconds from the first due time until the last answer."""
        self.left = len(requests)
        start = time.perf_counter() + 0.2
        sent = 0
        while self.left > 0:
            now = time.perf_counter()
            while sent < len(requests) and start + sent / rate <= now:
                self.submit(start + sent / rate, requests[sent])
                sent += 1
            self.recycle()
            if self.left == 0:
                break
            wait = start + sent / rate - time.perf_counter() if sent < len(requests) else 1.0
            for fd, _events in self.poller.poll(max(wait, 0.0)):
                client = self.by_fd.get(fd)
                if client is not None:
                    client.readable()
            self.recycle()
        elapsed = time.perf_counter() - start
        for client in list(self.by_fd.values()):
            client.close()
        self.poller.close()
        return elapsed


def _request_bytes(path: str, raw: bytes, headers: dict) -> bytes:
    head = f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {len(raw)}\r\n" + \
        "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
    return head.encode() + raw


def _generate(port: int, posts: list, rate: float, connections: int) -> dict:
    load = _OpenLoop(port, connections)
    elapsed = load.run([_request_bytes(*post) for post in posts], rate)
    latencies = sorted(load.latencies)
    def pick(q):
        return round(latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000, 1) if latencies else None
    return {"posts": len(posts), "elapsed_s": round(elapsed, 2), "posts_per_s": round(len(posts) / elapsed, 1),
            "p50_ms": pick(0.50), "p99_ms": pick(0.99), "max_ms": pick(1.0), "failures": len(load.failures)}


def generate_main(args: argparse.Namespace) -> None:
    posts = signed_requests(args.start, args.events, args.batch, args.duplicates, args.start, not args.messenger_only)
    rate = args.rate / max(1.0, _events_per_post(args.events, args.batch, len(posts), args.duplicates))
    result = _generate(args.port, posts, rate, args.connections)
    result["events"] = args.events
    result["events_per_s"] = round(args.events / result["elapsed_s"], 1)
    print(json.dumps(result))


def _events_per_post(events: int, batch: int, posts: int, duplicates: float) -> float:
    return events * (1 + duplicates) / posts


def run_generator(port: int, start: int, events: int, rate: float, batch: int = 1, duplicates: float = 0.0,
                  connections: int = 64, messenger_only: bool = False) -> dict:
    out = subprocess.run([sys.executable, __file__, "--generate", "--port", str(port), "--start", str(start),
                          "--events", str(events), "--rate", str(rate), "--batch", str(batch),
                          "--duplicates", str(duplicates), "--connections", str(connections)]
                         + (["--messenger-only"] if messenger_only else []),
                         capture_output=True, text=True, timeout=600, cwd=ROOT)
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-2000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------- phases

def fake_stats(fake_url: str) -> dict:
    import requests

    return requests.get(f"{fake_url}/_stats", timeout=30).json()


def answered_users(stats: dict) -> dict[str, int]:
    counts: dict[str, int] = {}
    for _service, recipient, _at in stats["accepted"]:
        user = next(iter(json.loads(recipient).values()))
        counts[user] = counts.get(user, 0) + 1
    return counts


def wait_answered(fake_url: str, users: set[str], timeout: float, start: float | None = None) -> tuple[dict, float]:
    """The fake's records once every user has an answer, and the seconds since `start` (default: now)."""
    start = time.monotonic() if start is None else start
    while time.monotonic() - start < timeout:
        stats = fake_stats(fake_url)
        if users <= set(answered_users(stats)):
            return stats, time.monotonic() - start
        time.sleep(0.5)
    return fake_stats(fake_url), time.monotonic() - start


def exactly_once(got: dict[str, int], users: dict[str, int], database_url: str) -> dict:
    """Each resident sent one message: exactly once means one answered event per resident, every part
    of it accepted by the platform once (as many accepted messages as recorded parts), and residents who
    wrote the same text on the same platform got the same number of messages."""
    import psycopg

    with psycopg.connect(database_url.replace("postgresql+psycopg", "postgresql")) as db:
        rows = {user: (keys, parts, sent) for user, keys, parts, sent in db.execute(
            "SELECT user_id, count(DISTINCT event_key), count(*), count(*) FILTER (WHERE status = 'sent')"
            " FROM channel_deliveries WHERE user_id = ANY(%s) GROUP BY user_id", (list(users),))}
    by_text: dict[tuple[str, str], set[int]] = {}
    for user, n in users.items():
        by_text.setdefault((user[:4], message_of(n)), set()).add(got.get(user, 0))
    wrong = sorted(user for user in users
                   if rows.get(user, (0, 0, 0)) != (1, got.get(user, 0), got.get(user, 0)) or not got.get(user))
    uneven = sorted(f"{platform}: {text}" for (platform, text), counts in by_text.items() if len(counts) > 1)
    return {"users_not_exactly_once": wrong[:10], "texts_answered_unevenly": uneven,
            "exactly_once": not wrong and not uneven}


def what_became_of(database_url: str, users: list[str]) -> dict[str, dict]:
    """For residents the fake platform never answered: their delivery rows and dead letters."""
    import psycopg

    found: dict[str, dict] = {}
    if not users:
        return found
    with psycopg.connect(database_url.replace("postgresql+psycopg", "postgresql")) as db:
        for user in users:
            found[user] = {
                "deliveries": [list(map(str, row)) for row in db.execute(
                    "SELECT event_key, seq, status, attempts, error_code, error_message, updated_at"
                    " FROM channel_deliveries WHERE user_id = %s", (user,))],
                "dead_letters": [list(map(str, row)) for row in db.execute(
                    "SELECT reason, error_code, detail FROM channel_dead_letters WHERE user_id = %s", (user,))],
                "transcript_lines": db.execute("SELECT count(*) FROM transcript_lines WHERE user_id = %s",
                                               (user,)).fetchone()[0],
            }
    return found


def queue_empty(redis_url: str) -> bool:
    import redis

    r = redis.Redis.from_url(redis_url)
    return r.llen("rq:queue:bot") == 0 and r.zcard("rq:scheduled:bot") == 0


def flush_jobs(redis_url: str) -> None:
    import redis

    redis.Redis.from_url(redis_url).flushdb()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--generate", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int)
    parser.add_argument("--start", type=int, default=0)
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=500)
    parser.add_argument("--batch", type=int, default=1)
    parser.add_argument("--duplicates", type=float, default=0.0)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--messenger-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--rq-workers", type=int, default=3)  # on 2 cores, 4 ran slower (more switching)
    args = parser.parse_args()
    if args.generate:
        generate_main(args)
        return
    report = run_benchmark(args)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / f"webhook_load-{time.strftime('%Y%m%d-%H%M%S')}.json").write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))


def run_benchmark(args: argparse.Namespace) -> dict:
    seconds = 3 if args.quick else 6
    workdir = Path(tempfile.mkdtemp(prefix="bot-bench-"))
    services = Services(workdir)
    report: dict = {"machine": {"cpus": os.cpu_count()}, "ingest": [], "answer": None, "reliable": None}
    next_event = 0
    try:
        redis_url, database_url = services.start_redis(), services.start_postgres()
        fake_url = services.start_fake(0.0)
        services.env = app_env(database_url, redis_url, fake_url)
        seed(services.env)
        port = services.start_web(args.web_workers, 4)
        run_generator(port, 10_000_000, 200, 200)  # warm-up: every gunicorn worker builds its app
        flush_jobs(redis_url)

        print("phase 1: ingest (no workers)", file=sys.stderr)
        # one event per POST (Messenger and Zalo alternating), then Messenger batches of 10 (Meta batches)
        for batch, rates in ((1, (250, 500, 750, 1000, 1500, 2000)), (10, (1000, 2000, 3000, 4000, 6000))):
            for rate in rates:
                events = int(rate * seconds)
                web_before = services.cpu_seconds().get("web", 0.0)
                result = run_generator(port, next_event, events, rate, batch=batch, messenger_only=batch > 1)
                web_cpu = services.cpu_seconds().get("web", 0.0) - web_before
                next_event += events
                result.update({"offered_events_per_s": rate,
                               "events_per_post": "1 (Messenger + Zalo)" if batch == 1 else "10 (Messenger)",
                               "web_cpu_ms_per_post": round(web_cpu * 1000 / result["posts"], 3)})
                report["ingest"].append(result)
                print(json.dumps(result), file=sys.stderr)
                flush_jobs(redis_url)

        print("phase 2: answered end to end", file=sys.stderr)
        services.start_workers(args.rq_workers)
        events = 600 if args.quick else 4000  # enough that the first seconds (workers warming up) weigh little
        first = next_event
        cpu_before = services.cpu_seconds()
        offered_at = time.monotonic()  # answered/s counts from the first event offered to the last answered
        ingest = run_generator(port, first, events, 1000, batch=10)
        next_event += events
        users = {f"psid-{n}" if n % 2 == 0 else f"zuser-{n}" for n in range(first, first + events)}
        wait_answered(fake_url, users, 300, start=offered_at)
        while not queue_empty(redis_url):  # the later parts of the last answers
            time.sleep(0.2)
        time.sleep(1)
        stats = fake_stats(fake_url)
        cpu_ms = {role: round((used - cpu_before.get(role, 0.0)) * 1000 / events, 2)
                  for role, used in services.cpu_seconds().items()}
        got = answered_users(stats)
        # the fake stamps each accepted message with the machine's monotonic clock, as offered_at is
        done_at = [at for _s, r, at in stats["accepted"] if next(iter(json.loads(r).values())) in users]
        span = max(done_at) - min(done_at) if done_at else 0
        elapsed = max(done_at) - offered_at
        report["answer"] = {"events": events, "ingest": ingest, "answered_users": len(users & set(got)),
                            "platform_messages": len(done_at), "seconds_to_answer_all": round(elapsed, 1),
                            "answered_events_per_s": round(len(users & set(got)) / elapsed, 1),
                            "platform_messages_per_s": round(len(done_at) / span, 1) if span else None,
                            "rq_workers": args.rq_workers,
                            "cpu_ms_per_event": dict(sorted(cpu_ms.items(), key=lambda kv: -kv[1]))}
        print(json.dumps(report["answer"]), file=sys.stderr)

        print("phase 3: 10% duplicates, 30% failing sends", file=sys.stderr)
        services.stop_workers()
        services.stop_fake()
        fake_url = services.start_fake(0.3)
        point_at_fake(services.env, fake_url)
        services.start_workers(args.rq_workers)
        events = 400 if args.quick else 1000
        first = next_event
        offered_at = time.monotonic()
        ingest = run_generator(port, first, events, 500, batch=1, duplicates=0.10)
        users = {f"psid-{n}" if n % 2 == 0 else f"zuser-{n}" for n in range(first, first + events)}
        stats, elapsed = wait_answered(fake_url, users, 300, start=offered_at)
        deadline = time.monotonic() + 120  # let retries of later parts finish too
        while not queue_empty(redis_url) and time.monotonic() < deadline:
            time.sleep(0.5)
        time.sleep(2)
        stats = fake_stats(fake_url)
        got = answered_users(stats)
        report["reliable"] = {
            "events": events, "posts_incl_duplicates": ingest["posts"], "ingest": ingest,
            "send_attempts": stats["attempts"], "accepted_messages": len(stats["accepted"]),
            "users_answered": len(users & set(got)), "users_missing": len(users - set(got)),
            **exactly_once(got, {f"psid-{n}" if n % 2 == 0 else f"zuser-{n}": n for n in range(first, first + events)},
                           database_url),
            "seconds_to_answer_all": round(elapsed, 1),
            "missing_users": what_became_of(database_url, sorted(users - set(got))[:10]),
        }
        print(json.dumps(report["reliable"]), file=sys.stderr)
    finally:
        services.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    return report


if __name__ == "__main__":
    main()
