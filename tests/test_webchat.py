"""The web chat channel: its HTTP contract for bodies that are not a message, and the page in a
real Chromium, served by a real HTTP server on 127.0.0.1."""
from __future__ import annotations


import pytest

from knowledge.store import import_from_files

URL = "/webchat/messages"


@pytest.fixture
def knowledge_app(app):
    with app.app_context():
        import_from_files()
    return app


# --------------------------------------------------------------------------- HTTP contract

@pytest.mark.parametrize(("body", "content_type", "error"), [
    (b"", "application/json", "the body must be JSON"),
    (b"not json at all", "text/plain", "the body must be JSON"),
    (b"{\"user\": \"u\", \"text\": ", "application/json", "the body must be JSON"),
    (b"\xff\xfe\x00garbage\x00", "application/json", "the body must be JSON"),
    (b"[1, 2, 3]", "application/json", "expected a JSON object"),
    (b"\"xin chao\"", "application/json", "expected a JSON object"),
    (b"42", "application/json", "expected a JSON object"),
    (b"{}", "application/json", "'user' must be a non-empty string"),
    (b"{\"text\": \"xin chao\"}", "application/json", "'user' must be a non-empty string"),
    (b"{\"user\": \"\", \"text\": \"xin chao\"}", "application/json", "'user' must be a non-empty string"),
    (b"{\"user\": \"   \", \"text\": \"xin chao\"}", "application/json", "'user' must be a non-empty string"),
    (b"{\"user\": 12, \"text\": \"xin chao\"}", "application/json", "'user' must be a non-empty string"),
    (b"{\"user\": [\"u\"], \"text\": \"xin chao\"}", "application/json", "'user' must be a non-empty string"),
    (b"{\"user\": \"" + b"u" * 129 + b"\", \"text\": \"hi\"}", "application/json", "at most 128 characters"),
    (b"{\"user\": \"u\"}", "application/json", "'text' (a string) or 'payload' is required"),
    (b"{\"user\": \"u\", \"text\": 5}", "application/json", "'text' (a string) or 'payload' is required"),
    (b"{\"user\": \"u\", \"text\": {\"a\": 1}}", "application/json", "'text' (a string) or 'payload' is required"),
    (b"{\"user\": \"u\", \"payload\": [\"MENU\"]}", "application/json", "'payload' must be a string"),
    (b"{\"user\": \"u\", \"payload\": 1}", "application/json", "'payload' must be a string"),
])
def test_a_body_that_is_not_a_message_is_a_clear_400(client, body, content_type, error):
    response = client.post(URL, data=body, content_type=content_type)
    assert response.status_code == 400
    assert error in response.get_json()["error"]


def test_a_body_over_the_limit_is_a_clear_413(client):
    response = client.post(URL, json={"user": "u", "text": "khai sinh " * 3000})
    assert response.status_code == 413
    assert "larger than" in response.get_json()["error"]


def test_a_lone_surrogate_in_the_text_is_dropped_not_a_crash(client, knowledge_app):
    response = client.post(URL, data=b'{"user": "u", "text": "\\ud800\\udfff\\ud800"}', content_type="application/json")
    assert response.status_code == 200
    assert response.get_json()["replies"][0]["text"].startswith("Bạn vui lòng nhắn câu hỏi")


def test_null_text_with_a_payload_is_a_payload(client, knowledge_app):
    response = client.post(URL, json={"user": "u", "text": None, "payload": "MENU"})
    assert response.status_code == 200
    assert response.get_json()["replies"][0]["text"].startswith("Bạn cần hỏi việc gì?")


def test_other_methods_are_refused(client):
    assert client.put(URL, json={"user": "u", "text": "hi"}).status_code == 405
    assert client.delete(URL).status_code == 405


def test_the_chat_page_is_served(client):
    page = client.get("/chat")
    assert page.status_code == 200
    assert b'id="log"' in page.data and b"chat.js" in page.data
    assert "textContent" in client.get("/webchat/static/chat.js").get_data(as_text=True)


# --------------------------------------------------------------------------- in a browser

@pytest.fixture
def live_server(knowledge_app, serve):
    return serve(knowledge_app)


@pytest.fixture
def page(live_server, browser):
    page = browser.new_page()
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{live_server}/chat")
    page.locator("#log li.bot").first.wait_for(timeout=15000)  # the greeting
    return page


