"""English questions from foreigners living in Viet Nam find the catalogue's procedures (issue 13).

The catalogue is Vietnamese; `knowledge/data/catalogue_terms/english.yaml` turns the English
phrases of a message into the catalogue's official words. The questions below were written for
this test (never taken from an eval or residents' set); each lists every code that answers it.
The whole portal snapshot is searched when `../shared` is on this machine, as a resident's
message is; otherwise the tests are skipped (the tests' own small snapshot has too few
procedures for a ranking to mean anything).
"""
from __future__ import annotations



from full_catalogue import find, full_index, needs_snapshot
from knowledge.catalogue_index import CatalogueIndex, Procedure
from knowledge.catalogue_terms import is_english, load_lexicon
from knowledge.catalogue_tier import resolve
from knowledge.cli import ensure_knowledge_base
from knowledge.normalize import normalize_vietnamese
from knowledge.store import knowledge_base

needs_portal = needs_snapshot

QUESTIONS = [
    ("How do I get a temporary residence card? I'm married to a Vietnamese", {"1.003460", "1.003358", "3.000249"}),
    ("Can I convert my Australian driving licence?", {"3.000351"}),
    ("where do I register my new motorbike", {"1.012575", "1.013066"}),
    ("I need a work permit", {"1.014199", "2.000907"}),
    ("how to apply for Vietnamese citizenship", {"2.002039", "2.002797"}),
    ("my child needs a health insurance card", {"1.014137", "2.000639", "1.003116", "1.001939", "2.001023", "2.000986"}),
    ("Where can I get a criminal record certificate to send to my embassy?", {"3.000333", "3.000330"}),
    ("Our baby was born at the district hospital, how do we register the birth? My husband is Vietnamese",
     {"1.001193", "2.000528", "1.000893", "1.000110"}),
    ("I'm British and want to marry my Vietnamese girlfriend, where do we register the marriage?",
     {"2.000806", "1.000894", "1.000094"}),
    ("Which office can certify copies of my passport and degree?", {"2.000815", "1.001606"}),
    ("I am travelling to Thailand by car, where can I apply for an international driving permit?", {"3.000353"}),
    ("I started freelancing and need to register for a personal tax number", {"1.008498"}),
    ("My employer deducted too much income tax last year, how can I get a tax refund?", {"2.002233", "1.008562"}),
    ("I cannot afford a lawyer for my court case, is there free legal aid?", {"2.000829"}),
    ("I want to open a small grocery store, how do I register a household business?", {"1.001612"}),
    ("Do I need a building permit to build a two storey house on my land?",
     {"1.013225", "1.013229", "1.013226", "1.013227", "1.013228"}),
    ("how do I transfer my son to another school in this district", {"2.002854"}),
    ("Where does a young man sign up for military service for the first time?", {"1.013133"}),
    ("My wife had our baby in May, how can she claim maternity benefit from social insurance?",
     {"2.000693", "1.014166", "1.014170", "1.014168"}),
    ("I am leaving Vietnam for good, can I withdraw my social insurance as a lump sum?", {"1.014173", "1.001613"}),
    ("My Vietnamese father in law died last night, where do we register his death?", {"1.000656", "1.001766"}),
    ("My home country asks for a certificate of single status before I can marry, where do I get it?",
     {"1.004873", "2.000689"}),
    ("I want my permanent residence card, I have lived here ten years with my wife", {"1.001010", "1.003290"}),
    ("I plan to open a restaurant, which food safety certificate do I need?", {"1.013855", "2.001827"}),
    ("How can we split our plot of land into two plots?", {"1.012784"}),
    ("My passport was stolen in the market, where do I report the loss?", {"1.010386", "2.000539", "1.010385"}),
    ("How does my Vietnamese wife apply for a passport?", {"1.001456", "1.001471"}),
    ("We want to adopt a child from the local orphanage, what is the procedure?", {"2.001263", "1.003976"}),
    ("Can my employer apply for a work permit exemption for me, I only stay one month?", {"1.014196"}),
    ("I need my diploma legalized by the consular office before I can use it here", {"1.001308"}),
    ("how do I register a poor household for support", {"1.011607", "1.011606"}),
    ("We bought a used motorbike, how do we transfer the ownership into my name?", {"1.013076"}),
]

