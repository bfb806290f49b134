"""webhooks/ingress.py: the platforms' POSTs are answered in front of Flask, with the answers the
Flask routes gave (status, JSON body, content type); everything else still reaches Flask."""
from __future__ import annotations

import io
import json
import sys

import pytest
from conftest import PAGE_A, fb_body, fb_text, signed_fb, signed_zalo, zalo_text


def answer(response) -> tuple[int, bytes, str]:
    return response.status_code, response.get_data(), response.headers["Content-Type"]


def fb_post(client, raw: bytes, headers: dict):
    return client.post("/webhooks/facebook", data=raw, headers=headers)


def test_queued_events_are_acknowledged_with_flasks_json(seeded, client):
    raw, headers = signed_fb(fb_body(PAGE_A, fb_text(PAGE_A, "psid-1", "m_ack", "xin chào")))
    assert answer(fb_post(client, raw, headers)) == (200, b'{"duplicates":0,"queued":1}\n', "application/json")
    raw, headers = signed_zalo(zalo_text("u-1", "msg-ack", "xin chào"))
    response = client.post("/webhooks/zalo", data=raw, headers=headers)
    assert answer(response) == (200, b'{"duplicates":0,"queued":1}\n', "application/json")


@pytest.mark.parametrize("path, headers, status, error", [
    ("/webhooks/facebook", {}, 403, "invalid or missing X-Hub-Signature-256"),
    ("/webhooks/facebook", {"X-Hub-Signature-256": "sha256=00"}, 403, "invalid or missing X-Hub-Signature-256"),
    ("/webhooks/zalo", {}, 403, "missing X-ZEvent-Signature"),
    ("/webhooks/zalo", {"X-ZEvent-Signature": "mac=00"}, 403, "invalid X-ZEvent-Signature"),
])
def test_forged_or_missing_signatures_are_403_with_the_reason(client, path, headers, status, error):
    raw = json.dumps(zalo_text("u-1", "msg-1", "xin chào")).encode()
    response = client.post(path, data=raw, headers={"Content-Type": "application/json", **headers})
    assert answer(response) == (status, b'{"error":"%s"}\n' % error.encode(), "application/json")


def test_malformed_bodies_are_400_with_the_reason(client):
    raw = b"{not json"
    _, headers = signed_fb(raw)
    assert answer(fb_post(client, raw, headers)) == (400, b'{"error":"the body is not valid JSON"}\n',
                                                     "application/json")
    response = client.post("/webhooks/zalo", data=b'"text"', headers={"X-ZEvent-Signature": "mac=0"})
    assert response.status_code == 400
    assert response.get_json() == {"error": 'expected a JSON object with "event_name" and "timestamp"'}


def test_a_body_over_the_limit_is_413_before_it_is_read(app, client):
    app.config["WEBHOOK_MAX_BODY"] = 64
    raw, headers = signed_fb(b'{"object": "page", "entry": [], "pad": "' + b"x" * 64 + b'"}')
    response = fb_post(client, raw, headers)
    assert answer(response) == (413, b'{"error":"the body is larger than 64 bytes"}\n', "application/json")
    # a body without Content-Length (chunked, bounded by the server) is cut at the limit too
    environ = _environ("/webhooks/facebook", raw, headers, length=False)
    status, body = _call(app, environ)
    assert (status[:4], body) == ("413 ", b'{"error":"the body is larger than 64 bytes"}\n')


def test_a_chunked_body_is_read_whole_when_the_server_bounds_it(seeded):
    raw, headers = signed_fb(fb_body(PAGE_A, fb_text(PAGE_A, "psid-2", "m_chunked", "xin chào")))
    status, body = _call(seeded, _environ("/webhooks/facebook", raw, headers, length=False))
    assert (status, body) == ("200 OK", b'{"duplicates":0,"queued":1}\n')


