"""A message that asks for something may be answered at a lower score when its procedure is far
ahead of the others; a remark or an advert that names the same topic is not
(knowledge/asking.py, the `wide` band of `CatalogueThresholds`)."""
from __future__ import annotations

import pytest
from full_catalogue import full_index, needs_snapshot

from knowledge.asking import asks
from knowledge.catalogue_index import CatalogueIndex, CatalogueThresholds


@pytest.mark.parametrize("message, asking", [
    ("báo mất hộ chiếu ở đâu", True),
    ("con tôi muốn chuyển trường về quê", True),
    ("thu tuc tach so do ntn a", True),  # "ntn" is "như thế nào"
    ("lam lai cmnd dc ko", True),
    ("Where do I renew my visa", True),
    ("tàu cá mới đóng?", True),
    ("ruộng nhà bác năm nay lúa tốt quá", False),
    ("bán gấp lô đất 100m2 mặt đường liên thôn", False),
    ("k xem dc nữa", False),
])
def test_a_request_or_a_question_is_told_from_a_remark(message, asking):
    assert asks(message) is asking


def test_the_wide_band_answers_only_a_message_that_asks():
    t = CatalogueThresholds(answer=0.44, margin=0.02, clarify=0.34, sure=0.63, wide=0.36, wide_margin=0.06)
    assert t.answers(0.40, 0.10, True) and not t.answers(0.40, 0.10, False)
    assert not t.answers(0.40, 0.05, True)  # not far enough ahead
    assert t.answers(0.45, 0.03, False)  # the first band needs no question


@needs_snapshot
def test_the_same_words_are_answered_when_asked_and_offered_as_a_choice_when_not():
    full = full_index()
    index = CatalogueIndex(full.procedures, CatalogueThresholds(0.44, 0.02, 0.34, 0.63, 0.36, 0.06), full.lexicon)
    asked = index.match("đánh giá sản phẩm ocop cho hợp tác xã ở đâu")
    said = index.match("đánh giá sản phẩm ocop cho hợp tác xã")
    assert asked.decision == "answer" and asked.code == "3.000611"  # Đánh giá, phân hạng sản phẩm OCOP
    assert said.decision == "clarify" and said.hits[0].code == "3.000611"
