"""The knowledge base's out-of-scope examples predate the catalogue, and many of them ask about
national procedures (passports, school transfers, pensions). A message close to them is out of scope
for the curated intents, not for the catalogue: when the catalogue's procedure explains what it
shares with those examples, the resident gets the catalogue's choice, not "I don't know"; a sale ad
that shares "sổ đỏ" with them still gets nothing."""
from __future__ import annotations

import pytest
from full_catalogue import full_index, needs_snapshot

from knowledge.catalogue_tier import out_of_scope, resolve
from knowledge.cli import ensure_knowledge_base
from knowledge.store import knowledge_base


@needs_snapshot
@pytest.mark.parametrize("message, kept", [
    ("làm hộ chiếu cho con ở đâu vậy ạ", True),
    ("con em muốn chuyển trường về xã học tiếp thì cần giấy gì", True),
    ("cần bán miếng đất thổ cư 100m2 gần chợ, sổ đỏ chính chủ, ai mua ib", False),
])
def test_a_message_the_knowledge_base_calls_out_of_scope_keeps_the_catalogue_choice_it_is_about(app, message, kept):
    with app.app_context():
        ensure_knowledge_base()
        snapshot = knowledge_base().snapshot()
        answered = resolve(snapshot, full_index(), message)
    assert out_of_scope(snapshot, answered.match), answered.match  # the path this test is about
    assert (answered.catalogue.decision != "none") is kept, answered.catalogue
