"""A close runner-up that explains every word of the message the first hit explains, and a rare
word more, is the better answer (knowledge/catalogue_index.py `_explaining_more_first`)."""
from __future__ import annotations

from full_catalogue import full_index, needs_snapshot

FISHING_BOAT_REMOVAL = "1.003681"  # Xóa đăng ký tàu cá (the boat's own removal, not any register's)


@needs_snapshot
def test_the_procedure_that_also_explains_the_rare_word_comes_first():
    index = full_index()
    message = "tàu cá nhà tôi bị chìm không vớt lên được, xóa đăng ký tàu ở đâu"
    hits = index.search(message)
    assert hits[0].code == FISHING_BOAT_REMOVAL
    plain = hits[1]  # the removal that scored higher on "xóa đăng ký" alone, now second
    said = set(index.query_features(message))
    assert said & index.explains(plain.code) < said & index.explains(hits[0].code)
    assert hits[0].score > plain.score  # the two swapped scores too: the decision is as sure as before

