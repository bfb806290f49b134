"""A curated procedure answers only inside its national procedure's scope (issue 13).

"Đăng ký tạm trú" is a Vietnamese citizen's procedure: a message about a foreign guest asks for
the foreigners' own temporary-residence declaration, which the catalogue lists apart
(knowledge/data/audiences.yaml). The messages were written for this test, never taken from an
eval or residents' set. The whole portal snapshot is searched when `../shared` is on this
machine; otherwise those tests are skipped.
"""
from __future__ import annotations

import pytest

from full_catalogue import full_index, needs_snapshot
from knowledge.catalogue_audiences import audiences_named
from knowledge.catalogue_tier import resolve
from knowledge.cli import ensure_knowledge_base
from knowledge.store import knowledge_base

TEMPORARY_RESIDENCE = "1.004194"  # the curated tam-tru's own code
FOREIGNERS = {"Người nước ngoài", "Người nước ngoài cư trú tại Việt Nam", "Người nước ngoài đã cư trú tại Việt Nam"}


@pytest.mark.parametrize(("text", "named"), [
    ("nhà tôi cho một người nước ngoài thuê phòng", ["foreigner"]),
    ("chong em la nguoi Han Quoc", ["foreigner"]),
    ("we have two German volunteers staying with us", ["foreigner"]),
    ("anh trai em đi làm ở nước ngoài về", []),  # a citizen back from abroad
    ("người lao động ở công ty may", []),
])
def test_a_message_names_the_people_it_is_about(text, named):
    assert [a.name for a in audiences_named(text)] == named


def _resolved(app, text):
    with app.app_context():
        ensure_knowledge_base()
        return resolve(knowledge_base().snapshot(), full_index(), text)


@needs_snapshot
@pytest.mark.parametrize("text", [
    "nhà tôi cho một người nước ngoài thuê phòng, khai báo tạm trú cho người đó ở đâu",
    "khach tay o homestay nha em may dem, khai bao tam tru cho khach nuoc ngoai the nao",
])
def test_a_foreign_guest_gets_the_foreigners_procedures_not_the_citizens(app, text):
    answered = _resolved(app, text)
    assert answered.match.intent == "tam-tru"  # the curated matcher alone would answer it
    assert answered.contested == "tam-tru" and answered.code != TEMPORARY_RESIDENCE
    index = full_index()
    assert answered.catalogue.hits
    offered = [answered.code] if answered.code else [h.code for h in answered.catalogue.hits]  # an answer, or a choice
    assert all(FOREIGNERS & set(index.procedure(code).targets) for code in offered)


@needs_snapshot
@pytest.mark.parametrize("text", [
    "tôi thuê trọ ở xã để đi làm, đăng ký tạm trú thế nào",
    "anh trai em đi làm ở nước ngoài về, đăng ký tạm trú lại thế nào",
    "How do I register temporary residence for my rented room?",
])
def test_a_citizen_keeps_the_curated_temporary_residence(app, text):
    answered = _resolved(app, text)
    assert (answered.match.intent, answered.contested, answered.code) == ("tam-tru", None, TEMPORARY_RESIDENCE)


@needs_snapshot
def test_an_english_question_about_another_licence_is_not_the_household_business(app):
    # read in the catalogue's words: the karaoke licence is nothing the household business
    # registration's entry or its English phrasings explain
    answered = _resolved(app, "which permit does a karaoke business need besides the household business registration?")
    assert answered.match.intent == "ho-kinh-doanh"
    assert answered.contested == "ho-kinh-doanh" and answered.code != "1.001612"
    assert "1.001029" in {h.code for h in answered.catalogue.hits}  # the karaoke licence


@pytest.mark.parametrize(("text", "intent"), [
    ("cần tuyển tài xế lái xe tải có bằng C, lương 12 triệu", "none"),  # names a licence: an employer's advert
    ("đổi bằng lái xe hạng C hết hạn ở đâu", "doi-gplx"),
    ("công ty em cho nghỉ việc rồi, lương cũ 6 triệu, có được trợ cấp thất nghiệp không", "tro-cap-that-nghiep"),
])
def test_a_job_advert_is_no_procedure_whatever_licence_it_names(app, text, intent):
    with app.app_context():
        ensure_knowledge_base()
        assert knowledge_base().snapshot().index.match(text).intent == intent
