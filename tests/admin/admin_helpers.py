"""Admin test helpers: log in, post forms with the CSRF token, talk to the web chat."""
from __future__ import annotations

import re

PASSWORD = "correct horse battery"
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_token(client, path: str = "/admin/login") -> str:
    page = client.get(path)
    found = _TOKEN.search(page.get_data(as_text=True))
    assert found, f"no CSRF token on {path} ({page.status_code})"
    return found.group(1)


def login(client, username: str, password: str = PASSWORD):
    return client.post("/admin/login", data={"username": username, "password": password,
                                             "csrf_token": csrf_token(client)})


def log_in_page(page, server: str, username: str) -> None:
    """Log a Playwright page in through the login form, as a clerk would."""
    page.goto(f"{server}/admin/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.card button[type=submit]")
    page.wait_for_url(f"{server}/admin/c/**")


def post(client, path: str, data: dict | None = None, token_page: str = "/admin/c/demo/faq"):
    """POST a form as a browser would: with the CSRF token of the session."""
    token = csrf_token(client, token_page)
    return client.post(path, data={**(data or {}), "csrf_token": token})


def chat(client, text: str, user: str = "resident-1", commune: str | None = None) -> list[dict]:
    path = "/webchat/messages" + (f"?commune={commune}" if commune else "")
    response = client.post(path, json={"user": user, "text": text})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["replies"]
