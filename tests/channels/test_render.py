"""Rendering replies within each platform's limits (channels/render.py, facebook_send, zalo_send)."""
from __future__ import annotations

import unicodedata

from bot.messages import Button, QuickReply, Reply
from channels import facebook_send, zalo_send
from channels.render import split_text


def test_split_prefers_paragraphs_then_sentences_and_keeps_every_word():
    paragraph = "Giấy khai sinh bản chính. " * 40  # ~1,040 characters
    text = "\n\n".join([paragraph.strip()] * 3)
    pieces = split_text(text, 2000)
    assert all(len(p) <= 2000 for p in pieces)
    assert all(p.endswith(".") for p in pieces)  # cut at a paragraph or sentence end
    assert " ".join(pieces).split() == text.split()


def test_split_counts_composed_characters_and_hard_cuts_a_very_long_word():
    decomposed = unicodedata.normalize("NFD", "Đăng ký khai sinh ") * 150  # NFD is longer than NFC
    pieces = split_text(decomposed, 2000)
    assert all(unicodedata.is_normalized("NFC", p) and len(p) <= 2000 for p in pieces)
    assert len(pieces) == 2
    assert [len(p) for p in split_text("x" * 4500, 2000)] == [2000, 2000, 500]


def test_messenger_limits_text_quick_replies_and_buttons():
    quick = [QuickReply(f"Lựa chọn rất dài số {i} của danh sách", f"ASK:intent-{i}") for i in range(16)]
    buttons = [Button(f"Cổng dịch vụ công {i}", f"https://dichvucong.gov.vn/{i}") for i in range(4)]
    messages = facebook_send.render([Reply("Câu trả lời. " * 300, quick, buttons)], "vi")
    texts = [m for m in messages if "text" in m]
    templates = [m["attachment"]["payload"] for m in messages if "attachment" in m]
    assert all(len(m["text"]) <= 2000 for m in texts)
    assert [len(t["buttons"]) for t in templates] == [3, 1]
    assert all(len(t["text"]) <= 640 for t in templates)
    assert all(len(b["title"]) <= 20 for t in templates for b in t["buttons"])
    assert templates[1]["text"] == "Thêm liên kết"
    assert "quick_replies" in messages[-1] and all("quick_replies" not in m for m in messages[:-1])
    assert len(messages[-1]["quick_replies"]) == 13
    assert all(len(q["title"]) <= 20 and q["title"].endswith("…") for q in messages[-1]["quick_replies"])
    assert messages[-1]["quick_replies"][0]["payload"] == "ASK:intent-0"


def test_zalo_buttons_carry_payloads_and_urls_within_limits():
    reply = Reply("Xin chào", [QuickReply("Menu", "MENU")] * 6, [Button("Cổng", "https://dichvucong.gov.vn")])
    messages = zalo_send.render([reply], "en")
    assert [m["text"] for m in messages] == ["Xin chào", "More options"]
    groups = [m["attachment"]["payload"]["buttons"] for m in messages]
    assert [len(g) for g in groups] == [5, 2]
    assert groups[0][0] == {"type": "oa.open.url", "title": "Cổng", "payload": {"url": "https://dichvucong.gov.vn"}}
    assert groups[0][1] == {"type": "oa.query.hide", "title": "Menu", "payload": "#p:MENU"}
    long = zalo_send.render([Reply("Một câu. " * 400)], "vi")
    assert len(long) == 2 and all(len(m["text"]) <= 2000 for m in long)


def test_a_title_over_the_limit_is_cut_between_words():
    from channels.render import shorten

    assert shorten("Cấp, đổi, cấp lại thẻ căn cước", 20) == "Cấp, đổi, cấp lại…"
    assert shorten("Đăng ký khai sinh", 20) == "Đăng ký khai sinh"
    assert shorten("Giấychứngnhậnquyềnsửdụngđất", 20) == "Giấychứngnhậnquyềns…"  # one long word: cut anyway
    for title in ("Họ, chữ đệm và tên của trẻ", "Xác nhận tình trạng hôn nhân", "Permanent residence registration"):
        words = title.split()
        kept = shorten(title, 20).rstrip("…").split()
        assert kept == words[:len(kept)] and len(shorten(title, 20)) <= 20, title  # whole words only
