"""English questions of foreigners living in a commune, and of their Vietnamese families, find the
procedure they need among its siblings (issue 13): visas, residence cards, work permits, licences,
civil status with a foreign element, papers, tax, business, housing, insurance, schools.

Written for this test (never taken from an eval or residents' set), worded apart from
test_catalogue_english.py; each lists every code that answers it. The whole portal snapshot is
searched, as a resident's message is; skipped where the snapshot is not on the machine.
"""
from __future__ import annotations

from full_catalogue import find, full_index, needs_snapshot

QUESTIONS = [
    ("My mother wants to visit from Canada, can she apply online for an e-visa?", {"1.002757", "1.002756"}),
    ("My tourist visa runs out next week, how do I extend my visa without leaving the country?",
     {"1.001146", "1.003326", "1.002755", "1.000039"}),
    ("My wife is Vietnamese, can I get a five year visa exemption certificate?", {"1.003144", "1.000841"}),
    ("I lost my visa exemption certificate, how do I get it reissued?", {"1.000807"}),
    ("We run a homestay, how do we declare the temporary residence of our foreign guests online?",
     {"1.001437", "1.000253"}),
    ("I rent out an apartment to a Korean engineer, do I have to report his stay to the police?",
     {"1.001437", "1.000253"}),
    ("I am a foreign teacher with a two year contract, how do I apply for a TRC?",
     {"1.003460", "1.003358", "3.000249"}),
    ("My permanent residence card was damaged in the flood, how do I get it reissued?", {"2.000460"}),
    ("My permanent resident card is full, how do I exchange it for a new one?", {"2.000473", "2.000460"}),
    ("My work permit expires in March, how can my company extend it?", {"1.014201"}),
    ("I lost my work permit, how do I get a replacement?", {"1.014200"}),
    ("Can my work permit exemption certificate be extended for another two years?", {"1.014198"}),
    ("I have an American driver's license, can I exchange it for a Vietnamese one?", {"3.000351"}),
    ("I want to drive in Laos next month, do you issue an IDP from my Vietnamese licence?", {"3.000353"}),
    ("We got married in Australia, how do we record our marriage in the Vietnamese civil register?",
     {"2.002189", "1.000736"}),
    ("My divorce was granted by a court in Germany, how do I record the divorce in Vietnam?",
     {"2.000554", "2.000698"}),
    ("Our son was born here, I am French and my wife is Vietnamese, how do we get a birth certificate?",
     {"2.000528", "1.000893", "1.000110"}),
    ("I am a foreigner and want to adopt my Vietnamese wife's daughter, how does the adoption work?",
     {"1.004878", "1.003976", "2.001263"}),
    ("My wife wants to renounce her Vietnamese citizenship to become Korean", {"2.002036", "1.005141", "1.001730"}),
    ("I have lived here for eight years, can I apply for naturalisation?", {"2.002039"}),
    ("I need an apostille or consular legalization of my Vietnamese documents for use abroad",
     {"1.001308", "2.000406"}),
    ("As a foreigner residing here, how do I get a police clearance certificate for my new job in Dubai?",
     {"3.000333", "3.000330"}),
    ("I am Korean and want to buy a stake in my friend's Vietnamese company", {"1.009729"}),
    ("I work as a freelance English teacher, how do I get a personal tax code?", {"1.008498"}),
    ("The ownership term of my apartment ends soon, how can a foreigner extend the ownership?", {"1.012890"}),
    ("How can my foreign husband get a health insurance card?", {"1.014137", "2.000639", "1.003116"}),
    ("We just moved here from Singapore, how do I enrol my foreign child in the local primary school?",
     {"2.002856"}),
    ("My daughter studied in Australia for two years, how can she come back to a Vietnamese school?",
     {"2.002855"}),
]

OUT_OF_SCOPE = [
    "Where can I buy a sim card for my phone?",
    "Which bank is best for a foreigner to open an account?",
    "Is the tap water safe to drink here?",
    "Can you recommend a good dentist who speaks English?",
    "What time does the night market open?",
    "Where can I rent a motorbike for a week?",
]


@needs_snapshot
def test_foreigners_english_questions_find_their_procedure_among_the_first_three():
    result = find(QUESTIONS)
    assert result.found >= 0.95, result.missed


@needs_snapshot
def test_foreigners_everyday_english_gets_no_procedure():
    index = full_index()
    answered = [(text, index.match(text)) for text in OUT_OF_SCOPE]
    assert [(text, m.decision, m.hits[:1]) for text, m in answered if m.decision != "none"] == []
