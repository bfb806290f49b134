"""A curated procedure is one case of its family: a message that asks for another case (a reissue
after a loss) that the curated entry's title and phrasings never name is not answered with the
curated procedure; a case its phrasings do ask for stays curated."""
from __future__ import annotations

from full_catalogue import full_index, needs_snapshot

from knowledge.catalogue_tier import curated_code, resolve
from knowledge.cli import ensure_knowledge_base
from knowledge.store import knowledge_base


def _resolve(app, message: str):
    with app.app_context():
        ensure_knowledge_base()
        snapshot = knowledge_base().snapshot()
        return snapshot, resolve(snapshot, full_index(), message)


@needs_snapshot
def test_a_reissue_after_a_loss_is_not_the_first_land_registration(app):
    snapshot, answered = _resolve(app, "mất sổ hồng rồi, xin cấp lại thế nào ạ")
    assert answered.match.intent == "dat-dai-lan-dau"  # the curated matcher's pick: the case this test is about
    assert answered.contested == "dat-dai-lan-dau" and answered.code != curated_code(snapshot, answered.match)


@needs_snapshot
def test_a_case_the_curated_phrasings_ask_for_stays_curated(app):
    snapshot, answered = _resolve(app, "giấy khai sinh của cháu ghi sai ngày sinh, muốn chỉnh lại thì làm sao")
    assert answered.match.intent == "cai-chinh-ho-tich"
    assert answered.contested is None and answered.code == curated_code(snapshot, answered.match)
