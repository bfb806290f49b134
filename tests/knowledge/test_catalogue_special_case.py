"""A curated procedure is one case of its family: a message that asks for another case (a reissue
after a loss) that the curated entry's title and phrasings never name is not answered with the
curated procedure; a case its phrasings do ask for stays curated."""
from __future__ import annotations

import pytest
from full_catalogue import needs_snapshot, resolved

from knowledge.catalogue_tier import curated_code


@needs_snapshot
def test_a_reissue_after_a_loss_is_not_the_first_land_registration(app):
    snapshot, answered = resolved(app, "mất sổ hồng rồi, xin cấp lại thế nào ạ")
    assert answered.match.intent == "dat-dai-lan-dau"  # the curated matcher's pick: the case this test is about
    assert answered.contested == "dat-dai-lan-dau" and answered.code != curated_code(snapshot, answered.match)


@needs_snapshot
def test_a_case_the_curated_phrasings_ask_for_stays_curated(app):
    snapshot, answered = resolved(app, "giấy khai sinh của cháu ghi sai ngày sinh, muốn chỉnh lại thì làm sao")
    assert answered.match.intent == "cai-chinh-ho-tich"
    assert answered.contested is None and answered.code == curated_code(snapshot, answered.match)


@needs_snapshot
@pytest.mark.parametrize("message, intent, code", [
    ("giấy phép xây dựng nhà tôi sắp hết hạn mà chưa xây xong, muốn gia hạn thêm", "giay-phep-xay-dung", "1.013227"),
    ("giấy chứng nhận hộ kinh doanh nhà tôi bị rách, xin cấp lại", "ho-kinh-doanh", "2.000575"),
])
def test_a_case_that_is_a_related_procedure_of_its_own_is_answered_with_it(app, message, intent, code):
    """The curated entry lists the extension (or the reissue) as a separate procedure with its own
    papers: the message that asks for it gets that procedure, the curated one offered beside it."""
    snapshot, answered = resolved(app, message)
    assert answered.match.intent == intent
    assert answered.code == code and answered.from_catalogue and answered.contested == intent


@needs_snapshot
def test_a_case_word_in_the_story_does_not_move_the_answer_to_a_related_procedure(app):
    snapshot, answered = resolved(app, "công ty chấm dứt hợp đồng lao động với em, em muốn hưởng trợ cấp thất nghiệp")
    assert answered.match.intent == "tro-cap-that-nghiep"  # its related list has "chấm dứt hưởng trợ cấp"
    assert answered.contested is None and answered.code == curated_code(snapshot, answered.match)


@needs_snapshot
def test_a_case_the_curated_guide_shows_gives_that_case_code(app):
    """The card guide shows the replacement's portal page for a lost card: `kb match` names the same."""
    snapshot, answered = resolved(app, "em bị mất căn cước, làm lại thế nào")
    assert answered.match.intent == "can-cuoc" and answered.contested is None
    assert answered.code == "1.014064" != snapshot.entries["can-cuoc"].content["code"]
