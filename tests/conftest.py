"""Shared fixtures: the app on either backend, and real Redis / PostgreSQL servers.

The suite runs twice (see scripts/test), chosen by BOT_TEST_BACKEND:

* ``embedded`` (default): SQLite file + in-process store, as `scripts/start` runs the bot.
  Tests marked ``services`` (or using ``redis_server`` / ``postgres_server``) are skipped.
* ``services``: a PostgreSQL database and a Redis keyspace of their own for every test,
  on servers this file starts once per session (nothing needs to be running beforehand).

Fixtures (see each docstring):
    backend            "embedded" | "services"
    app, client, runner
    app_config         extra create_app() settings for `app`; override it in a module
    make_app           factory: make_app(**overrides) -> a further app on the same database
    database_url       the fresh, migrated database of the current test
    database_seed      override to start every test with rows made once per session
    sqlite_template    migrated SQLite file that database_url copies (session)
    postgres_template  name of the migrated PostgreSQL template database (session; services only)
    redis_server       "redis://127.0.0.1:PORT" (session; services only)
    redis_url          "redis://127.0.0.1:PORT/1", emptied before the test (services only)
    postgres_server    "postgresql+psycopg://postgres@127.0.0.1:PORT" (session; services only)
    postgres_database  factory: postgres_database(template=None) -> URL of a new database
    chromium_path      path of a Chromium binary, or the test is skipped
    restore_signals    puts SIGINT/SIGTERM handlers back after an rq worker ran in the test

Markers (pytest.ini): ``@pytest.mark.services`` runs only in the services run,
``@pytest.mark.embedded`` only in the embedded run.

Test modules are imported in pytest's default (prepend) mode, so every test file under
tests/ needs a basename of its own (tests/a/test_cli.py beside tests/b/test_cli.py fails
collection), and helpers beside a test file import by their bare name.

Slow per-test setup (importing the knowledge base, hashing passwords) belongs in
``database_seed``: it runs once per session and each test gets a copy of the result.
"""
from __future__ import annotations

import glob
import itertools
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Callable, Iterator

import pytest
from flask import Flask

BACKENDS = ("embedded", "services")
BACKEND = os.environ.get("BOT_TEST_BACKEND", "embedded").strip().lower() or "embedded"

# Settings the app reads from the environment: a developer's shell must not leak into tests.
_ENV_KEYS = (
    "SECRET_KEY", "DATABASE_URL", "REDIS_URL", "DEFAULT_LANGUAGE", "CONVERSATION_TTL",
    "DEDUP_TTL", "MAX_MESSAGE_CHARS", "PORTAL_BASE_URL", "FACEBOOK_GRAPH_URL", "ZALO_OPENAPI_URL",
    "ZALO_OAUTH_URL", "FACEBOOK_APP_SECRET", "FACEBOOK_VERIFY_TOKEN", "ZALO_APP_ID",
    "ZALO_APP_SECRET", "ZALO_OA_SECRET_KEY", "TOKEN_ENCRYPTION_KEY", "JOBS_INLINE",
)
SERVICE_FIXTURES = {"redis_server", "redis_url", "postgres_server", "postgres_database", "postgres_template",
                    "_postgres_cluster"}
REDIS_APP_DB = 1  # the app's keyspace in the services run; flushed before every test


# --------------------------------------------------------------------------- pytest hooks

def pytest_configure(config: pytest.Config) -> None:
    if BACKEND not in BACKENDS:
        raise pytest.UsageError(f"BOT_TEST_BACKEND must be one of {BACKENDS}, not {BACKEND!r}")
    # the markers `services` and `embedded` are declared in pytest.ini (strict markers)
    try:
        from infra.settings import ENV_KEYS
    except ImportError:  # pragma: no cover - infra missing is reported by the tests themselves
        ENV_KEYS = _ENV_KEYS
    for key in set(ENV_KEYS) | set(_ENV_KEYS):
        os.environ.pop(key, None)


