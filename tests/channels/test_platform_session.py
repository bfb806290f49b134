"""The send session reads the proxy environment once per host, and still honours it."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

from channels.results import make_session


def test_proxies_and_no_proxy_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    monkeypatch.setenv("NO_PROXY", "openapi.zalo.me")
    session = make_session()
    graph = session.merge_environment_settings("https://graph.facebook.com/v23.0/me/messages", {}, None, None, None)
    zalo = session.merge_environment_settings("https://openapi.zalo.me/v3.0/oa/message/cs", {}, None, None, None)
    assert graph["proxies"].get("https") == "http://proxy.example:3128"
    assert not zalo["proxies"].get("https")


def test_the_environment_is_read_once_per_host(monkeypatch):
    monkeypatch.delenv("HTTPS_PROXY", raising=False)
    monkeypatch.delenv("https_proxy", raising=False)
    session = make_session()
    first = session.merge_environment_settings("https://graph.facebook.com/a", {}, None, None, None)
    monkeypatch.setenv("HTTPS_PROXY", "http://later.example:3128")
    again = session.merge_environment_settings("https://graph.facebook.com/b", {}, None, None, None)
    assert again == first and "https" not in again["proxies"]
    again["proxies"]["https"] = "mutated"  # callers get a copy
    assert "https" not in session.merge_environment_settings("https://graph.facebook.com/c", {}, None, None, None)["proxies"]


def test_explicit_call_settings_are_not_cached(monkeypatch):
    session = make_session()
    settings = session.merge_environment_settings("https://graph.facebook.com/a", {"https": "http://p:1"}, None,
                                                  False, None)
    assert settings["proxies"]["https"] == "http://p:1" and settings["verify"] is False


def test_post_json_goes_through_the_proxy_of_the_environment(monkeypatch):
    """A commune server behind an HTTP proxy still reaches the platforms."""
    seen: list[tuple[str, str, dict]] = []

    class Proxy(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            seen.append((self.path, self.headers.get("Authorization"), json.loads(body)))
            answer = b'{"message_id": "m1"}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Proxy)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        for name in ("NO_PROXY", "no_proxy"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{server.server_port}")
        response = make_session().post_json("http://graph.platform.invalid/v23.0/me/messages", {"a": "ạ"},
                                            {"Authorization": "Bearer t"}, timeout=5)
    finally:
        server.shutdown()
    assert response.json() == {"message_id": "m1"}
    # a proxy is sent the absolute URL of the platform, which only the proxy can resolve
    assert seen == [("http://graph.platform.invalid/v23.0/me/messages", "Bearer t", {"a": "ạ"})]
