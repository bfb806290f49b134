"""The admin in a real Chromium against the app on a real HTTP server on 127.0.0.1:
log in, edit an answer and see it in /chat, teach the bot an unanswered question,
reply to a handover and see it arrive in the web chat, and commune B's pages refused."""
from __future__ import annotations

import pytest

from admin_helpers import log_in_page
from catalogue_snapshot import record, write_snapshot

from i18n import gettext
from knowledge.catalogue_store import import_snapshot

HOURS_TEXT = "Thứ Hai–Thứ Sáu"


@pytest.fixture
def server(app, world, serve):
    return serve(app)


def _page(browser):
    page = browser.new_page(viewport={"width": 390, "height": 844})  # a phone
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    return page


def _log_in(browser, server: str, username: str):
    page = _page(browser)
    log_in_page(page, server, username)
    return page


def _open_chat(browser, server: str):
    page = _page(browser)
    page.goto(f"{server}/chat")
    page.locator("#log li.bot").first.wait_for(timeout=15000)
    return page


def _ask(page, text: str) -> str:
    count = page.locator("#log li.bot").count()
    page.fill("#text", text)
    page.press("#text", "Enter")
    page.locator("#log li.bot").nth(count).wait_for(timeout=15000)  # nth: no eval under the CSP
    return page.locator("#log li.bot").nth(count).text_content()


def test_edit_an_answer_and_see_it_in_the_chat(browser, server):
    admin = _log_in(browser, server, "staff-a")
    admin.goto(f"{server}/admin/c/demo/faq")
    admin.fill("input[name=q]", "giờ làm việc")
    admin.click("form.search button[type=submit]")
    admin.click("a[href$='/faq/faq-gio-lam-viec']")
    answer = "<script>window.pwned = 1</script> Xã An Bình tiếp dân cả sáng thứ Bảy."
    admin.fill("#commune-answer textarea[name=vi]", answer)
    admin.click("#commune-answer button[type=submit]")
    assert admin.locator(".flash").count() == 1
    assert admin.locator("#commune-answer textarea[name=vi]").input_value() == answer
    chat = _open_chat(browser, server)
    reply = _ask(chat, "giờ làm việc của xã")
    assert "tiếp dân cả sáng thứ Bảy" in reply and "<script>" in reply  # shown as text
    assert chat.evaluate("window.pwned") is None and admin.evaluate("window.pwned") is None
    assert chat.locator("#log script").count() == 0
    assert chat.dialogs == [] and admin.dialogs == []


def test_attach_an_unanswered_question_and_the_bot_answers_it(browser, server):
    question = "cán bộ trực mấy giờ"
    chat = _open_chat(browser, server)
    assert HOURS_TEXT not in _ask(chat, question)
    admin = _log_in(browser, server, "staff-a")
    admin.goto(f"{server}/admin/c/demo/unanswered")
    card = admin.locator("section.question", has_text=question)
    card.locator("select[name=entry_id]").select_option("faq-gio-lam-viec")
    card.locator("form.attach button[type=submit]").click()
    if admin.locator("#conflict").count():  # it looked closer to another entry: confirm
        admin.click("#conflict button[type=submit]")
    admin.locator(".flash").wait_for()
    assert question in admin.locator("ul.phrasings").text_content()
    assert HOURS_TEXT in _ask(chat, question)
    admin.goto(f"{server}/admin/c/demo/unanswered")
    assert admin.locator("section.question", has_text=question).count() == 0


def test_attach_an_unanswered_question_to_a_catalogue_procedure_on_a_phone(browser, server, app, tmp_path):
    with app.app_context():
        import_snapshot(write_snapshot(tmp_path / "snapshot"))
    question = "cho hỏi vụ cái mạch nước sau vườn nhà em với"
    chat = _open_chat(browser, server)
    _ask(chat, question)
    assert chat.locator("#log li.bot a[href*='thu-tuc-hanh-chinh']").count() == 0
    admin = _log_in(browser, server, "staff-a")
    admin.goto(f"{server}/admin/c/demo/unanswered")
    admin.locator("section.question", has_text=question).locator("a[href$='/catalogue']").click()
    admin.fill("input[name=q]", "khoan giếng")
    admin.click("form.search button[type=submit]")
    row = admin.locator("ul.entries li", has_text="1.001662")
    row.wait_for()
    assert admin.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling on a phone
    row.locator("button[type=submit]").click()
    admin.locator(".flash").wait_for()
    assert admin.locator("section.question", has_text=question).count() == 0
    _ask(chat, question)
    assert chat.locator(f"#log li.bot a[href$='{record('1.001662')['id']}']").count() == 1


