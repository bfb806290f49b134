"""A curated procedure has neighbours residents confuse it with (its entry's `related` list): a
message that names one of them, which the catalogue ranks clearly above the curated procedure, is
answered with that neighbour; a message about the curated procedure itself stays curated. And a
curated answer built on a side word of a message about something else yields even when the
catalogue is unsure (the resident is asked to choose, the curated intent offered first)."""
from __future__ import annotations

import pytest
from full_catalogue import needs_snapshot, resolved

from knowledge.catalogue_tier import curated_code


@needs_snapshot
@pytest.mark.parametrize("message, intent, code", [
    ("muốn tách thửa mảnh đất để chia cho hai đứa con thì thủ tục thế nào", "dat-dai-bien-dong", "1.012784"),
    ("khai lệ phí trước bạ khi nhận thừa kế nhà đất", "dat-dai-bien-dong", "1.007277"),
    ("hộ kinh doanh nhà tôi khai thuế hằng quý thì nộp tờ khai ở đâu", "ho-kinh-doanh", "1.011022"),
])
def test_a_related_procedure_the_message_names_is_answered_instead(app, message, intent, code):
    snapshot, answered = resolved(app, message)
    assert answered.match.intent == intent  # the curated matcher's pick: the case this test is about
    assert code in {r["code"] for r in snapshot.entries[intent].content["related"]}
    assert answered.code == code and answered.from_catalogue and answered.contested == intent


@needs_snapshot
def test_the_curated_procedure_itself_stays_curated(app):
    snapshot, answered = resolved(app, "đăng ký hộ kinh doanh quán cà phê cần giấy tờ gì")
    assert answered.match.intent == "ho-kinh-doanh"
    assert answered.contested is None and answered.code == curated_code(snapshot, answered.match)


@needs_snapshot
def test_a_curated_answer_on_a_side_word_yields_when_the_catalogue_is_unsure(app):
    """"xin phép" is all the building permit's phrasings share with a question about a religious
    class: the bot asks rather than answer with the building permit."""
    snapshot, answered = resolved(app, "muốn mở lớp dạy giáo lý ở xã thì xin phép ở đâu")
    assert answered.match.intent == "giay-phep-xay-dung"
    assert answered.catalogue is not None and answered.catalogue.decision != "answer"
    assert answered.contested == "giay-phep-xay-dung" and answered.code is None
    # the catalogue's own guesses below its choice band are not offered beside the curated intent
    assert answered.catalogue.decision == "clarify" or not answered.catalogue.hits
