"""Meetings (kg.extract.meetings): who met whom, where and when.

Sentences are invented. Relative dates are resolved against the publication
date: 2024-05-16 and 2024-11-20 are both Thursdays.
"""
from __future__ import annotations

import pytest

from kg.model import Extraction

THU_MAY = "2024-05-16"
THU_NOV = "2024-11-20"


def meetings(ex: Extraction) -> set[tuple[frozenset[str], str | None, str | None]]:
    """(participant names, place name, date) of every meeting; one per distinct meeting
    (a meeting stated in two sentences has two facts with the same roles)."""
    names = {e.key: e.name for e in ex.entities}
    out = set()
    for f in ex.facts:
        if f.kind != "meeting":
            continue
        place = next((names[k] for k in f.role("location")), None)
        out.add((frozenset(names[k] for k in f.role("participant")), place, f.value("date")))
    return out


def met(*names: str) -> frozenset[str]:
    return frozenset(names)


CASES = [
    pytest.param(
        "Turkish President Recep Tayyip Erdogan met Egyptian President Abdel Fattah al-Sisi "
        "in Ankara on Tuesday.", THU_MAY,
        (met("Recep Tayyip Erdogan", "Abdel Fattah al-Sisi"), "Ankara", "2024-05-14"),
        id="met-in-on-weekday"),
    pytest.param(
        "Vietnamese Prime Minister Pham Minh Chinh held talks with Singaporean Prime Minister "
        "Lawrence Wong in Hanoi on Wednesday.", THU_MAY,
        (met("Pham Minh Chinh", "Lawrence Wong"), "Hanoi", "2024-05-15"),
        id="held-talks-with"),
    pytest.param(
        "Argentine President Javier Milei and Spanish Prime Minister Pedro Sanchez met in "
        "Madrid yesterday.", THU_MAY,
        (met("Javier Milei", "Pedro Sanchez"), "Madrid", "2024-05-15"), id="x-and-y-met"),
    pytest.param(
        "Uzbek President Shavkat Mirziyoyev received Kazakh President Kassym-Jomart Tokayev "
        "in Tashkent on 3 May 2024.", THU_MAY,
        (met("Shavkat Mirziyoyev", "Kassym-Jomart Tokayev"), "Tashkent", "2024-05-03"),
        id="received-absolute-date"),
    pytest.param(
        "French President Emmanuel Macron held a phone conversation with his Brazilian "
        "counterpart Luiz Inacio Lula da Silva on Monday.", THU_MAY,
        (met("Emmanuel Macron", "Luiz Inacio Lula da Silva"), None, "2024-05-13"),
        id="phone-conversation-with-counterpart"),
    pytest.param(
        "Italian Prime Minister Giorgia Meloni spoke by phone with Ukrainian President "
        "Volodymyr Zelensky on Sunday.", THU_NOV,
        (met("Giorgia Meloni", "Volodymyr Zelensky"), None, "2024-11-17"),
        id="spoke-by-phone"),
    pytest.param(
        "Israeli President Isaac Herzog held a meeting with Cypriot President Nikos "
        "Christodoulides in Nicosia on 12 November.", THU_NOV,
        (met("Isaac Herzog", "Nikos Christodoulides"), "Nicosia", "2024-11-12"),
        id="held-a-meeting-day-month"),
    pytest.param(
        "Nepalese Prime Minister K.P. Sharma Oli received Bhutanese Prime Minister Tshering "
        "Tobgay in Kathmandu on 2024-11-18.", THU_NOV,
        (met("K.P. Sharma Oli", "Tshering Tobgay"), "Kathmandu", "2024-11-18"),
        id="received-iso-date"),
    pytest.param(
        "South African President Cyril Ramaphosa hosted Angolan President Joao Lourenco in "
        "Pretoria last month.", THU_MAY,
        (met("Cyril Ramaphosa", "Joao Lourenco"), "Pretoria", "2024-04"),
        id="hosted-last-month"),
    pytest.param(
        "Mr. Xi Jinping received Ms. Kaja Kallas in Beijing on Friday.", THU_MAY,
        (met("Xi Jinping", "Kaja Kallas"), "Beijing", "2024-05-10"), id="honorifics"),
    pytest.param(
        "Polish Foreign Minister Radoslaw Sikorski met Lithuanian Foreign Minister Gabrielius "
        "Landsbergis in Vilnius on March 14.", THU_MAY,
        (met("Radoslaw Sikorski", "Gabrielius Landsbergis"), "Vilnius", "2024-03-14"),
        id="met-in-vilnius"),
    pytest.param(
        "Mongolian President Ukhnaagiin Khurelsukh welcomed Kyrgyz President Sadyr Japarov in "
        "Ulaanbaatar yesterday.", THU_NOV,
        (met("Ukhnaagiin Khurelsukh", "Sadyr Japarov"), "Ulaanbaatar", "2024-11-19"),
        id="welcomed-in-ulaanbaatar"),
]


