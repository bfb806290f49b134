"""The hand-off page in real Chromium on a phone-sized screen, against the app served on
127.0.0.1 by a real server thread; the whole flow runs over HTTP and every log line, every
URL in the replies, on the page and requested by the browser is checked for personal data."""
from __future__ import annotations

import logging

import pytest
import requests

TYPED = {"full_name": "Trần Thị Hoa", "date_of_birth": "5/6/1995", "personal_id": "0010 9501 2345",
         "phone": "+84 912 345 678"}
STORED = {"full_name": "Trần Thị Hoa", "date_of_birth": "05/06/1995", "personal_id": "001095012345",
          "phone": "0912345678"}
PORTAL = "https://dichvucong.gov.vn/thu-tuc-hanh-chinh/019d2bfd-6eb3-7019-bf3f-fc58c9ee44b9"


def _forms(value: str) -> set[str]:
    """A personal value as it could leak: as typed, stored, without spaces, URL-encoded."""
    from urllib.parse import quote, quote_plus

    forms = {value, value.replace(" ", ""), quote(value), quote_plus(value)}
    return {f for f in forms if f}


PERSONAL_FORMS = set().union(*(_forms(v) for v in list(TYPED.values()) + list(STORED.values())),
                             _forms("Tran Thi Hoa"), {"1995"})


@pytest.fixture
def server(kb, serve):
    return serve(kb)


def _chat(base: str, user: str, body: dict, urls: list[str]) -> list[dict]:
    response = requests.post(f"{base}/webchat/messages", json={"user": user, **body}, timeout=30)
    assert response.status_code == 200
    replies = response.json()["replies"]
    urls += [b["url"] for r in replies for b in r["buttons"]]
    return replies


def _run_flow(base: str, urls: list[str]) -> str:
    user = "browser-resident"
    _chat(base, user, {"text": "xác nhận tình trạng hôn nhân"}, urls)
    _chat(base, user, {"payload": "FLOW:start:tinh-trang-hon-nhan"}, urls)
    for answer in ("để kết hôn", "chưa", "chưa", "không"):
        _chat(base, user, {"text": answer}, urls)
    _chat(base, user, {"payload": "FLOW:prefill"}, urls)
    for value in TYPED.values():
        _chat(base, user, {"text": value}, urls)
    replies = _chat(base, user, {"text": "đúng rồi"}, urls)
    go = [b["url"] for r in replies for b in r["buttons"] if "/go/" in b["url"]]
    assert len(go) == 1 and go[0].startswith(base + "/go/")
    return go[0]


def test_handoff_page_in_chromium_on_a_phone(server, browser, caplog, kb):
    from playwright.sync_api import expect

    caplog.set_level(logging.DEBUG)
    urls: list[str] = []
    page_url = _run_flow(server, urls)
    seen_requests: list[str] = []
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)
    page = context.new_page()
    page.on("request", lambda request: seen_requests.append(request.url))
    # the only network is 127.0.0.1: the portal answers from a stub, so the redirect can be followed
    page.route("https://dichvucong.gov.vn/**", lambda route: route.fulfill(status=200, body="portal"))
    page.goto(page_url)
    assert page.locator("#procedure").inner_text() == "Cấp Giấy xác nhận tình trạng hôn nhân"
    values = page.locator("#details [data-value]").all_inner_texts()
    assert values == list(STORED.values())
    buttons = page.locator("button.copy")
    assert buttons.count() == 4 and buttons.first.inner_text() == "Sao chép"
    box = buttons.first.bounding_box()
    assert box["height"] >= 44 and box["x"] + box["width"] <= 360  # a thumb-sized target on screen
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scrolling
    buttons.nth(2).click()
    expect(buttons.nth(2)).to_have_text("Đã chép")  # the clipboard write is asynchronous
    assert page.evaluate("navigator.clipboard.readText()") == STORED["personal_id"]
    assert "Giấy tờ cần chuẩn bị" in page.locator("#checklist").inner_text()
    hrefs = page.eval_on_selector_all("[href],[src],[action]",
                                      "els => els.map(e => e.href || e.src || e.action)")
    urls += hrefs
    portal = page.locator("#portal")
    assert portal.inner_text() == "Đến thủ tục trên dichvucong.gov.vn"
    portal.click()
    page.wait_for_url(PORTAL)
    context.close()
    urls += seen_requests
    assert PORTAL in seen_requests
    assert all(u.startswith(server) or u.startswith("https://dichvucong.gov.vn/") or u.startswith("data:")
               for u in urls), urls
    for url in urls:
        for form in PERSONAL_FORMS:
            assert form not in url, (form, url)
    lines = [record.getMessage() for record in caplog.records]
    assert any("/go/" in line for line in lines)  # the server's request log is captured
    for line in lines:
        for form in PERSONAL_FORMS:
            assert form not in line, (form, line)
    _assert_message_log_is_clean(kb)
    _assert_click_recorded(kb)


