"""The send session reads the proxy environment once per host, and still honours it."""
from __future__ import annotations

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
