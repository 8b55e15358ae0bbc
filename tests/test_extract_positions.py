"""Positions (kg.extract.people): who holds which post in which country or body.

Every sentence here is invented for these tests. Each phrasing news uses for a
post is a case of its own; the ones the extractor still gets wrong are marked
xfail with what goes wrong, so they turn green (XPASS) when it learns them.
"""
from __future__ import annotations

import pytest

from kg.model import Extraction


def positions(ex: Extraction) -> set[tuple[str, str, str]]:
    """(person name, body name, title) for every title of every position fact.

    A fact whose title is "Minister for Foreign Affairs | Foreign Minister" gives
    one triple per form, so a test can name either.
    """
    names = {e.key: e.name for e in ex.entities}
    out = set()
    for f in ex.facts:
        if f.kind != "position":
            continue
        for person in f.role("person"):
            for body in f.role("org"):
                for title in (f.value("title") or "").split(" | "):
                    out.add((names[person], names[body], title))
    return out


def posts(ex: Extraction) -> set[tuple[str, str]]:
    """(person name, body name) of every position fact, titles ignored."""
    return {(p, b) for p, b, _ in positions(ex)}


def entity_type(ex: Extraction, name: str) -> str | None:
    return next((e.type for e in ex.entities if e.name == name), None)


def xfail(reason: str) -> pytest.MarkDecorator:
    return pytest.mark.xfail(strict=False, reason=reason)