def test_reply_to_a_handover_reaches_the_web_chat(browser, server):
    chat = _open_chat(browser, server)
    _ask(chat, "giờ làm việc của xã thế nào")
    talk = gettext("vi", "Talk to staff")
    count = chat.locator("#log li.bot").count()
    chat.locator("#choices button", has_text=talk).first.click()
    chat.locator("#log li.bot").nth(count).wait_for(timeout=15000)  # nth: no eval under the CSP
    admin = _log_in(browser, server, "staff-a")
    admin.goto(f"{server}/admin/c/demo/handover")
    admin.locator("ul.list a").first.click()
    box = admin.locator("#reply textarea").bounding_box()
    assert box and box["y"] + box["height"] <= 844  # the reply box is on screen without scrolling
    transcript = admin.locator("ol.transcript").text_content()
    assert "giờ làm việc của xã thế nào" in transcript
    assert "HANDOFF" not in transcript and "START" not in transcript and talk in transcript  # taps by their titles
    admin.fill("#reply textarea[name=text]", "Chào bạn, cán bộ tư pháp đây. Bạn cần bản chính giấy chứng sinh.")
    admin.click("#reply button[type=submit]")
    admin.locator(".flash").wait_for()
    chat.locator("#log li.staff").wait_for(timeout=15000)
    assert chat.locator("#log li.staff").text_content() == "Chào bạn, cán bộ tư pháp đây. Bạn cần bản chính giấy chứng sinh."
    count = chat.locator("#log li.bot").count()
    chat.fill("#text", "cảm ơn, tôi mang thêm gì nữa?")
    with chat.expect_response(lambda r: r.request.method == "POST" and "/webchat/messages" in r.url):
        chat.press("#text", "Enter")  # recorded by the server before the admin page is reloaded
    admin.locator("ol.transcript", has_text="tôi mang thêm gì nữa").wait_for(timeout=10000)  # no reload needed
    chat.locator("#log li.bot").nth(count).wait_for(timeout=15000)  # a locator: the CSP forbids eval
    assert chat.locator("#log li.bot").count() == count + 1  # the bot only says that staff answer
    assert "Cán bộ xã đang trả lời bạn" in chat.locator("#log li.bot").last.text_content()


def test_a_clerk_with_waiting_residents_lands_on_the_handover_inbox(browser, server):
    chat = _open_chat(browser, server)
    count = chat.locator("#log li.bot").count()
    chat.locator("#choices button", has_text=gettext("vi", "Talk to staff")).first.click()
    chat.locator("#log li.bot").nth(count).wait_for(timeout=15000)  # a locator: the CSP forbids eval
    admin = _log_in(browser, server, "staff-a")
    assert admin.url.endswith("/admin/c/demo/handover")
    assert admin.locator("#waiting-count").text_content() == "1"  # on every page's navigation
    admin.goto(f"{server}/admin/c/demo/faq")
    assert admin.locator("#waiting-count").text_content() == "1"


def test_a_long_unanswered_text_does_not_widen_the_page(browser, server, app):
    long_text = "chotoihoi" + "vandekhongcokhoangtrangnao" * 12 + " và một câu rất dài nữa " * 10
    with app.test_client() as resident:
        assert resident.post("/webchat/messages", json={"user": "long-1", "text": long_text}).status_code == 200
    admin = _log_in(browser, server, "staff-a")
    admin.goto(f"{server}/admin/c/demo/unanswered")
    card = admin.locator("section.question", has_text="chotoihoi")
    card.wait_for()
    assert admin.evaluate("document.documentElement.scrollWidth") <= 390
    assert card.locator("select[name=entry_id]").input_value() == ""  # nothing chosen on a weak match
    options = card.locator("select[name=entry_id] option").all_text_contents()
    assert not any("0." in o for o in options)  # words, not raw scores


def test_commune_a_account_refused_on_commune_b_pages(browser, server):
    admin = _log_in(browser, server, "staff-a")
    for path in ("faq", "settings", "unanswered", "handover", "stats", "faq/faq-dia-chi", "try?text=x"):
        response = admin.goto(f"{server}/admin/c/xa-b/{path}")
        assert response.status == 404, path
        assert "Xã Bình Minh" not in admin.content()
    assert admin.goto(f"{server}/admin/c/demo/settings").status == 200
