"""A curated procedure "for our commune": the national text beside the commune's own note, place, fee,
papers and hours; saved with history and rolled back to any earlier version; only this commune's
residents are told it, and another commune's staff neither see nor change it."""
from __future__ import annotations

import re

from admin_helpers import chat, login, post

PAGE = "/admin/c/demo/procedures/khai-sinh"
FEE = "khai sinh hết bao nhiêu tiền"


def fee_reply(app, commune: str = "demo", user: str = "r") -> str:
    return chat(app.test_client(), FEE, user=user, commune=commune)[0]["text"]


def test_the_page_shows_the_national_text_beside_empty_commune_boxes(staff_a):
    page = staff_a.get(PAGE).get_data(as_text=True)
    # the national text as residents read it, in the clerk's language (English for these accounts)
    assert "Free when the birth is registered on time" in page and "Circular" not in page
    assert "Birth certificate from the hospital" in page and "the one-stop desk of Xã An Bình" in page
    assert "Monday–Friday: 07:30–11:30" in page and "1 working day" in page  # hours and time
    assert 'name="fee_vi"' in page and 'name="papers_en"' in page
    assert 'class="card own-text"' not in page  # nothing of the commune's yet
    listing = staff_a.get("/admin/c/demo/procedures").get_data(as_text=True)
    assert "/admin/c/demo/procedures/can-cuoc" in listing and "/procedures/faq-dia-chi" not in listing
    assert staff_a.get("/admin/c/demo/procedures/faq-dia-chi").status_code == 404  # a FAQ is not a procedure


def test_saved_text_shows_at_the_top_and_in_the_answers_of_this_commune_only(app, staff_a):
    national_b = fee_reply(app, "xa-b", "b-1")
    response = post(staff_a, PAGE, {"fee_vi": "Xã An Bình thu 5.000 đồng mỗi bản sao", "note_vi": "Mang theo sổ tiêm chủng của bé",
                                    "fee_en": "An Binh charges 5,000 VND a copy"})
    assert response.status_code == 302 and response.headers["Location"].endswith(PAGE)
    page = staff_a.get(PAGE).get_data(as_text=True)
    top = page[page.index('id="commune-text"'):page.index('id="commune-facts"')]
    assert "Xã An Bình thu 5.000 đồng mỗi bản sao" in top and "Mang theo sổ tiêm chủng của bé" in top
    assert "Changed by staff-a" in top
    assert "Free when the birth is registered on time" in page  # the national text stays beside it
    said = fee_reply(app)
    assert "💰 Lệ phí: Xã An Bình thu 5.000 đồng mỗi bản sao" in said and "Mang theo sổ tiêm chủng của bé" in said
    assert fee_reply(app, "xa-b", "b-2") == national_b
    assert "changed for our commune" in staff_a.get("/admin/c/demo/procedures").get_data(as_text=True)


def test_history_and_rollback_to_any_earlier_version(app, staff_a):
    assert post(staff_a, PAGE, {"fee_vi": "Phiên bản một: 1.000 đồng"}).status_code == 302
    assert post(staff_a, PAGE, {"fee_vi": "Phiên bản hai: 2.000 đồng", "hours_vi": "Chỉ sáng thứ Ba"}).status_code == 302
    assert "Phiên bản hai" in fee_reply(app, user="h-1")
    text = staff_a.get("/admin/c/demo/faq/khai-sinh/history").get_data(as_text=True)
    assert "staff-a" in text and "+ fee [vi] Phiên bản hai: 2.000 đồng" in text and "- fee [vi] Phiên bản một" in text
    page = staff_a.get(PAGE).get_data(as_text=True)
    newest, first = _revision_ids(page)
    # undo the second change: version one is back, in the page's top and in the bot's answer
    response = post(staff_a, f"/admin/c/demo/revisions/{newest}/rollback", {"back": "procedure"})
    assert response.status_code == 302 and response.headers["Location"].endswith(PAGE)
    top = _top(staff_a.get(PAGE).get_data(as_text=True))
    assert "Phiên bản một" in top and "Chỉ sáng thứ Ba" not in top
    assert "Phiên bản một" in fee_reply(app, user="h-2")
    # undo the first change: the national text again, and the rollback itself is in the history
    assert post(staff_a, f"/admin/c/demo/revisions/{first}/rollback", {"back": "procedure"}).status_code == 302
    assert "Miễn lệ phí" in fee_reply(app, user="h-3")
    assert 'class="card own-text"' not in staff_a.get(PAGE).get_data(as_text=True)
    assert len(_revision_ids(staff_a.get(PAGE).get_data(as_text=True))) == 4


def _revision_ids(page: str) -> list[int]:
    return [int(n) for n in re.findall(r"/admin/c/demo/revisions/(\d+)/rollback", page)]


