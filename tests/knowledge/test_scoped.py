"""Commune-scoped matching: a commune's own phrasings and entries answer its residents, never another's."""
import pytest

from knowledge.calibrate import index_pairs
from knowledge.content import load_entries
from knowledge.scoped import ScopedIndex
from knowledge.store import load_thresholds

OWN = {1: [("faq-gio-lam-viec", "cán bộ trực mấy giờ"), ("xa-1-tiem-chung", "lịch tiêm chủng của xã"),
           ("xa-1-tiem-chung", "Tiêm chủng mở rộng")]}
QUESTIONS = ["cán bộ trực mấy giờ vậy ạ", "lịch tiêm chủng của xã", "đăng ký khai sinh", "giờ làm việc",
             "số điện thoại của xã", "thời tiết ngày mai"]


@pytest.fixture(scope="module")
def scoped() -> ScopedIndex:
    phrasings, names = index_pairs(load_entries())
    return ScopedIndex.build(phrasings + names, OWN, load_thresholds())


def test_other_communes_get_exactly_the_national_decision(scoped):
    for question in QUESTIONS:
        assert scoped.match(question, 2) == scoped.national.match(question) == scoped.match(question, None)


def test_the_commune_with_its_own_phrasings_is_answered_with_them(scoped):
    assert scoped.match("cán bộ trực mấy giờ vậy ạ", 1).intent == "faq-gio-lam-viec"
    assert scoped.match("lịch tiêm chủng của xã", 1).intent == "xa-1-tiem-chung"
    assert scoped.national.match("lịch tiêm chủng của xã").intent != "xa-1-tiem-chung"


def test_one_shared_word_does_not_make_the_commune_index_answer(scoped):
    for question in ("đăng ký khai sinh", "số điện thoại của xã", "thời tiết ngày mai"):
        assert scoped.match(question, 1) == scoped.national.match(question)
    assert [c.intent for c in scoped.ranked("lịch tiêm chủng của xã", 1)][0] == "xa-1-tiem-chung"
