"""/healthz, /readyz and /metrics, and the log line of a request: what an operator's tools read."""
from __future__ import annotations

import io
import json
import logging

from conftest import PAGE_A, fb_body, fb_text, signed_fb

from channels.inbox import inbox, shard_of
from infra.logs import make_handler


def test_healthz_says_alive_and_readyz_checks_the_stores_and_the_queue(app):
    client = app.test_client()
    assert client.get("/healthz").get_json() == {"status": "alive"}
    ready = client.get("/readyz")
    body = ready.get_json()
    assert ready.status_code == 200 and body["status"] == "ready"
    assert body["database"]["ok"] and body["redis"]["ok"]
    assert body["queue"]["depth"] == 0 and body["queue"]["oldest_age_seconds"] == 0


def test_readyz_shows_the_depth_and_age_of_waiting_events(app):
    import time

    from channels.events import Event

    queued = int(time.time() * 1000) - 5000  # queued five seconds ago, not answered yet
    events = [Event(platform="facebook", account=PAGE_A, user=f"psid-w{i}", kind="text", key=f"facebook:1:w{i}",
                    text="hi") for i in range(3)]
    with app.app_context():
        inbox().admit([(e.key, shard_of(e.user), e.to_json(queued)) for e in events], 60)
    body = app.test_client().get("/readyz").get_json()
    assert body["queue"]["depth"] == 3
    assert 4.5 < body["queue"]["oldest_age_seconds"] < 60


def test_metrics_count_events_answers_sends_and_latency(seeded, fake):
    client = seeded.test_client()
    before = _samples(client.get("/metrics").get_data(as_text=True))
    raw, headers = signed_fb(fb_body(PAGE_A, fb_text(PAGE_A, "psid-metric", "m_metric", "Đăng ký khai sinh")))
    assert client.post("/webhooks/facebook", data=raw, headers=headers).status_code == 200
    assert client.post("/webhooks/facebook", data=raw, headers=headers).status_code == 200  # redelivered
    response = client.get("/metrics")
    assert response.status_code == 200 and response.content_type.startswith("text/plain")
    after = _samples(response.get_data(as_text=True))

    def grew(name: str, **labels: str) -> float:
        key = (name, tuple(sorted(labels.items())))
        return after.get(key, 0) - before.get(key, 0)

    assert grew("bot_events_received_total", platform="facebook") == 1
    assert grew("bot_events_duplicate_total", platform="facebook") == 1
    assert grew("bot_webhook_responses_total", status="200") == 2
    answers = {k: v - before.get(k, 0) for k, v in after.items() if k[0] == "bot_answers_total"}
    assert sum(answers.values()) == 1
    [(_, labels)] = [k for k, v in answers.items() if v]
    assert dict(labels)["decision"] in ("answer", "flow", "clarify") and dict(labels)["intent"] != "none"
    assert grew("bot_sends_total", platform="facebook", result="ok", code="") >= 1
    assert grew("bot_queue_latency_seconds_count") == 1


def _samples(text: str) -> dict:
    from prometheus_client.parser import text_string_to_metric_families

    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def test_a_request_log_line_is_json_with_the_request_id_and_no_personal_value(seeded):
    stream = io.StringIO()
    handler = make_handler("json", stream)
    logging.getLogger().addHandler(handler)
    try:
        response = seeded.test_client().get("/go/SECRETTOKEN123", headers={"X-Request-ID": "req-42"})
        logging.getLogger("operations.test").warning("resident 012345678901 phone 0912 345 678 opened %s",
                                                    "/go/SECRETTOKEN123")
    finally:
        logging.getLogger().removeHandler(handler)
    assert response.headers["X-Request-ID"] == "req-42"
    assert "SECRETTOKEN123" not in stream.getvalue()
    record = json.loads(stream.getvalue().splitlines()[-1])
    assert record["level"] == "WARNING" and record["logger"] == "operations.test"
    assert record["message"] == "resident [number] phone [phone] opened /go/[redacted]"
    assert record["id"] is None  # written outside the request
