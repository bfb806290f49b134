"""Every guided procedure, transcript-style through POST /webchat/messages: Vietnamese with and
without diacritics and English, typed answers (có/ko/rồi/chưa/yes/no, dates in several forms) and
taps, ending on the right variant, code, papers, fee and portal link."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

RECENT = date.today() - timedelta(days=10)
RECENT_SLASH = f"{RECENT.day}/{RECENT.month}/{RECENT.year}"
RECENT_WORDS = f"ngày {RECENT.day} tháng {RECENT.month} năm {RECENT.year}"
RECENT_EN = RECENT.strftime("%d %B %Y")

# flow, opening message, typed answers, texts expected in the result, text expected in the portal link
CASES = [
    ("khai-sinh", "đăng ký khai sinh cho con", ["đúng", "có", "có", "rồi", RECENT_SLASH],
     ["1.001193", "Bạn đang trong hạn 60 ngày", "Giấy chứng sinh", "2.000986"], "019d2bfd-3fe0-70ac-b9d6-5e9e20d6eef7"),
    ("khai-sinh", "dang ky khai sinh", ["dung", "co", "co", "chua", "co", "ngay 1 thang 1 nam 2020"],
     ["1.000689", "Hội đồng nhân dân tỉnh", "Tối đa 8 ngày làm việc", "xét nghiệm ADN"], "019d2bfd-3faf-768a-9224-9cb889436133"),
    ("khai-sinh", "Birth registration", ["yes", "yes", "no"],
     ["2.000528", "1 working day", "nationality"], "019d2bfd-8662-763f-927f-dc039ede198c"),
    ("khai-sinh", "dang ky khai sinh", ["khong"], ["2.000635", "8.000 đồng", "1.004884"], "019d2bfd-867c-72db-b6a7-dcbd8c763807"),
    ("khai-sinh", "Birth registration", ["yes", "no"], ["Child born abroad", "ask the one-stop desk"], None),
    ("khai-tu", "đăng ký khai tử", [RECENT_WORDS, "rồi"],
     ["1.000656", "đăng ký khai tử đúng hạn", "1.003197", "Giấy báo tử"], "019d2bfd-3fac-7489-b53b-9c6c958f2da4"),
    ("khai-tu", "khai tu", ["1/1/2020", "chua", "co"],
     ["Miễn lệ phí cho người thuộc gia đình có công", "Chưa có Giấy báo tử", "Đã quá 15 ngày"], "019d2bfd-3fac"),
    ("khai-tu", "how to register a death", [RECENT_EN, "yes"], ["1.000656", "registering on time"], "019d2bfd-3fac"),
    ("ket-hon", "đăng ký kết hôn", ["có", "có", "không", "có"],
     ["1.000894", "Miễn lệ phí", "03 ngày làm việc"], "019d2bfd-3fac-7489-b53b-a15eb239a6fe"),
    ("ket-hon", "dang ky ket hon", ["co", "ko"], ["2.000806", "Tối đa 10 ngày làm việc", "hợp pháp hóa lãnh sự"], "019d2bfd-8e13-728a-a0cd-635811d8432e"),
    ("ket-hon", "Marriage registration", ["yes", "yes", "yes", "no"],
     ["1.000894", "Married before", "Free of charge"], "019d2bfd-3fac-7489-b53b-a15eb239a6fe"),
    ("ket-hon", "Marriage registration", ["no"], ["1.004746", "Re-registration", "copy of the marriage certificate", "25 days"], "019d2bfd-6711-733d-b674-f82cb6606242"),
    ("tinh-trang-hon-nhan", "xác nhận tình trạng hôn nhân", ["để kết hôn", "rồi", "chưa", "không"],
     ["1.004873", "chỉ được cấp 01 bản", "bản án/quyết định ly hôn", "3 ngày làm việc"], "019d2bfd-6eb3"),
    ("tinh-trang-hon-nhan", "xac nhan tinh trang hon nhan", ["2", "chua", "co", "co"],
     ["ghi rõ mục đích", "Nộp lại Giấy xác nhận", "Miễn lệ phí (gia đình có công"], "019d2bfd-6eb3"),
    ("tinh-trang-hon-nhan", "Certificate of marital status", ["to marry", "no", "no", "no"],
     ["only one copy", "Provincial People's Council"], "019d2bfd-6eb3"),
    ("thuong-tru", "đăng ký thường trú", ["nhà người thân", "không", "có"],
     ["1.004222", "Ý kiến đồng ý của chủ hộ", "10.000 đồng/lần khi nộp trực tuyến", "07 ngày làm việc"], "019d2bf7-7704"),
    ("thuong-tru", "dang ky thuong tru", ["nha thue", "co", "khong"],
     ["công chứng hoặc chứng thực", "20.000 đồng/lần", "60 ngày"], "019d2bf7-7704"),
    ("thuong-tru", "Permanent residence registration", ["my own home", "no", "yes"],
     ["land use right certificate", "10,000 VND"], "019d2bf7-7704"),
    ("tam-tru", "đăng ký tạm trú", ["có", "nhiều người", "không", "không", "có"],
     ["1.004194", "danh sách", "5.000 đồng/người", "03 ngày làm việc"], "019d2bf7-770b"),
    ("tam-tru", "dang ky tam tru", ["ko", "ko"], ["1.002755", "15.000 đồng", "15 ngày trước", "Gia hạn cho nhiều người theo danh sách"], "019d2bf7-6762-77ee-9a0c-965773ce7afe"),
    ("tam-tru", "Temporary residence registration", ["yes", "one person", "yes", "yes", "yes"],
     ["7,000 VND", "no proof of a lawful home", "consent of a parent"], "019d2bf7-770b"),
    ("can-cuoc", "làm căn cước", ["làm thẻ lần đầu", "chưa"], ["1.014062", "not confirmed" if False else "hỏi cán bộ"],
     "019d2bf7-9e16-74eb-bb7b-a492aadf15a0"),
    ("can-cuoc", "lam can cuoc", ["mat the"], ["1.014064", "Mức phí cấp lại chưa xác nhận"], "019d2bf7-9e0b"),
    ("can-cuoc", "identity card", ["renew"], ["1.014063", "renewal fee is not confirmed"], "019d2bf7-9e0f"),
    ("can-cuoc", "identity card", ["first card", "yes"], ["1.014061", "7 working days"], "019d2bf7-9e11"),
    ("lien-thong-tre-em", "liên thông khai sinh thường trú bảo hiểm y tế", ["có", "có", "không", "có"],
     ["2.000986", "người làm chứng", "ý kiến bằng văn bản của cha mẹ", "20 ngày làm việc"], "lienthong.dichvucong.gov.vn/#/ke-khai/2.000986"),
    ("lien-thong-tre-em", "lien thong khai sinh thuong tru bhyt", ["co", "khong", "co"],
     ["2.001023", "15 ngày làm việc", "TK1-TS"], "019d2bfd-95f7-7548-bce5-81bc8224b321"),
    ("lien-thong-tre-em", "linked birth registration residence and health insurance card for children under 6", ["no"],
     ["1.001193", "only for children under 6", "1 working day", "witness of the birth"], "019d2bfd-3fe0"),
]


@pytest.mark.parametrize("flow_id, opening, typed, expected, link", CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_guided_flow_transcript(chat, flow_id, opening, typed, expected, link):
    resident = chat()
    resident.say(opening)
    assert f"FLOW:start:{flow_id}" in resident.payloads, resident.replies
    resident.tap(f"FLOW:start:{flow_id}")
    for answer in typed:
        assert any(p.startswith("FLOW:ans:") for p in resident.payloads) or "?" in resident.text, resident.text
        resident.say(answer)
    assert "FLOW:link" in resident.payloads, resident.text  # the result, not another question
    for text in expected:
        assert text in resident.text, (text, resident.text)
    urls = [b["url"] for b in resident.buttons]
    if link:
        assert any(link in url for url in urls), urls
    else:
        assert urls == []


def test_every_flow_file_has_a_transcript():
    from procedures.flow import flow_ids

    assert set(flow_ids()) == {case[0] for case in CASES}
    assert len(flow_ids()) >= 8


@pytest.mark.parametrize("flow_id", ["khai-sinh", "khai-tu", "ket-hon", "tinh-trang-hon-nhan", "thuong-tru",
                                     "tam-tru", "can-cuoc", "lien-thong-tre-em"])
def test_every_flow_by_taps_only(chat, flow_id):
    """Answering by quick replies alone (always the first choice) reaches a result."""
    resident = chat()
    resident.tap(f"ASK:{flow_id}")
    resident.tap(f"FLOW:start:{flow_id}")
    for _ in range(10):
        answers = [p for p in resident.payloads if p.startswith("FLOW:ans:")]
        if not answers:
            break
        resident.tap(answers[0])
    if "FLOW:link" not in resident.payloads:  # a date question: typed
        resident.say("1/1/2020")
        for _ in range(10):
            answers = [p for p in resident.payloads if p.startswith("FLOW:ans:")]
            if not answers:
                break
            resident.tap(answers[0])
    assert "FLOW:link" in resident.payloads, resident.text


def test_english_flow_is_in_english_and_vietnamese_in_vietnamese(chat):
    english = chat()
    english.say("Marriage registration")
    english.tap("FLOW:start:ket-hon")
    assert "Is this the first time you two register your marriage?" in english.text
    assert [q["title"] for q in english.replies[-1]["quick_replies"]][:2] == ["Yes", "No"]
    vietnamese = chat()
    vietnamese.say("đăng ký kết hôn")
    vietnamese.tap("FLOW:start:ket-hon")
    assert "Đây là lần đầu hai bạn đăng ký kết hôn" in vietnamese.text


def test_typed_step_by_step_starts_the_flow_of_the_guide_on_screen(chat):
    resident = chat()
    resident.say("đăng ký tạm trú")
    resident.say("hướng dẫn từng bước")
    assert "Bạn đăng ký tạm trú mới phải không" in resident.text
    other = chat()
    other.say("huong dan tung buoc dang ky ket hon")
    assert "Đây là lần đầu hai bạn đăng ký kết hôn" in other.text


def test_flow_files_are_consistent_and_sourced():
    from procedures.flow import check_flow, flow_ids, load_flow, FLOWS

    for flow_id in flow_ids():
        flow = load_flow(flow_id)
        check_flow(flow, FLOWS / f"{flow_id}.yaml")
        assert flow["outcomes"][-1].get("when") in (None, {}) or flow_id == "can-cuoc"
        for add in flow.get("adds") or []:
            assert add.get("source"), (flow_id, add)
