"""Staff web security: sessions revoked on logout, login throttling that locks out nobody from
elsewhere, request rate limits, security headers, and clear 400s for settings conflicts."""
from __future__ import annotations

import pytest
from cryptography.fernet import Fernet

from admin_helpers import PASSWORD, csrf_token, login, post


def from_address(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


# --------------------------------------------------------------------------- sessions

def test_a_session_cookie_no_longer_works_after_logout(app, staff_a):
    cookie = staff_a.get_cookie("session").value
    assert staff_a.get("/admin/c/demo/faq").status_code == 200
    assert post(staff_a, "/admin/logout").status_code == 302
    replay = app.test_client()
    replay.set_cookie("session", cookie)  # the cookie copied before logging out
    response = replay.get("/admin/c/demo/faq")
    assert response.status_code == 302 and "/admin/login" in response.headers["Location"]


def test_logout_ends_only_that_browsers_session(app, world):
    office, home = from_address(app, "10.0.0.1"), from_address(app, "10.0.0.2")
    assert login(office, "staff-a").status_code == 302 and login(home, "staff-a").status_code == 302
    assert post(home, "/admin/logout").status_code == 302
    assert office.get("/admin/c/demo/faq").status_code == 200


def test_a_password_change_ends_every_session(app, runner, staff_a):
    cookie = staff_a.get_cookie("session").value
    result = runner.invoke(args=["users", "password", "staff-a", "--password", "another long secret"])
    assert result.exit_code == 0, result.output
    replay = app.test_client()
    replay.set_cookie("session", cookie)
    assert replay.get("/admin/c/demo/faq").status_code == 302


# --------------------------------------------------------------------------- login throttling

def test_failures_from_elsewhere_never_lock_a_clerk_out(app, world):
    attacker, clerk = from_address(app, "203.0.113.9"), from_address(app, "10.0.0.1")
    for _ in range(6):
        assert login(attacker, "staff-a", "guess").status_code in (401, 429)
    assert login(attacker, "staff-a").status_code == 429  # that address waits for that account
    assert login(clerk, "staff-a").status_code == 302  # the clerk at the office does not


def test_one_clerks_typos_do_not_block_the_office(app, world):
    typist, colleague = from_address(app, "10.0.0.1"), from_address(app, "10.0.0.1")
    for _ in range(5):
        assert login(typist, "staff-a", "typo").status_code == 401
    assert login(typist, "staff-a").status_code == 429
    assert login(colleague, "staff-b").status_code == 302  # same address, another account


# --------------------------------------------------------------------------- request rate limits

def test_admin_requests_over_the_limit_are_429_with_retry_after(app, staff_a):
    app.config["ADMIN_RATE_USER"] = "5/minute"
    statuses = [staff_a.get("/admin/c/demo/faq").status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]
    blocked = staff_a.get("/admin/c/demo/faq")
    assert blocked.status_code == 429 and 0 < int(blocked.headers["Retry-After"]) <= 60
    other = from_address(app, "10.0.0.7")  # another member of staff is not slowed down
    assert login(other, "staff-b").status_code == 302 and other.get("/admin/c/xa-b/faq").status_code == 200


def test_admin_requests_are_limited_per_address(app, world):
    app.config["ADMIN_RATE_IP"] = "4/minute"
    client = from_address(app, "198.51.100.4")
    assert [client.get("/admin/login").status_code for _ in range(5)] == [200] * 4 + [429]
    assert from_address(app, "198.51.100.5").get("/admin/login").status_code == 200


# --------------------------------------------------------------------------- headers

def test_admin_pages_carry_the_security_headers(staff_a):
    response = staff_a.get("/admin/c/demo/faq")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "Strict-Transport-Security" not in response.headers  # plain HTTP: no HSTS
    secure = staff_a.get("/admin/login", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_admin_templates_have_no_inline_script_or_style():
    from pathlib import Path

    for template in Path("admin/templates").rglob("*.html"):
        text = template.read_text()
        assert "<script>" not in text and "<style" not in text and " style=" not in text, template
        assert " onclick=" not in text and " onsubmit=" not in text, template


# --------------------------------------------------------------------------- settings conflicts

def test_claiming_another_communes_page_is_a_clear_400(app, world, staff_a, root):
    app.config["TOKEN_ENCRYPTION_KEY"] = Fernet.generate_key().decode()
    form = {"name": "Xã Bình Minh", "facebook_id": "106000000000077", "zalo_id": "3662729599332560400"}
    assert post(root, "/admin/c/xa-b/settings", form).status_code == 302
    claim = post(staff_a, "/admin/c/demo/settings", {"name": "Xã An Bình", "facebook_id": "106000000000077"})
    assert claim.status_code == 400
    assert "already belongs to another commune" in claim.get_data(as_text=True)
    claim = post(staff_a, "/admin/c/demo/settings", {"name": "Xã An Bình", "zalo_id": "3662729599332560400"})
    assert claim.status_code == 400
    assert "Xã An Bình" in staff_a.get("/admin/c/demo/settings").get_data(as_text=True)  # nothing half-saved


@pytest.mark.services
def test_a_session_store_outage_is_503_not_500(make_app, world):
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    down = make_app(REDIS_URL=f"redis://127.0.0.1:{port}/0")
    client = down.test_client()
    assert client.get("/admin/login").status_code == 200  # the login page needs no store
    response = client.post("/admin/login", data={"username": "staff-a", "password": PASSWORD,
                                                  "csrf_token": csrf_token(client)})
    assert response.status_code == 503