@pytest.mark.parametrize(("text", "published", "expected"), CASES)
def test_meeting_phrasings(extract_text, text, published, expected):
    assert expected in meetings(extract_text(text, published))


def test_surnames_in_a_later_sentence_are_the_same_meeting(extract_text):
    ex = extract_text("Colombian President Gustavo Petro held talks with Venezuelan President "
                      "Nicolas Maduro in Caracas on Tuesday. Petro and Maduro discussed border "
                      "security.", THU_NOV)
    assert meetings(ex) == {(met("Gustavo Petro", "Nicolas Maduro"), "Caracas", "2024-11-19")}
    evidence = {f.evidence for f in ex.facts if f.kind == "meeting"}
    assert any(e.startswith("Colombian President") for e in evidence)


def test_the_two_leaders_refers_to_the_meeting(extract_text):
    ex = extract_text("Malaysian Prime Minister Anwar Ibrahim received Thai Prime Minister "
                      "Srettha Thavisin on Friday. The two leaders discussed border trade.",
                      THU_MAY)
    assert meetings(ex) == {(met("Anwar Ibrahim", "Srettha Thavisin"), None, "2024-05-10")}


def test_relative_date_needs_a_publication_date(extract_text):
    ex = extract_text("Turkish President Recep Tayyip Erdogan met Egyptian President Abdel "
                      "Fattah al-Sisi in Ankara on Tuesday.")
    assert meetings(ex) == {(met("Recep Tayyip Erdogan", "Abdel Fattah al-Sisi"), "Ankara",
                             None)}


@pytest.mark.parametrize("text", [
    pytest.param("Canadian Prime Minister Justin Trudeau will meet Mexican President Andres "
                 "Manuel Lopez Obrador next week.", id="will-meet"),
    pytest.param("Saudi Foreign Minister Faisal bin Farhan is expected to visit Tehran, where he "
                 "will meet Iranian Foreign Minister Hossein Amir-Abdollahian.",
                 id="expected-to-visit"),
    pytest.param("Nigerian President Bola Tinubu is expected to visit Accra, where he will hold "
                 "talks with Ghanaian President John Mahama.", id="expected-to-visit-and-talk"),
    pytest.param("Nigerian President Bola Tinubu invited Ghanaian President John Mahama to visit "
                 "Abuja next year.", id="invited-to-visit"),
    pytest.param("Pakistani Prime Minister Shehbaz Sharif plans to meet Afghan officials in "
                 "Kabul.", id="plans-to-meet"),
    pytest.param("Estonian Prime Minister Kristen Michal visited Kyiv on Tuesday.",
                 id="visit-to-a-city"),
    pytest.param("Dutch Prime Minister Dick Schoof visited Kyiv for the first time.",
                 id="visit-to-kyiv"),
])
def test_no_meeting_for_plans_or_visits_to_places(extract_text, text):
    assert meetings(extract_text(text, THU_NOV)) == set()