def test_a_connection_failing_mid_body_is_400(app):
    class Broken(io.RawIOBase):
        def readinto(self, b):
            raise OSError("connection reset")

    raw, headers = signed_fb(fb_body(PAGE_A))
    environ = _environ("/webhooks/facebook", raw, headers)
    environ["wsgi.input"] = Broken()
    assert _call(app, environ) == ("400 BAD REQUEST", b'{"error":"the connection failed before the whole body was read"}\n')


def test_webhook_posts_do_not_go_through_flask(app, client):
    """One code path: Flask has no POST route for the webhooks and its request hooks never run for them."""
    posts = {rule.rule for rule in app.url_map.iter_rules() if "POST" in (rule.methods or ())}
    assert not posts & {"/webhooks/facebook", "/webhooks/zalo"}

    @app.before_request
    def refuse():
        return "Flask saw this request", 418

    raw, headers = signed_fb(fb_body(PAGE_A))
    assert fb_post(client, raw, headers).get_json() == {"queued": 0, "duplicates": 0}
    assert client.get("/webhooks/facebook").status_code == 418  # the handshake is Flask's


@pytest.mark.parametrize("method, path, status", [
    ("POST", "/webhooks/facebook/", 404),  # no trailing-slash variant, as with the Flask route
    ("POST", "/webhooks/unknown", 404),
    ("PUT", "/webhooks/facebook", 405),
    ("GET", "/webhooks/zalo", 404),
])
def test_other_paths_and_methods_fall_through_to_flask(client, method, path, status):
    raw, headers = signed_fb(fb_body(PAGE_A))
    assert client.open(path, method=method, data=raw, headers=headers).status_code == status


def test_a_bug_is_500_and_logged_unless_the_app_propagates_errors(app, client, monkeypatch, caplog):
    from channels import facebook_events

    def broken(_data):
        raise RuntimeError("a bug")

    monkeypatch.setattr(facebook_events, "parse", broken)
    raw, headers = signed_fb(fb_body(PAGE_A))
    with pytest.raises(RuntimeError, match="a bug"):  # TESTING: the error reaches the test
        fb_post(client, raw, headers)
    app.testing = False
    caplog.set_level("ERROR", logger="webhooks.ingress")
    response = fb_post(client, raw, headers)
    assert answer(response) == (500, b'{"error":"internal error"}\n', "application/json")
    assert any("webhook POST /webhooks/facebook failed" in r.getMessage() for r in caplog.records)


def test_queue_down_is_503_on_both_platforms(make_app, channel_settings):
    import socket

    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    app = make_app(**channel_settings, REDIS_URL=f"redis://127.0.0.1:{port}/0", JOBS_INLINE=False)
    client = app.test_client()
    raw, headers = signed_zalo(zalo_text("u-1", "msg-down", "xin chào"))
    response = client.post("/webhooks/zalo", data=raw, headers=headers)
    assert answer(response) == (503, b'{"error":"the event could not be queued; retry later"}\n',
                                "application/json")


# --------------------------------------------------------------------------- WSGI by hand

def _environ(path: str, raw: bytes, headers: dict, length: bool = True) -> dict:
    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": path, "SCRIPT_NAME": "", "QUERY_STRING": "",
               "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1",
               "wsgi.input": io.BytesIO(raw), "wsgi.url_scheme": "http", "wsgi.errors": sys.stderr,
               "wsgi.multithread": True, "wsgi.multiprocess": False, "wsgi.run_once": False}
    if length:
        environ["CONTENT_LENGTH"] = str(len(raw))
    else:  # as gunicorn passes a chunked body: no length, the server ends the stream
        environ["HTTP_TRANSFER_ENCODING"] = "chunked"
        environ["wsgi.input_terminated"] = True
    for name, value in headers.items():
        key = name.upper().replace("-", "_")
        environ[key if key == "CONTENT_TYPE" else f"HTTP_{key}"] = value
    return environ


def _call(app, environ: dict) -> tuple[str, bytes]:
    seen = []
    body = b"".join(app(environ, lambda status, headers, exc_info=None: seen.append(status)))
    return seen[0], body
