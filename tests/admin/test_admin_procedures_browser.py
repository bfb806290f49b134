"""A clerk on a phone (Chromium, 390×844) edits a procedure's fee for the commune: the national text
stays beside the box, the commune's fee shows at the top after saving, and a resident asking in
/chat is told it."""
from __future__ import annotations

import pytest

from admin_helpers import log_in_page

FEE = "Xã An Bình thu 5.000 đồng mỗi bản sao"


@pytest.fixture
def server(app, world, serve):
    return serve(app)


def test_edit_a_procedures_fee_on_a_phone_and_see_it_at_the_top(browser, server):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    log_in_page(page, server, "staff-a")
    page.goto(f"{server}/admin/c/demo/procedures")
    page.click("a[href$='/procedures/khai-sinh']")
    fee = page.locator("#fact-fee")
    assert "Free when the birth is registered on time" in fee.locator(".national").text_content()
    fee.locator("textarea[name=fee_vi]").fill(FEE)
    page.click("#commune-facts button[type=submit]")
    page.locator("section#commune-text").wait_for()
    assert FEE in page.locator("section#commune-text").text_content()
    box = page.locator("section#commune-text").bounding_box()
    assert box["y"] < 844 and box["x"] >= 0 and box["x"] + box["width"] <= 390  # at the top, on the screen
    assert page.locator(".flash").count() == 1
    assert "Free when the birth" in page.locator("#fact-fee .national").text_content()  # still beside it
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    chat = browser.new_page(viewport={"width": 390, "height": 844})
    chat.goto(f"{server}/chat")
    chat.locator("#log li.bot").first.wait_for(timeout=15000)
    chat.fill("#text", "khai sinh hết bao nhiêu tiền")
    chat.press("#text", "Enter")
    chat.locator("#log li.bot").nth(1).wait_for(timeout=15000)
    assert FEE in chat.locator("#log li.bot").nth(1).text_content()