def test_meeting_on_the_sidelines_of_a_summit(extract_text):
    ex = extract_text("Brazilian President Luiz Inacio Lula da Silva and Chinese President Xi "
                      "Jinping met on the sidelines of the G20 summit in Rio de Janeiro on "
                      "Monday.", THU_NOV)
    assert meetings(ex) == {(met("Luiz Inacio Lula da Silva", "Xi Jinping"), "Rio de Janeiro",
                             "2024-11-18")}
    names = {e.key: e.name for e in ex.entities}
    events = {names[k] for f in ex.facts if f.kind == "meeting" for k in f.role("event")}
    assert events == {"G20 summit"}


def test_participant_keys_are_persons(extract_text):
    ex = extract_text("Japan's Prime Minister Shigeru Ishiba met South Korean President Yoon "
                      "Suk Yeol in Lima on Saturday.", THU_NOV)
    types = {e.key: e.type for e in ex.entities}
    facts = [f for f in ex.facts if f.kind == "meeting"]
    assert facts
    assert all(types[k] == "Person" for f in facts for k in f.role("participant"))
    assert all(types[k] in {"Place", "Country"} for f in facts for k in f.role("location"))


# ------------------------------------------------------------ credentials

CEREMONY = (
    "The Ambassador of Chile, the Ambassador of Norway and the High Commissioner of Kenya "
    "presented their credentials to President Hakainde Hichilema at State House in Lusaka on "
    "Tuesday.\n\nThe envoys who presented their credentials today were:\n\n"
    "Mr. Pablo Ortega Ruiz\n\nAmbassador-designate of the Republic of Chile\n\n"
    "Mr. Lars Henrik Dahl\n\nAmbassador-designate of the Kingdom of Norway\n\n"
    "Ms. Wanjiru Kamau\n\nHigh Commissioner-designate of the Republic of Kenya\n"
)


def test_credentials_ceremony_with_envoys_listed_later(extract_text):
    found = meetings(extract_text(CEREMONY, THU_MAY))
    host = "Hakainde Hichilema"
    assert found == {(met(host, guest), "State House", "2024-05-14")
                     for guest in ("Pablo Ortega Ruiz", "Lars Henrik Dahl", "Wanjiru Kamau")}


@pytest.mark.parametrize(("text", "expected"), [
    pytest.param(
        "Ambassador Ingrid Solberg presented her credentials to King Harald in Oslo on "
        "Tuesday.", (met("Ingrid Solberg", "Harald"), "Oslo", "2024-05-14"),
        id="named-envoy-presents"),
    pytest.param(
        "Ambassador Ingrid Solberg, resident in Stockholm, presented her credentials to King "
        "Harald at the Royal Palace in Oslo on Tuesday.",
        (met("Ingrid Solberg", "Harald"), "Royal Palace", "2024-05-14"),
        id="place-of-the-verb-not-of-the-apposition"),
    pytest.param(
        "President Nangolo Mbumba received the credentials of the new Ambassador of Brazil, "
        "Carlos Mendes, in Windhoek on Tuesday.",
        (met("Nangolo Mbumba", "Carlos Mendes"), "Windhoek", "2024-05-14"),
        id="head-of-state-receives-credentials"),
    pytest.param(
        "Ghanaian President John Mahama accepted the letters of credence of Ambassador Yuki "
        "Tanaka in Accra on Tuesday.", (met("John Mahama", "Yuki Tanaka"), "Accra", "2024-05-14"),
        id="letters-of-credence"),
])
def test_credentials_presented(extract_text, text, expected):
    assert expected in meetings(extract_text(text, THU_MAY))


def test_credentials_to_be_presented_are_no_meeting(extract_text):
    text = "Ambassador Ingrid Solberg will present her credentials to King Harald next week."
    assert meetings(extract_text(text, THU_MAY)) == set()


@pytest.mark.parametrize(("text", "expected"), [
    pytest.param(
        "Kenyan President William Ruto opened a business forum on Monday.\n\"We are grateful "
        "for the support,\" Ruto said in a joint press statement with Tanzanian President Samia "
        "Suluhu at State House, Nairobi, the same day.",
        (met("William Ruto", "Samia Suluhu"), "State House", "2024-05-13"),
        id="said-in-a-joint-press-statement-with"),
    pytest.param(
        "Speaking at a joint news conference with Chilean President Gabriel Boric in Santiago "
        "on Tuesday, Lula said trade had doubled.",
        (met("Gabriel Boric", "Lula"), "Santiago", "2024-05-14"),
        id="speaking-at-a-joint-news-conference-with"),
])
def test_joint_press_appearance_is_a_meeting(extract_text, text, expected):
    assert expected in meetings(extract_text(text, THU_MAY))


