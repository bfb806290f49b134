"""Accounts: login with hashed passwords, CSRF on every form, secure cookies, throttling, logout, the CLI."""
from __future__ import annotations

from sqlalchemy import select

from admin.models import StaffUser
from admin_helpers import PASSWORD, csrf_token, login, post
from infra.db import get_session


def test_pages_need_login(client, world):
    response = client.get("/admin/c/demo/faq")
    assert response.status_code == 302
    assert "/admin/login" in response.headers["Location"]
    assert client.post("/admin/c/demo/settings", data={"name": "x"}).status_code in (400, 401)


def test_login_and_logout(client, world):
    assert login(client, "staff-a", "wrong password").status_code == 401
    response = login(client, "staff-a")
    assert response.status_code == 302
    page = client.get("/admin/c/demo/faq")
    assert page.status_code == 200 and "Xã An Bình" in page.get_data(as_text=True)
    assert post(client, "/admin/logout").status_code == 302
    assert client.get("/admin/c/demo/faq").status_code == 302


def test_passwords_are_hashed(app, world):
    with app.app_context():
        user = get_session().scalar(select(StaffUser).where(StaffUser.username == "staff-a"))
        assert PASSWORD not in user.password_hash and user.password_hash.startswith(("scrypt:", "pbkdf2:"))


def test_open_redirect_refused(client, world):
    response = client.post("/admin/login", data={"username": "staff-a", "password": PASSWORD,
                                                  "next": "https://evil.example/", "csrf_token": csrf_token(client)})
    assert response.headers["Location"].endswith("/admin/")


def test_missing_csrf_token_is_400(staff_a):
    assert staff_a.post("/admin/c/demo/settings", data={"name": "Hacked"}).status_code == 400
    assert staff_a.post("/admin/c/demo/faq/faq-dia-chi/phrasings", data={"text": "xin chao"}).status_code == 400
    assert staff_a.post("/admin/c/demo/faq/faq-dia-chi/phrasings",
                        data={"text": "xin chao", "csrf_token": "forged"}).status_code == 400
    assert "Xã An Bình" in staff_a.get("/admin/c/demo/settings").get_data(as_text=True)


def test_login_form_needs_csrf(client, world):
    assert client.post("/admin/login", data={"username": "staff-a", "password": PASSWORD}).status_code == 400


def test_failed_logins_throttled_per_user(client, world):
    for _ in range(5):
        assert login(client, "staff-a", "guess").status_code == 401
    blocked = login(client, "staff-a")  # even the right password waits
    assert blocked.status_code == 429
    assert login(client, "staff-b").status_code == 302  # another account is not blocked by these 5


def test_failed_logins_throttled_per_address(app, client, world):
    app.config["ADMIN_LOGIN_LIMIT_IP"] = 6
    for i in range(6):
        assert login(client, f"nobody-{i}", "guess").status_code == 401
    assert login(client, "staff-b").status_code == 429


def test_session_cookie_flags(make_app, world):
    production = make_app(TESTING=False)
    client = production.test_client()
    page = client.get("/admin/login")
    cookie = page.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie


def test_users_cli_create_and_password(app, runner, world):
    result = runner.invoke(args=["users", "create", "chair", "--role", "commune", "--commune", "demo",
                                 "--password", "a long enough secret"])
    assert result.exit_code == 0, result.output
    client = app.test_client()
    assert login(client, "chair", "a long enough secret").status_code == 302
    result = runner.invoke(args=["users", "password", "chair", "--password", "another long secret"])
    assert result.exit_code == 0, result.output
    assert client.get("/admin/c/demo/faq").status_code == 302  # the old session ended with the old password
    assert login(app.test_client(), "chair", "another long secret").status_code == 302


def test_users_cli_refuses_bad_input(runner, world):
    unknown = runner.invoke(args=["users", "create", "x", "--role", "commune", "--commune", "nowhere",
                                  "--password", "a long enough secret"])
    assert unknown.exit_code != 0 and "existing commune" in unknown.output
    short = runner.invoke(args=["users", "create", "y", "--role", "super", "--password", "short"])
    assert short.exit_code != 0
    duplicate = runner.invoke(args=["users", "create", "root", "--role", "super", "--password", "a long enough secret"])
    assert duplicate.exit_code != 0 and "exists" in duplicate.output


def test_language_switch(staff_a):
    assert post(staff_a, "/admin/language", {"lang": "vi", "next": "/admin/c/demo/faq"}).status_code == 302
    assert 'lang="vi"' in staff_a.get("/admin/c/demo/faq").get_data(as_text=True)
    assert post(staff_a, "/admin/language", {"lang": "fr"}).status_code == 400


def test_vietnamese_by_default_english_on_request(client, world):
    page = client.get("/admin/login").get_data(as_text=True)
    assert 'lang="vi"' in page and "Đăng nhập" in page and "Tên đăng nhập" in page
    token = csrf_token(client)
    client.post("/admin/language", data={"lang": "en", "csrf_token": token, "next": "/admin/login"})
    assert "Username" in client.get("/admin/login").get_data(as_text=True)
