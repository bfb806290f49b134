"""The production stack of `scripts/serve` (PostgreSQL, Redis, gunicorn, 2 RQ workers with the
scheduler) answers a conversation end to end through the fake platform; /readyz, /metrics (the
workers' counters, added up in multiprocess mode) and JSON logs included."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
from pathlib import Path

import pytest
import requests
from conftest import OA_A, PAGE_A, fb_body, fb_text, message_text, seed, signed_fb, signed_zalo, wait_for, zalo_text

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.services
def test_scripts_serve_answers_a_conversation_end_to_end(make_app, channel_settings, database_url, redis_url, fake,
                                                        tmp_path):
    app = make_app(**channel_settings)
    seed(app)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    env.update({k: str(v) for k, v in channel_settings.items()})
    env.update({"DATABASE_URL": database_url, "REDIS_URL": redis_url, "SECRET_KEY": "test",
                "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}", "BIND": f"127.0.0.1:{port}", "WEB_WORKERS": "1",
                "RQ_WORKERS": "2", "SKIP_INSTALL": "1", "SKIP_SETUP": "1",
                "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics")})
    log = open(tmp_path / "serve.log", "wb")
    stack = subprocess.Popen(["bash", "scripts/serve"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                             start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        assert wait_for(lambda: _ready(base) and _workers(redis_url) == 2, timeout=90), _tail(tmp_path)
        http = requests.Session()
        hello = signed_fb(fb_body(PAGE_A, fb_text(PAGE_A, "psid-serve", "m_serve1", "xin chào")))
        assert http.post(base + "/webhooks/facebook", data=hello[0], headers=hello[1], timeout=5).status_code == 200
        assert wait_for(lambda: len(fake.sends("facebook")) >= 1, timeout=30), _tail(tmp_path)
        question = signed_fb(fb_body(PAGE_A, fb_text(PAGE_A, "psid-serve", "m_serve2", "Đăng ký khai sinh cần gì")))
        assert http.post(base + "/webhooks/facebook", data=question[0], headers=question[1], timeout=5).ok
        zalo = signed_zalo(zalo_text("zuser-serve", "zserve1", "thủ tục kết hôn", oa=OA_A))
        assert http.post(base + "/webhooks/zalo", data=zalo[0], headers=zalo[1], timeout=5).ok
        assert wait_for(lambda: fake.sends("zalo") and len(fake.sends("facebook")) >= 2, timeout=30), _tail(tmp_path)
        texts = [message_text(call.body["message"]).lower() for call in fake.sends("facebook")]
        assert any("khai sinh" in text for text in texts[1:]), texts
        metrics = http.get(base + "/metrics", timeout=5).text
        answered = sum(float(line.rsplit(" ", 1)[1]) for line in metrics.splitlines()
                       if line.startswith("bot_answers_total{"))
        assert answered == 3  # counted in the RQ worker processes, served by gunicorn
        ready = lambda: http.get(base + "/readyz", timeout=5).json()  # noqa: E731
        assert wait_for(lambda: ready()["queue"]["depth"] == 0, timeout=10)  # acknowledged after the sends
        assert ready()["status"] == "ready"
    finally:
        os.killpg(stack.pid, signal.SIGTERM)
        try:
            stack.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(stack.pid, signal.SIGKILL)
            stack.wait()
        log.close()
    lines = [line for line in (tmp_path / "serve.log").read_text().splitlines() if line.startswith("{")]
    assert lines and all(json.loads(line)["level"] for line in lines)  # the processes log JSON


def _ready(base: str) -> bool:
    try:
        return requests.get(base + "/readyz", timeout=2).status_code == 200
    except requests.RequestException:
        return False


def _workers(redis_url: str) -> int:
    import redis
    from rq import Worker

    connection = redis.Redis.from_url(redis_url)
    try:
        return Worker.count(connection=connection)
    finally:
        connection.close()


def _tail(tmp_path: Path) -> str:
    return (tmp_path / "serve.log").read_text(errors="replace")[-3000:]
