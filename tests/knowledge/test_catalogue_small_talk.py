"""Small talk says almost nothing: on the whole snapshot, a procedure that shares its one word
("tên", "chán", "người") must not be offered as a choice."""
from __future__ import annotations

import pytest
from full_catalogue import full_index, needs_snapshot


@needs_snapshot
@pytest.mark.parametrize("message", ["bạn tên gì thế", "em chán quá", "vâng ạ", "bạn là người hay máy",
                                     "ok em cảm ơn nhiều nha"])
def test_small_talk_gets_no_choice_of_procedures(message):
    assert full_index().match(message).decision == "none"