def pytest_report_header(config: pytest.Config) -> str:
    return f"bot test backend: {BACKEND} (BOT_TEST_BACKEND)"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    skip_services = pytest.mark.skip(reason="needs services: run with BOT_TEST_BACKEND=services")
    skip_embedded = pytest.mark.skip(reason="embedded backend only")
    for item in items:
        needs_services = item.get_closest_marker("services") is not None or bool(
            SERVICE_FIXTURES & set(getattr(item, "fixturenames", ())))
        if needs_services and item.get_closest_marker("services") is None:
            item.add_marker(pytest.mark.services)
        if needs_services and BACKEND != "services":
            item.add_marker(skip_services)
        if item.get_closest_marker("embedded") is not None and BACKEND != "embedded":
            item.add_marker(skip_embedded)


# --------------------------------------------------------------------------- helpers

def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _cleanup_when_gone(script: str, *args: str) -> None:
    """Run the shell `script` (with `args` as $1...) once this pytest process has gone, even if it
    was killed before its teardown: a detached watcher, so no server outlives the session."""
    watcher = 'while kill -0 "$0" 2>/dev/null; do sleep 1; done; ' + script
    subprocess.Popen(["sh", "-c", watcher, str(os.getpid()), *args], start_new_session=True,
                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _require_services(what: str) -> None:
    if BACKEND != "services":
        pytest.skip(f"{what} is started only in the services run (BOT_TEST_BACKEND=services)")


def _find_redis_server() -> str:
    found = shutil.which("redis-server") or ("/usr/bin/redis-server" if os.access("/usr/bin/redis-server", os.X_OK) else None)
    if not found:
        pytest.fail("redis-server not found: `apt-get install redis-server` (scripts/test does it)")
    return found


def _find_pg_bin() -> Path:
    if os.environ.get("PG_BIN"):
        return Path(os.environ["PG_BIN"])
    candidates = glob.glob("/usr/lib/postgresql/*/bin/initdb")
    if not candidates:
        found = shutil.which("initdb")
        if found:
            return Path(found).parent
        pytest.fail("PostgreSQL not found: `apt-get install postgresql` (scripts/test does it)")
    newest = max(candidates, key=lambda p: int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0)
    return Path(newest).parent


# --------------------------------------------------------------------------- Redis

@pytest.fixture(scope="session")
def redis_server() -> Iterator[str]:
    """A real redis-server on a free loopback port, without persistence, for the whole session.

    Yields its base URL ``redis://127.0.0.1:PORT`` (append ``/N`` for database N). Tests that
    share it should use a database number of their own or the ``redis_url`` fixture."""
    _require_services("Redis")
    import redis

    binary = _find_redis_server()
    workdir = tempfile.mkdtemp(prefix="bot-redis-")
    last_error = ""
    for _attempt in range(3):
        port = free_port()
        log = open(os.path.join(workdir, "redis.log"), "ab")
        proc = subprocess.Popen(
            [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", workdir, "--daemonize", "no", "--databases", "16"],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )
        client = redis.Redis(host="127.0.0.1", port=port, socket_connect_timeout=0.5)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                if client.ping():
                    break
            except redis.exceptions.ConnectionError:
                time.sleep(0.05)
        else:
            proc.kill()
            proc.wait()
            log.close()
            last_error = Path(workdir, "redis.log").read_text(errors="replace")[-2000:]
            continue
        client.close()
        _cleanup_when_gone('grep -q redis-server "/proc/$1/cmdline" 2>/dev/null && kill "$1"; rm -rf "$2"',
                           str(proc.pid), workdir)
        try:
            yield f"redis://127.0.0.1:{port}"
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            log.close()
            shutil.rmtree(workdir, ignore_errors=True)
        return
    shutil.rmtree(workdir, ignore_errors=True)
    pytest.fail(f"redis-server did not answer PING:\n{last_error}")


@pytest.fixture
def redis_url(redis_server: str) -> str:
    """URL of a Redis database (number 1) emptied before this test; the services app uses it."""
    import redis

    url = f"{redis_server}/{REDIS_APP_DB}"
    client = redis.Redis.from_url(url)
    client.flushdb()
    client.close()
    return url


# --------------------------------------------------------------------------- PostgreSQL

class PostgresCluster:
    """A throw-away PostgreSQL cluster in a temp dir, owned by the `postgres` user when run as root."""

    def __init__(self) -> None:
        self.bindir = _find_pg_bin()
        self.as_root = os.geteuid() == 0
        # Not under pytest's tmp dir: that is private to root and the server runs as `postgres`.
        self.root = Path(tempfile.mkdtemp(prefix="bot-pg-", dir="/tmp" if os.path.isdir("/tmp") else None))
        self.data = self.root / "data"
        self.sockets = self.root / "sockets"
        self.log = self.root / "server.log"
        self.port = 0
        self._admin = None
        self._names = itertools.count(1)
        if self.as_root:
            try:
                import pwd

                user = pwd.getpwnam("postgres")
            except KeyError:
                pytest.fail("no `postgres` system user: `apt-get install postgresql` creates it")
            os.chown(self.root, user.pw_uid, user.pw_gid)
        self._run("mkdir", "-p", str(self.sockets))

    def _run(self, *argv: str, check: bool = True) -> subprocess.CompletedProcess:
        cmd = (["runuser", "-u", "postgres", "--"] if self.as_root else []) + list(argv)
        result = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True, cwd=self.root)
        if check and result.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
        return result

    def start(self) -> None:
        self._run(str(self.bindir / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust",
                  "-E", "UTF8", "--locale=C", "--no-sync")
        base_conf = (self.data / "postgresql.conf").read_text()
        last_error = ""
        for _attempt in range(3):
            self.port = free_port()
            settings = {
                "listen_addresses": "'127.0.0.1'",
                "port": str(self.port),
                "unix_socket_directories": f"'{self.sockets}'",
                "max_connections": "200",
                # durability is worthless for a throw-away cluster; speed is not
                "fsync": "off",
                "synchronous_commit": "off",
                "full_page_writes": "off",
                "shared_buffers": "64MB",
                "log_min_messages": "warning",
            }
            conf = base_conf + "\n# bot tests\n" + "".join(f"{k} = {v}\n" for k, v in settings.items())
            (self.data / "postgresql.conf").write_text(conf)  # keeps the owner: the file exists
            result = self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l", str(self.log),
                               "-w", "-t", "60", "start", check=False)
            if result.returncode == 0:
                stop = ["runuser", "-u", "postgres", "--"] if self.as_root else []
                stop += [str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"]
                _cleanup_when_gone('data="$1" root="$2"; shift 2; [ -f "$data/postmaster.pid" ] && "$@"; rm -rf "$root"',
                                   str(self.data), str(self.root), *stop)
                return
            last_error = result.stdout + result.stderr
            if self.log.exists():
                last_error += self.log.read_text(errors="replace")[-2000:]
        raise RuntimeError(f"PostgreSQL did not start:\n{last_error}")

    def stop(self) -> None:
        if self._admin is not None:
            self._admin.close()
            self._admin = None
        if (self.data / "postmaster.pid").exists():
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop", check=False)
        shutil.rmtree(self.root, ignore_errors=True)

    @property
    def base_url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}"

    def url(self, dbname: str) -> str:
        return f"{self.base_url}/{dbname}"

    def execute(self, sql: str) -> None:
        """Run one statement on the maintenance database, outside a transaction."""
        import psycopg

        if self._admin is None or self._admin.closed:
            self._admin = psycopg.connect(host="127.0.0.1", port=self.port, user="postgres", dbname="postgres",
                                          autocommit=True)
        self._admin.execute(sql)

    def new_name(self, prefix: str = "t") -> str:
        return f"{prefix}_{next(self._names)}"

    def create_database(self, name: str, template: str | None = None) -> str:
        """CREATE DATABASE, copied from `template` if given; returns its URL."""
        sql = f'CREATE DATABASE "{name}"'
        if template:
            sql += f' TEMPLATE "{template}"'
            if self.version_num >= 150000:
                sql += " STRATEGY FILE_COPY"  # faster than WAL_LOG for small databases without fsync
        self.execute(sql)
        return self.url(name)

    @property
    def version_num(self) -> int:
        if not hasattr(self, "_version_num"):
            self.execute("SELECT 1")  # connects
            self._version_num = int(self._admin.execute("SHOW server_version_num").fetchone()[0])
        return self._version_num


@pytest.fixture(scope="session")
def _postgres_cluster() -> Iterator[PostgresCluster]:
    _require_services("PostgreSQL")
    cluster = PostgresCluster()
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def postgres_server(_postgres_cluster: PostgresCluster) -> str:
    """A real PostgreSQL server for the session: initdb + pg_ctl in a temp dir, 127.0.0.1 only,
    trust auth, run as the `postgres` user when the tests run as root.

    Yields its base URL ``postgresql+psycopg://postgres@127.0.0.1:PORT``; append ``/DBNAME``.
    The maintenance database ``postgres`` exists; prefer ``postgres_database`` for a new one."""
    return _postgres_cluster.base_url


@pytest.fixture(scope="session")
def postgres_template(_postgres_cluster: PostgresCluster) -> str:
    """Name of a database migrated (upgrade_database) once per session, to copy with CREATE DATABASE ... TEMPLATE."""
    from infra.migrate import upgrade_database

    _postgres_cluster.execute("CREATE DATABASE tmpl")
    upgrade_database(_postgres_cluster.url("tmpl"))  # NullPool: no connection is left open on it
    return "tmpl"


@pytest.fixture
def postgres_database(_postgres_cluster: PostgresCluster) -> Iterator[Callable[..., str]]:
    """Factory: ``postgres_database()`` creates an empty database (from template0's copy, template1),
    ``postgres_database(template="tmpl")`` a copy of that one; returns its SQLAlchemy URL.
    Every database made is dropped after the test (open connections are cut)."""
    made: list[str] = []

    def create(template: str | None = None) -> str:
        name = _postgres_cluster.new_name()
        made.append(name)
        return _postgres_cluster.create_database(name, template)

    yield create
    for name in made:
        _postgres_cluster.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --------------------------------------------------------------------------- the app

@pytest.fixture(scope="session")
def backend() -> str:
    """Which run this is: "embedded" (SQLite + in-process store) or "services" (PostgreSQL + Redis)."""
    return BACKEND


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated once per session with upgrade_database; `database_url` copies it
    (running the migrations on SQLite costs far more than copying the file)."""
    from infra.migrate import upgrade_database

    path = tmp_path_factory.mktemp("sqlite-template") / "template.db"
    upgrade_database(f"sqlite:///{path}")
    return path


@pytest.fixture
def database_seed() -> Callable | None:
    """None, or a function ``seed(app)`` whose rows every test of the scope starts with.

    It runs once per session (per function object: use a module-level function, not a
    lambda) inside an app context on a freshly migrated database, which is then copied for
    each test instead of re-running the seed. Override it in a conftest or module:

        def _import_knowledge(app):
            import_from_files()

        @pytest.fixture
        def database_seed():
            return _import_knowledge

    Only the database is copied: what the seed writes to the store (Redis / memory) is not.
    """
    return None


@pytest.fixture(scope="session")
def _seeded_databases(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return {"dir": tmp_path_factory.mktemp("seeded"), "made": {}}


def _run_seed(url: str, seed: Callable) -> None:
    from app import create_app

    app = create_app({"DATABASE_URL": url, "REDIS_URL": None, "SECRET_KEY": "test",
                      "JOBS_INLINE": True, "TESTING": True})
    try:
        with app.app_context():
            seed(app)
    finally:
        app.extensions["db_engine"].dispose()


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Path, database_seed, _seeded_databases) -> str:
    """A fresh database for this test, migrated to the heads (and seeded, see `database_seed`):
    a copy of a migrated SQLite file in tmp_path (embedded) or a PostgreSQL database made with
    CREATE DATABASE ... TEMPLATE from one migrated once per session (services)."""
    made = _seeded_databases["made"]
    if BACKEND == "services":
        cluster: PostgresCluster = request.getfixturevalue("_postgres_cluster")
        template = request.getfixturevalue("postgres_template")
        if database_seed is not None:
            if database_seed not in made:
                name = cluster.new_name("seed")
                _run_seed(cluster.create_database(name, template), database_seed)
                made[database_seed] = name
            template = made[database_seed]
        return request.getfixturevalue("postgres_database")(template=template)

    source: Path = request.getfixturevalue("sqlite_template")
    if database_seed is not None:
        if database_seed not in made:
            import sqlite3

            seeded = _seeded_databases["dir"] / f"seed_{len(made) + 1}.db"
            shutil.copyfile(source, seeded)
            _run_seed(f"sqlite:///{seeded}", database_seed)
            conn = sqlite3.connect(seeded)  # fold the WAL into the file, so the file alone is a copy
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.close()
            made[database_seed] = seeded
        source = made[database_seed]
    path = tmp_path / "bot.db"
    shutil.copyfile(source, path)
    return f"sqlite:///{path}"


@pytest.fixture
def app_config() -> dict:
    """Extra settings merged into the `app` fixture's create_app() config. Override per module:

        @pytest.fixture
        def app_config():
            return {"DEFAULT_LANGUAGE": "en"}
    """
    return {}


@pytest.fixture
def make_app(request: pytest.FixtureRequest, database_url: str) -> Iterator[Callable[..., Flask]]:
    """Factory: ``make_app(**overrides)`` builds an app on this test's database (and Redis in the
    services run) with JOBS_INLINE True unless overridden. Engines are disposed after the test."""
    from app import create_app

    base = {
        "DATABASE_URL": database_url,
        "REDIS_URL": request.getfixturevalue("redis_url") if BACKEND == "services" else None,
        "SECRET_KEY": "test",
        "JOBS_INLINE": True,
        "TESTING": True,
        # transcripts run at machine speed: the web chat's per-resident limit is tested on its own
        # (tests/test_webchat_security.py sets it there)
        "WEBCHAT_RATE_RESIDENT": "10000/minute",
    }
    apps = []

    def build(**overrides):
        app = create_app({**base, **overrides})
        apps.append(app)
        return app

    yield build
    for app in apps:
        engine = app.extensions.get("db_engine")
        if engine is not None:
            engine.dispose()
        store = app.extensions.get("store")
        client = getattr(store, "redis", None)
        if client is not None:
            client.close()


@pytest.fixture
def app(make_app, app_config: dict):
    """The Flask app on this run's backend with a fresh migrated database, JOBS_INLINE and TESTING."""
    return make_app(**app_config)


@pytest.fixture
def client(app):
    """``app.test_client()``."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """``app.test_cli_runner()``: ``runner.invoke(args=["kb", "import"])``."""
    return app.test_cli_runner()


# --------------------------------------------------------------------------- browser

@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Path of the Debian Chromium (scripts/test installs it); the test is skipped without one.
    Playwright: ``p.chromium.launch(executable_path=chromium_path, args=["--no-sandbox"])``."""
    for candidate in (os.environ.get("CHROMIUM_PATH"), shutil.which("chromium"), "/usr/bin/chromium",
                      shutil.which("chromium-browser")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    pytest.skip("no Chromium: `apt-get install chromium`")


# Flags for Debian's Chromium on a machine whose only network is the loopback (see env notes).
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture
def serve() -> Iterator[Callable]:
    """serve(app) -> "http://127.0.0.1:PORT": the app behind a real threaded HTTP server."""
    import threading

    from werkzeug.serving import make_server

    running = []

    def start(app) -> str:
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        running.append((server, thread))
        return f"http://127.0.0.1:{server.server_port}"

    yield start
    for server, thread in running:
        server.shutdown()
        thread.join(10)


@pytest.fixture
def browser(chromium_path):
    """A real headless Chromium (Debian's), driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def restore_signals() -> Iterator[None]:
    """Put SIGINT/SIGTERM handlers back after code (an rq worker) that installs its own."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)