def _top(page: str) -> str:
    return page[page.index('id="commune-text"'):page.index('id="commune-facts"')]


def test_use_the_national_text_again(app, staff_a):
    assert post(staff_a, PAGE, {"place_vi": "Nhà văn hóa thôn 3"}).status_code == 302
    assert "Nộp trực tiếp: Nhà văn hóa thôn 3." in chat(app.test_client(), "đăng ký khai sinh ở đâu", user="u-1",
                                                     commune="demo")[0]["text"]
    assert post(staff_a, PAGE, {"reset": "1"}).status_code == 302
    assert "Nhà văn hóa thôn 3" not in chat(app.test_client(), "đăng ký khai sinh ở đâu", user="u-2", commune="demo")[0]["text"]


def test_bad_input_is_a_clear_400_that_keeps_what_was_typed(staff_a):
    response = post(staff_a, PAGE, {"fee_en": "English only", "note_vi": "giữ lại chữ này"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "giữ lại chữ này" in page and 'role="alert"' in page
    assert post(staff_a, PAGE, {"fee_vi": "x" * 301}).status_code == 400
    assert post(staff_a, "/admin/c/demo/procedures/faq-dia-chi", {"fee_vi": "x"}).status_code == 404
    assert post(staff_a, "/admin/c/demo/procedures/no-such", {"fee_vi": "x"}).status_code == 404


def test_another_communes_staff_neither_see_nor_change_it(app, staff_a):
    assert post(staff_a, PAGE, {"note_vi": "Ghi chú riêng của xã A"}).status_code == 302
    staff_b = app.test_client()
    assert login(staff_b, "staff-b").status_code == 302
    assert staff_b.get(PAGE).status_code == 404
    assert "Ghi chú riêng của xã A" not in staff_b.get("/admin/c/xa-b/procedures/khai-sinh").get_data(as_text=True)
    assert post(staff_b, PAGE, {"note_vi": "B ghi đè"}, token_page="/admin/c/xa-b/faq").status_code == 404
    assert post(staff_b, "/admin/c/xa-b/procedures/khai-sinh", {"note_vi": "Ghi chú của xã B"},
                token_page="/admin/c/xa-b/faq").status_code == 302
    page_a = staff_a.get(PAGE).get_data(as_text=True)
    assert "Ghi chú riêng của xã A" in page_a and "Ghi chú của xã B" not in page_a
    # B's revisions cannot be rolled back through A's commune
    ids_b = _revision_ids(staff_b.get("/admin/c/xa-b/procedures/khai-sinh").get_data(as_text=True).replace(
        "/admin/c/xa-b/", "/admin/c/demo/"))
    assert post(staff_a, f"/admin/c/demo/revisions/{ids_b[0]}/rollback", {"back": "procedure"}).status_code == 404


def _guide_result(app, user: str, commune: str) -> tuple[str, str]:
    """A resident of `commune` walks the marital-status guide to its end: the result's text, and the
    checklist page the bot links to."""
    client = app.test_client()
    path = f"/webchat/messages?commune={commune}"

    def send(body: dict) -> list[dict]:
        response = client.post(path, json={"user": user, **body})
        assert response.status_code == 200, response.get_data(as_text=True)
        return response.get_json()["replies"]

    send({"text": "xác nhận tình trạng hôn nhân"})
    send({"payload": "FLOW:start:tinh-trang-hon-nhan"})
    for answer in ("để kết hôn", "chưa", "chưa"):
        send({"text": answer})
    result = "\n".join(r["text"] for r in send({"text": "không"}))
    urls = [b["url"] for r in send({"payload": "FLOW:link"}) for b in r["buttons"] if "/go/" in b["url"]]
    assert len(urls) == 1
    return result, client.get(re.sub(r"^https?://[^/]+", "", urls[0])).get_data(as_text=True)


def test_a_guides_result_and_its_checklist_page_tell_the_communes_own_facts(app, staff_a):
    """What staff wrote for the procedure (fee, papers, note) ends the guide too, for their residents only."""
    page = "/admin/c/demo/procedures/tinh-trang-hon-nhan"
    assert post(staff_a, page, {"fee_vi": "Xã An Bình không thu phí", "papers_vi": "Căn cước\nẢnh thẻ 3x4",
                                "note_vi": "Nộp buổi sáng tại phòng 2"}).status_code == 302
    result, checklist = _guide_result(app, "guide-a", "demo")
    for said in (result, checklist):
        assert "Xã An Bình không thu phí" in said and "Ảnh thẻ 3x4" in said and "Nộp buổi sáng tại phòng 2" in said
    other, other_checklist = _guide_result(app, "guide-b", "xa-b")
    assert not any(word in text for text in (other, other_checklist)
                   for word in ("không thu phí", "Ảnh thẻ 3x4", "phòng 2"))