OUT_OF_SCOPE = [
    "Will it rain tomorrow afternoon?",
    "Who won the football match between Vietnam and Thailand last night?",
    "Can you recommend a good restaurant for dinner near the market?",
    "Any tips for dating a Vietnamese girl?",
    "Tell me a funny joke",
    "Where can I exchange US dollars for dong at a good rate?",
    "What is the best coffee shop around here?",
    "How much is a taxi to the airport?",
]

# English questions a curated intent answers: the catalogue, unsure of its translation, leaves them be
CURATED = [
    ("Where do I register temporary residence after moving here for a factory job?", "tam-tru"),
    ("How do I register the birth of our newborn daughter?", "khai-sinh"),
    ("I need a copy of my marriage extract from the commune register", "trich-luc-ho-tich"),
    ("How do I register permanent residence at my parents' house?", "thuong-tru"),
]


_index = full_index


def test_english_is_told_from_vietnamese_written_without_diacritics():
    lexicon = load_lexicon()
    for text, _ in QUESTIONS:
        assert is_english(normalize_vietnamese(text), lexicon), text
    for text in ("cho em hoi lam the bao hiem y te cho con o dau", "mở shop bán hàng online có cần đăng ký không",
                 "thủ tục xin visa cho chồng người nước ngoài", "the tam tru cho nguoi nuoc ngoai lam o dau",
                 "đăng ký tạm trú cho khách thuê trọ", "xin giay phep lao dong cho nguoi han quoc"):
        assert not is_english(normalize_vietnamese(text), lexicon), text


def test_english_words_add_the_catalogue_official_words_and_function_words_weigh_nothing():
    index = _fake_index()
    feats = index.query_features("Can I renew the work permit in my province?")
    assert {"giay_phep", "lao_dong", "gia_han"} <= set(feats)
    assert not {"the", "in", "can", "mi"} & set(feats)  # "the" is no "thẻ", "in" no "in ấn", "can" no "cần"
    # the longest phrase wins: the card is meant, not a temporary stay; and a card is not extended
    assert {"the_tam", "tam_tru"} <= set(index.query_features("how do I renew my temporary residence card"))
    assert "gia_han" not in index.query_features("how do I renew my temporary residence card")
    assert "the_tam" not in index.query_features("do I need to register my temporary residence")
    assert index.query_features("Will it rain tomorrow?") == []
    # Vietnamese without diacritics keeps its own words: "the" is "thẻ" there
    assert {"the_tam", "tam_tru"} <= set(index.query_features("lam the tam tru o dau"))


def _fake_index() -> CatalogueIndex:
    return CatalogueIndex([Procedure("1.003460", "Cấp thẻ tạm trú cho người nước ngoài tại Việt Nam", "x"),
                           Procedure("1.014201", "Gia hạn giấy phép lao động đối với người lao động nước ngoài", "y")])


@needs_portal
def test_english_questions_find_their_procedure_among_the_first_three():
    result = find(QUESTIONS)
    assert result.found >= 0.8, result.missed


@needs_portal
def test_english_out_of_scope_messages_get_no_procedure():
    index = _index()
    answered = [(text, index.match(text)) for text in OUT_OF_SCOPE]
    assert [(text, m.decision, m.hits[:1]) for text, m in answered if m.decision != "none"] == []


@needs_portal
def test_an_unsure_catalogue_leaves_the_curated_answer_to_an_english_question(app):
    with app.app_context():
        ensure_knowledge_base()
        snapshot = knowledge_base().snapshot()
        for text, intent in CURATED:
            answered = resolve(snapshot, _index(), text)
            assert (answered.match.intent, answered.contested) == (intent, None), text
