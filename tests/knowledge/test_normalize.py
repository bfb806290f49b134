"""Vietnamese normalisation, case by case: what residents type → one canonical form."""
import unicodedata

import pytest

from knowledge.normalize import canonical_tone_placement, normalize_vietnamese, strip_diacritics


def plain(text: str) -> str:
    return normalize_vietnamese(text).plain


@pytest.mark.parametrize("nfc_text", ["hòa bình", "thủy lợi", "Đăng ký khai sinh", "ặ ệ ắ ấ ế ố ớ ứ"])
def test_nfd_input_normalises_like_nfc(nfc_text):
    nfd = unicodedata.normalize("NFD", nfc_text)
    assert normalize_vietnamese(nfd) == normalize_vietnamese(nfc_text)


@pytest.mark.parametrize("new, old", [
    ("hoà", "hòa"), ("thuỷ", "thủy"), ("khoẻ", "khỏe"), ("hoá đơn", "hóa đơn"), ("tuỳ", "tùy"), ("loạ", "lọa"),
])
def test_new_style_tone_placement_becomes_old_style(new, old):
    assert canonical_tone_placement(new) == old
    assert normalize_vietnamese(new).accented == normalize_vietnamese(old).accented


@pytest.mark.parametrize("word", ["quý", "quỳ", "hoàng", "thuyết", "khoảng"])
def test_tone_placement_leaves_qu_and_closed_syllables(word):
    assert canonical_tone_placement(word) == word


def test_diacritic_free_form_maps_d_stroke_and_all_marks():
    assert strip_diacritics("Đường đến Ủy ban") == "Duong den Uy ban"
    assert plain("ĐĂNG KÝ KẾT HÔN") == plain("dang ky ket hon") == "dang ki ket hon"


@pytest.mark.parametrize("a, b", [("đăng kí", "đăng ký"), ("lí lịch", "lý lịch"), ("mĩ", "mỹ")])
def test_i_and_y_spellings_meet(a, b):
    assert plain(a) == plain(b)


@pytest.mark.parametrize("typed, expected", [
    ("ko", "khong"), ("k", "khong"), ("dc", "duoc"), ("đc", "duoc"), ("j", "gi"), ("ntn", "nhu the nao"),
    ("bn", "bao nhieu"), ("cccd", "can cuoc cong dan"), ("ks", "khai sinh"), ("gplx", "giay phep lai xe"),
    ("bhyt", "bao hiem y te"), ("shk", "so ho khau"), ("dk", "dang ki"), ("ubnd", "uy ban nhan dan"),
    ("lltp", "li lich tu phap"), ("vs", "voi"),
])
def test_teencode_and_abbreviations_expand(typed, expected):
    assert plain(typed) == expected


def test_ambiguous_hk_reads_from_context():
    assert plain("nhap hk cho vo") == "nhap ho khau cho vo"
    assert plain("hk biet nua") == "khong biet nua"
    assert plain("quen mk vneid") == "quen mat khau vneid"
    assert plain("mk muon hoi") == "minh muon hoi"


def test_emoji_urls_and_punctuation_are_dropped():
    assert plain("khai sinh 😀👍 https://example.com/x?a=1 !!!") == "khai sinh"
    assert plain("gửi mail a@b.com nhé") == "gui mail nhe"


@pytest.mark.parametrize("typed, expected", [("khai sinhhhh", "khai sinh"), ("ạaaaa", "a"), ("khôngggg", "khong"), ("okk", "ok")])
def test_stretched_letters_collapse(typed, expected):
    assert plain(typed) == expected


def test_form_names_stay_and_numbers_split_from_words():
    assert plain("mẫu CT07") == "mau ct07"
    assert plain("60ngay") == "60 ngay"


def test_y_after_a_vowel_is_not_an_i():
    assert plain("ngày") == "ngay"
    assert plain("quý") == "quy"


def test_english_inflections_meet_their_stem():
    assert plain("papers documents registered registering") == "paper document register register"
    assert plain("bus this status") == "bus this status"


def test_empty_and_symbol_only_input():
    assert normalize_vietnamese("").tokens == ()
    assert normalize_vietnamese("🙂🙂 ... ???").tokens == ()
    assert normalize_vietnamese(None).tokens == ()


def test_clauses_split_at_punctuation_and_where_the_question_opens():
    text = "Dạ chào ad, vợ em mới sinh bé. Cho em hỏi làm khai sinh ở đâu ạ"
    result = normalize_vietnamese(text)
    clauses = [result.tokens[a:b] for a, b in zip(result.clauses, result.clauses[1:] + (len(result.tokens),))]
    assert [" ".join(c) for c in clauses] == ["da chao admin", "vo em moi sinh be", "cho em hoi lam khai sinh o dau a"]
    assert normalize_vietnamese("cho e hoi ks o dau").clauses == (0,)
    assert normalize_vietnamese("nhà em ở xa cho em hỏi khai sinh").clauses == (0, 4)


def test_clauses_do_not_change_the_tokens():
    text = "nhập hk cho con, mất cccd!!! làm lại thế nào?"
    assert normalize_vietnamese(text).tokens == normalize_vietnamese(text.replace(",", " ").replace("!", " ")).tokens


def test_hong_is_not_khong_after_a_word_it_qualifies():
    """Southern "hông" means "không", but "sổ hồng" is the house certificate and "xe hỏng" a broken bike."""
    assert normalize_vietnamese("lam mat so hong roi").tokens[-2:] == ("hong", "roi")
    assert normalize_vietnamese("xe may hong").tokens[-1] == "hong"
    assert normalize_vietnamese("hong biet lam sao").tokens[0] == "khong"
    assert normalize_vietnamese("co duoc hong a").tokens[2] == "khong"