def _send(page, text: str) -> None:
    bot_replies = page.locator("#log li.bot").count()
    page.fill("#text", text)
    page.press("#text", "Enter")
    page.locator("#log li.bot").nth(bot_replies).wait_for(timeout=15000)  # nth: no eval under the CSP


def test_the_page_shows_markup_as_text(page):
    hostile = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    _send(page, hostile)
    mine = page.locator("#log li.me").last
    assert mine.text_content() == hostile
    assert "&lt;script&gt;" in mine.inner_html()
    assert page.locator("#log script, #log img").count() == 0
    assert page.dialogs == []
    reply = page.locator("#log li.bot").last.text_content()
    assert reply and "<script>" not in reply


def test_the_page_greets_offers_choices_and_links_to_the_live_portal(page):
    assert page.locator("#log li.bot").first.text_content().startswith("Xin chào!")
    page.get_by_role("button", name="Đăng ký khai sinh").click()
    page.locator("#log li.bot").nth(1).wait_for(timeout=15000)  # nth: no eval under the CSP
    guide = page.locator("#log li.bot").last
    link = guide.locator("a")
    assert link.get_attribute("href").startswith("https://dichvucong.gov.vn/thu-tuc-hanh-chinh/")
    assert link.get_attribute("rel") == "noopener noreferrer"
    assert page.get_by_role("button", name="Giấy tờ").is_visible()
    assert page.locator("#log li.me").last.text_content() == "Đăng ký khai sinh"


# --------------------------------------------------------------------------- on a phone

@pytest.fixture
def phone(live_server, browser):
    """The chat page on a 390×844 phone screen, greeted."""
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{live_server}/chat")
    page.locator("#log li.bot").first.wait_for(timeout=15000)
    return page


def _tap(page, title: str) -> None:
    count = page.locator("#log li.bot").count()
    page.locator("#choices button", has_text=title).first.click()
    page.locator("#log li.bot").nth(count).wait_for(timeout=15000)  # a locator: the CSP forbids eval


def _last_bubble_in_view(page) -> dict:
    return page.evaluate("""() => {
        const log = document.getElementById('log'), bubbles = log.querySelectorAll('li');
        const last = bubbles[bubbles.length - 1].getBoundingClientRect(), frame = log.getBoundingClientRect();
        const choices = document.getElementById('choices').getBoundingClientRect();
        return {bottom: last.bottom, frameBottom: frame.bottom, choicesTop: choices.top, choicesBottom: choices.bottom,
                atEnd: log.scrollTop + log.clientHeight >= log.scrollHeight - 2, height: innerHeight};
    }""")


def test_the_last_bubble_stays_visible_above_the_quick_replies(phone):
    for title in ("Đăng ký khai sinh", "Giấy tờ"):  # long answers under many buttons
        _tap(phone, title)
        phone.wait_for_timeout(100)  # one frame for the buttons' layout
        seen = _last_bubble_in_view(phone)
        assert seen["atEnd"], seen
        assert seen["bottom"] <= seen["frameBottom"] + 1 <= seen["choicesTop"] + 2, seen
        assert seen["choicesBottom"] <= seen["height"], seen  # the buttons and the box stay on screen
    assert phone.locator("#composer input").is_visible()


def test_a_reload_in_the_middle_of_a_guide_resumes_it(phone):
    _tap(phone, "Đăng ký khai sinh")
    _tap(phone, "Hướng dẫn từng bước")
    question = phone.locator("#log li.bot").last.text_content()
    assert "lần đầu đăng ký khai sinh" in question
    phone.reload()
    phone.locator("#choices button", has_text="Có").wait_for(timeout=15000)
    assert phone.locator("#log li.me").first.text_content() == "Đăng ký khai sinh"  # the history is back
    assert phone.locator("#log li.bot").last.text_content() == question  # the pending question, asked again
    _tap(phone, "Có")
    assert "sinh ra ở Việt Nam" in phone.locator("#log li.bot").last.text_content()  # the guide goes on
    stored = phone.evaluate("() => Object.keys(localStorage).length")
    assert stored == 0  # nothing outlives the tab


def test_the_page_opened_in_english_greets_in_english(client):
    page = client.get("/chat?lang=en").get_data(as_text=True)
    assert 'data-start="START:en"' in page and "Type your question" in page
    assert 'data-start="START"' in client.get("/chat").get_data(as_text=True)