def _assert_message_log_is_clean(app) -> None:
    from sqlalchemy import select

    from infra.db import get_session
    from infra.models import MessageLog

    with app.app_context():
        texts = [t or "" for t in get_session().scalars(select(MessageLog.text))]
    assert texts and "xác nhận tình trạng hôn nhân" in texts
    for text in texts:
        for form in PERSONAL_FORMS:
            assert form not in text, (form, text)


def _assert_click_recorded(app) -> None:
    from sqlalchemy import select

    from infra.db import get_session
    from procedures.prefill_models import PortalClick

    with app.app_context():
        assert [c.code for c in get_session().scalars(select(PortalClick))] == ["1.004873"]


@pytest.mark.parametrize("suffix", ["tampered", "expired"])
def test_bad_links_in_chromium_show_a_clear_page(server, browser, kb, suffix):
    page_url = _run_flow(server, [])
    if suffix == "tampered":
        target, wanted = page_url[:-3] + "xyz", "không hợp lệ"
    else:
        requests.post(f"{server}/webchat/messages", json={"user": "browser-resident", "text": "xóa dữ liệu của tôi"},
                      timeout=30)
        target, wanted = page_url, "hết hạn"
    page = browser.new_page(viewport={"width": 360, "height": 740})
    response = page.goto(target)
    assert response.status in (404, 410)
    text = page.locator("body").inner_text()
    assert wanted in text and "Sao chép" not in text
    assert all(value not in text for value in STORED.values())


def _link_only(base: str) -> str:
    """A checklist page without prepared data: the lost-card guide, "My checklist page"."""
    user = "browser-lost-card"
    _chat(base, user, {"payload": "FLOW:start:can-cuoc"}, [])
    _chat(base, user, {"text": "mất thẻ"}, [])
    replies = _chat(base, user, {"payload": "FLOW:link"}, [])
    go = [b["url"] for r in replies for b in r["buttons"] if "/go/" in b["url"]]
    assert len(go) == 1
    return go[0]


def test_the_portal_button_is_on_the_first_screen_of_a_phone(server, browser):
    """390×844 (a common phone): the way to the portal is seen without scrolling, with or without
    prepared details; a page without prepared details does not talk about copying them."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    for url, has_details in ((_run_flow(server, []), True), (_link_only(server), False)):
        page.goto(url)
        box = page.locator("#portal").bounding_box()
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 844, box
        assert page.evaluate("window.scrollY") == 0
        text = page.locator("main").inner_text()
        assert ("Sao chép" in text) == has_details
        assert ("sao chép" in text.lower()) == has_details  # nor "copy each detail from this page"
        assert ("xóa dữ liệu của tôi" in text) == has_details
    assert "Cấp lại thẻ căn cước" in page.locator("#procedure").inner_text()  # a lost card: the replacement
    context.close()