CASES = [
    pytest.param(
        "Russian Foreign Minister Sergey Lavrov arrived in Cairo on Monday for two days "
        "of talks.",
        ("Sergey Lavrov", "Russia", "Foreign Minister"), id="demonym-title-name"),
    pytest.param(
        "Sergey Lavrov, Foreign Minister of Russia, told reporters the talks had been useful.",
        ("Sergey Lavrov", "Russia", "Foreign Minister"), id="name-apposition-title-of-country"),
    pytest.param(
        "The President of Kenya, William Ruto, opened the regional trade fair in Nairobi.",
        ("William Ruto", "Kenya", "President"), id="title-of-country-apposition-name"),
    pytest.param(
        "Kenya's President William Ruto told the parliament that exports had doubled.",
        ("William Ruto", "Kenya", "President"), id="possessive-country"),
    pytest.param(
        "Prime Minister Narendra Modi of India arrived in Colombo for a state visit.",
        ("Narendra Modi", "India", "Prime Minister"), id="title-name-of-country"),
    pytest.param(
        "German Chancellor Olaf Scholz arrived in Warsaw for consultations.",
        ("Olaf Scholz", "Germany", "Chancellor"), id="chancellor"),
    pytest.param(
        "The Minister of Foreign Affairs of Armenia, Ararat Mirzoyan, said the border talks "
        "would continue.",
        ("Ararat Mirzoyan", "Armenia", "Minister of Foreign Affairs"), id="long-title-of-country"),
    pytest.param(
        "Nigerian Vice President Kashim Shettima arrived in Dakar for the inauguration.",
        ("Kashim Shettima", "Nigeria", "Vice President"), id="vice-president"),
    pytest.param(
        "Foreign Minister Penny Wong of Australia visited Suva on Thursday.",
        ("Penny Wong", "Australia", "Foreign Minister"), id="foreign-minister-of-country"),
    pytest.param(
        "King Abdullah II of Jordan received a delegation of Gulf investors in Amman.",
        ("Abdullah II", "Jordan", "King"), id="king-regnal-number-of-country"),
    pytest.param(
        "Qatar's Emir Sheikh Tamim bin Hamad Al Thani welcomed the mediators to Doha.",
        ("Tamim bin Hamad Al Thani", "Qatar", "Emir"), id="emir-honorific-name"),
    pytest.param(
        "H.E. Dr. Vivian Balakrishnan, Minister for Foreign Affairs of Singapore, spoke at the "
        "opening of the forum.",
        ("Vivian Balakrishnan", "Singapore", "Minister for Foreign Affairs"),
        id="honorifics-then-apposition"),
    pytest.param(
        "Olaf Scholz, the German Chancellor, arrived in Warsaw on a two-day visit.",
        ("Olaf Scholz", "Germany", "Chancellor"), id="name-apposition-the-demonym-title"),
    pytest.param(
        "UN Secretary-General Antonio Guterres called for an immediate ceasefire.",
        ("Antonio Guterres", "United Nations", "Secretary-General"), id="hyphenated-title"),
    pytest.param(
        "Ursula von der Leyen, President of the European Commission, arrived in Tunis.",
        ("Ursula von der Leyen", "European Commission", "President"), id="particle-surname"),
    pytest.param(
        "Jordanian King Abdullah II received Palestinian President Mahmoud Abbas in Amman.",
        ("Abdullah II", "Jordan", "King"), id="demonym-king-regnal-number"),
    pytest.param(
        "Vietnamese President To Lam arrived in Ulaanbaatar for a state visit.",
        ("To Lam", "Vietnam", "President"), id="name-starting-with-connector"),
    pytest.param(
        "Dutch Prime Minister Dick Schoof met Belgian Foreign Minister Hadja Lahbib and "
        "Frans van der Berg, Minister of Finance of Belgium, in Brussels.",
        ("Frans van der Berg", "Belgium", "Minister of Finance"), id="particle-surname-apposition"),
    pytest.param(
        "South African President Cyril Ramaphosa hosted Angolan President Joao Lourenco in "
        "Pretoria.",
        ("Joao Lourenco", "Angola", "President"), id="second-demonym-title-in-sentence"),
    pytest.param(
        "Kazakh President Kassym-Jomart Tokayev opened the investment forum in Astana.",
        ("Kassym-Jomart Tokayev", "Kazakhstan", "President"), id="demonym-first-word"),
    pytest.param(
        "Speaker of the National Assembly Tran Thanh Man received the visiting delegation.",
        ("Tran Thanh Man", "National Assembly", "Speaker"), id="speaker-of-body-name"),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_position_phrasings(extract_text, text, expected):
    assert expected in positions(extract_text(text))


def test_each_leader_keeps_own_post(extract_text):
    ex = extract_text("Indian Prime Minister Narendra Modi spoke to reporters after Chilean "
                      "President Gabriel Boric left the summit hall.")
    assert posts(ex) == {("Narendra Modi", "India"), ("Gabriel Boric", "Chile")}
    assert ("Narendra Modi", "India", "Prime Minister") in positions(ex)
    assert ("Gabriel Boric", "Chile", "President") in positions(ex)


@pytest.mark.parametrize(("text", "expected"), [
    pytest.param(
        "Ghanaian President John Mahama met his Nigerian counterpart Bola Tinubu in Abuja.",
        ("Bola Tinubu", "Nigeria", "President"), id="president-counterpart"),
    pytest.param(
        "Chinese Foreign Minister Wang Yi held talks with his Brazilian counterpart Mauro Vieira "
        "in Beijing.",
        ("Mauro Vieira", "Brazil", "Foreign Minister"), id="minister-counterpart"),
    pytest.param(
        "Japanese Prime Minister Fumio Kishida met his Australian counterpart Anthony Albanese "
        "in Tokyo.",
        ("Anthony Albanese", "Australia", "Prime Minister"), id="prime-minister-counterpart"),
    pytest.param(
        "The Minister of Foreign Affairs of Armenia, Ararat Mirzoyan, met his Georgian "
        "counterpart Ilia Darchiashvili.",
        ("Ilia Darchiashvili", "Georgia", "Minister of Foreign Affairs"),
        id="apposition-then-counterpart"),
])
def test_counterpart_takes_the_other_leaders_title(extract_text, text, expected):
    assert expected in positions(extract_text(text))


@pytest.mark.parametrize(("text", "expected"), [
    pytest.param("ASEAN Secretary-General Kao Kim Hourn visited Jakarta on Friday.",
                 ("Kao Kim Hourn", "Association of Southeast Asian Nations"), id="acronym"),
    pytest.param("Secretary-General of the Association of Southeast Asian Nations Kao Kim Hourn "
                 "visited Jakarta.",
                 ("Kao Kim Hourn", "Association of Southeast Asian Nations"), id="long-name"),
    pytest.param("NATO Secretary General Mark Rutte visited the Lithuanian brigade.",
                 ("Mark Rutte", "North Atlantic Treaty Organization"), id="nato"),
])
def test_post_in_an_organisation(extract_text, text, expected):
    ex = extract_text(text)
    assert expected in posts(ex)
    assert entity_type(ex, expected[1]) == "Organization"


def test_no_position_without_a_title(extract_text):
    ex = extract_text("Sergey Lavrov arrived in Cairo, where Badr Abdelatty greeted him.")
    assert positions(ex) == set()


def test_position_evidence_is_the_sentence(extract_text):
    text = ("The talks lasted four hours. Brazil's Foreign Minister Mauro Vieira said the "
            "proposal was premature.")
    ex = extract_text(text)
    facts = [f for f in ex.facts if f.kind == "position"]
    assert [f.evidence for f in facts] == [
        "Brazil's Foreign Minister Mauro Vieira said the proposal was premature."]


# ------------------------------------------------ lists paired with "respectively"

@pytest.mark.parametrize(("text", "expected"), [
    pytest.param(
        "Chad, Sudan and Libya, respectively under the rule of General Idriss Mahamat, "
        "Colonel Osman Bakri and Marshal Khalid Haftar, signed the pact in Tripoli.",
        {("Idriss Mahamat", "Chad", "General"), ("Osman Bakri", "Sudan", "Colonel"),
         ("Khalid Haftar", "Libya", "Marshal")}, id="countries-then-ranked-leaders"),
    pytest.param(
        "Olena Kovalenko and Tomasz Nowak, the foreign ministers of Ukraine and Poland "
        "respectively, met in Lviv on Monday.",
        {("Olena Kovalenko", "Ukraine", "Foreign Minister"),
         ("Tomasz Nowak", "Poland", "Foreign Minister")}, id="names-then-plural-post"),
    pytest.param(
        "Relations between Portugal and Brazil keep growing under their respective leaders, "
        "His Excellency President Rui Costa and Brazilian President Ana Pereira.",
        {("Rui Costa", "Portugal", "President"), ("Ana Pereira", "Brazil", "President")},
        id="respective-leaders"),
])
def test_respectively_pairs_people_with_countries(extract_text, text, expected):
    assert expected <= positions(extract_text(text))


def test_respectively_needs_lists_of_one_length(extract_text):
    ex = extract_text("Chad, Sudan and Libya, respectively represented by Idriss Mahamat and "
                      "Osman Bakri, attended the talks.")
    assert posts(ex) == set()


def test_plural_post_apposition_is_not_one_persons_post(extract_text):
    ex = extract_text("Olena Kovalenko and Tomasz Nowak, the foreign ministers of Ukraine and "
                      "Poland, met in Lviv.")
    assert ("Tomasz Nowak", "Ukraine") not in posts(ex)


@pytest.mark.parametrize(("text", "expected"), [
    pytest.param(
        "The defence ministers of the member states attended the session, among them Maria "
        "Silva, from Portugal; and Petr Novak, from Slovakia.",
        {("Maria Silva", "Portugal", "defence minister"),
         ("Petr Novak", "Slovakia", "defence minister")}, id="plural-post-then-from-country"),
    pytest.param(
        "The foreign ministers of Ghana, Togo and Benin met in Lome. Shirley Botchwey (Ghana) "
        "and Robert Dussey (Togo) signed the communique.",
        {("Shirley Botchwey", "Ghana", "foreign minister"),
         ("Robert Dussey", "Togo", "foreign minister")}, id="plural-post-of-countries"),
])
def test_plural_post_given_to_each_tied_person(extract_text, text, expected):
    found = {(p, b, t.lower()) for p, b, t in positions(extract_text(text))}
    assert expected <= found


# ------------------------------------------------------ names next to titles

@pytest.mark.parametrize(("text", "expected"), [
    pytest.param(
        "On the same day, the Emir appointed Sultan Al Hashimi as Muscat's new ambassador to "
        "Amman.", ("Sultan Al Hashimi", "Oman", "ambassador"), id="sultan-as-given-name"),
    pytest.param(
        "Secretary to the Ministry of External Affairs Chipo Mwale and Additional "
        "Secretary to the President Nelson Phiri attended.",
        ("Chipo Mwale", "Ministry of External Affairs", "Secretary"),
        id="secretary-to-a-body-then-name"),
    pytest.param(
        "Relations keep growing, said His Excellency President Rui Costa of Portugal.",
        ("Rui Costa", "Portugal", "President"), id="excellency-not-in-title"),
])
def test_names_after_titles(extract_text, text, expected):
    assert expected in positions(extract_text(text))


def test_title_that_is_not_a_given_name_is_dropped(extract_text):
    ex = extract_text("Sultan Haitham received the delegation in Muscat.")
    assert entity_type(ex, "Haitham") == "Person"
    assert entity_type(ex, "Sultan Haitham") is None


# ------------------------------------------- lists of titled names, nominal titles

VISIT = (
    "On 3 June 2024, the Minister of Foreign Affairs, Elina Valtonen, was in Sweden on a "
    "working visit. While in Stockholm, the Minister of Foreign Affairs met the Prime Minister "
    "of Sweden, Ulf Kristersson, the Speaker of the Riksdag, Andreas Norlen, and the Minister "
    "for Foreign Affairs, Tobias Billstrom.\nIn her meetings with the Swedish officials, the "
    "Finnish Foreign Minister underlined the value of cooperation."
)


def test_list_of_titled_names_shares_the_country(extract_text):
    found = posts(extract_text(VISIT))
    assert ("Tobias Billstrom", "Sweden") in found
    assert ("Andreas Norlen", "Riksdag") in found


def test_demonym_title_names_the_one_holder_of_that_title(extract_text):
    assert ("Elina Valtonen", "Finland") in posts(extract_text(VISIT))


def test_a_verb_between_breaks_the_list(extract_text):
    ex = extract_text("Kenyan President William Ruto received the Minister of Foreign Affairs, "
                      "Amina Haji, in Nairobi.")
    names = {e.key: e.name for e in ex.entities}
    sure = {names[f.role("person")[0]] for f in ex.facts
            if f.kind == "position" and f.confidence >= 0.8}
    assert sure == {"William Ruto"}  # hers is at most the article's home country, a guess


def test_coordinated_subjects_keep_their_own_countries(extract_text):
    ex = extract_text("Chilean President Gabriel Boric hosted President Javier Milei on "
                      "Monday. Later, Boric and Milei signed a Joint Declaration on Energy.")
    assert ("Javier Milei", "Chile") not in posts(ex)


def test_no_name_follows_of_the(extract_text):
    ex = extract_text("The Speaker of the Riksdag, Andreas Norlen, opened the session.")
    assert entity_type(ex, "Riksdag") == "Organization"
    assert ("Andreas Norlen", "Riksdag", "Speaker") in positions(ex)


@pytest.mark.parametrize(("text", "expected"), [
    pytest.param(
        "Yerevan, 4 April – Speaker of the National Assembly of Armenia Alen Simonyan received "
        "the delegation.", ("Alen Simonyan", "National Assembly of Armenia", "Speaker"),
        id="dateline-dash-before-title"),
    pytest.param(
        "Tashkent, 12 March 2025 – President of the Republic of Uzbekistan Shavkat Mirziyoyev "
        "spoke at the forum.", ("Shavkat Mirziyoyev", "Uzbekistan", "President"),
        id="dateline-with-year"),
    pytest.param(
        "Speaker Alen Simonyan received the newly appointed Ambassador of Japan to Armenia "
        "Masanori Fukushima.", ("Masanori Fukushima", "Japan", "Ambassador"),
        id="given-name-after-host-country"),
])
def test_title_phrase_edges(extract_text, text, expected):
    assert expected in positions(extract_text(text))


GULF = (
    "Abu Dhabi, 3 February 2025 (WAM) – His Highness Sheikh Mohamed bin Zayed Al Nahyan, "
    "President of the UAE, received Sultan Haitham bin Tarik of Oman at Qasr Al Watan.\n\n"
    "The meeting was attended by Sheikh Abdullah bin Zayed Al Nahyan, Deputy Prime Minister "
    "and Minister of Foreign Affairs, and Sayyid Badr bin Hamad Al Busaidi, Oman's Foreign "
    "Minister."
)


def test_possessive_country_apposition(extract_text):
    assert ("Badr bin Hamad Al Busaidi", "Oman", "Foreign Minister") in positions(
        extract_text(GULF))


def test_a_country_stated_later_in_a_list_does_not_carry_back(extract_text):
    assert ("Abdullah bin Zayed Al Nahyan", "Oman") not in posts(extract_text(GULF))


def test_someone_met_at_a_name_is_at_a_place(extract_text):
    ex = extract_text(GULF)
    assert entity_type(ex, "Qasr Al Watan") == "Place"


def test_a_title_qualifier_is_no_person(extract_text):
    ex = extract_text("Chile holds the Alliance's rotating presidency as President Pro Tempore.")
    assert entity_type(ex, "Pro Tempore") is None
    assert posts(ex) == set()


def test_speaker_receiving_a_delegation_led_by_a_speaker(extract_text):
    text = ("Chairman of the Mazhilis Yerlan Koshanov received a delegation of the Grand "
            "National Assembly of Türkiye led by Speaker Numan Kurtulmus in Astana on Tuesday.")
    found = positions(extract_text(text))
    assert ("Yerlan Koshanov", "Mazhilis", "Chairman of the Mazhilis") in found
    assert ("Numan Kurtulmus", "Grand National Assembly of Türkiye", "Speaker") in found


def test_a_delegation_of_a_country_led_by_someone(extract_text):
    text = ("President Ilham Aliyev received a delegation of Kenya led by Foreign Minister "
            "Musalia Mudavadi in Baku.")
    assert ("Musalia Mudavadi", "Kenya") in posts(extract_text(text))