def test_a_joint_statement_alone_is_no_meeting(extract_text):
    text = ("Kenyan President William Ruto and Tanzanian President Samia Suluhu issued a joint "
            "statement on Monday.")
    assert meetings(extract_text(text, THU_MAY)) == set()


def test_dateline_day_before_month(extract_text):
    text = ("Tashkent, 12 March 2025 – President of the Republic of Uzbekistan Shavkat "
            "Mirziyoyev had a telephone conversation with President of the French Republic "
            "Emmanuel Macron.")
    assert meetings(extract_text(text, "2025-03-13")) == {
        (met("Shavkat Mirziyoyev", "Emmanuel Macron"), None, "2025-03-12")}


WIRE = (
    "BEIJING, Nov. 14 (Xinhua) -- Chinese President Xi Jinping spoke by phone with Brazilian "
    "President Luiz Inacio Lula da Silva on Wednesday.\n\n"
    "Wang Yi also met with Brazilian Foreign Minister Mauro Vieira in Beijing on Tuesday.\n\n"
    "Separately, Cai Qi met a delegation of the Workers' Party of Brazil led by its president "
    "Gleisi Hoffmann."
)


def test_dates_stay_in_their_paragraph_and_the_lead_is_the_main_verbs(extract_text):
    found = meetings(extract_text(WIRE, "2024-11-14"))
    assert (met("Xi Jinping", "Luiz Inacio Lula da Silva"), None, "2024-11-13") in found
    assert (met("Wang Yi", "Mauro Vieira"), "Beijing", "2024-11-12") in found
    # no date of its own and none in its paragraph: the article's news peg, not Tuesday
    assert (met("Cai Qi", "Gleisi Hoffmann"), None, "2024-11-13") in found


def test_date_of_a_meeting_noun_held_on_a_day(extract_text):
    text = ("Trade took center stage in discussions held in Dakar on Friday between Amadou Ba, "
            "the speaker of the National Assembly, and Aissata Tall, the president of the "
            "Senate.")
    found = meetings(extract_text(text, THU_MAY))
    assert found == {(met("Amadou Ba", "Aissata Tall"), "Dakar", "2024-05-10")}


@pytest.mark.parametrize(("text", "expected"), [
    pytest.param(
        "Kenyan Foreign Minister Musalia Mudavadi called on Ethiopian Prime Minister Abiy Ahmed "
        "in Addis Ababa on Tuesday.",
        {(met("Musalia Mudavadi", "Abiy Ahmed"), "Addis Ababa", "2024-05-14")},
        id="called-on"),
    pytest.param(
        "EU foreign policy chief Kaja Kallas held separate meetings with Egyptian Foreign "
        "Minister Badr Abdelatty and Jordanian Foreign Minister Ayman Safadi on Tuesday.",
        {(met("Kaja Kallas", "Badr Abdelatty"), None, "2024-05-14"),
         (met("Kaja Kallas", "Ayman Safadi"), None, "2024-05-14")},
        id="separate-meetings"),
    pytest.param(
        "Kenyan President William Ruto called on Ethiopian Prime Minister Abiy Ahmed to "
        "release the detainees.", set(), id="called-on-to-act-is-an-appeal"),
])
def test_call_on_and_separate_meetings(extract_text, text, expected):
    assert meetings(extract_text(text, THU_MAY)) == expected


@pytest.mark.parametrize("text", [
    "Ghanaian President John Mahama did not meet Nigerian President Bola Tinubu during the "
    "summit.",
    "Kenyan President William Ruto declined to meet Ugandan President Yoweri Museveni.",
    "Ghanaian President John Mahama never met Nigerian President Bola Tinubu.",
])
def test_no_meeting_when_negated(extract_text, text):
    assert meetings(extract_text(text, THU_MAY)) == set()
