"""Tests of kg.matching and kg.names: the name comparisons resolution is built from."""
from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg import matching as mt
from kg.names import fold, is_acronym, one_edit_apart, own_tokens, translit


@pytest.mark.parametrize(("a", "b", "expected"), [
    ("jorge", "jourge", True), ("liu", "lu", True), ("sergei", "sergie", True),
    ("ilham", "ilham", False), ("heydar", "ilham", False), ("abc", "abcde", False),
])
def test_one_edit_apart(a, b, expected):
    assert one_edit_apart(a, b) is expected
    assert one_edit_apart(b, a) is expected


@given(st.text(alphabet="abcdefg", max_size=8), st.text(alphabet="abcdefg", max_size=8))
def test_one_edit_apart_is_symmetric(a, b):
    assert one_edit_apart(a, b) == one_edit_apart(b, a)


def test_transliteration_folds_a_few_regular_variants():
    assert translit("sergey") == translit("sergei")
    assert translit("dmitriy") == translit("dmitry") == "dmitri"
    assert translit("aleksandr") == translit("alexandr")


def test_a_turkic_patronymic_is_not_part_of_the_persons_own_name():
    assert own_tokens("Ilham Heydar oglu Aliyev") == ["ilham", "aliyev"]
    assert own_tokens("Heydar Aliyev") == ["heydar", "aliyev"]


def test_acronyms():
    assert is_acronym("SCO") and is_acronym("COP29") and is_acronym("U.S.")
    assert not is_acronym("Sco") and not is_acronym("Xi") and not is_acronym("New Party")


def test_fold_ignores_case_accents_punctuation_and_a_leading_the():
    assert fold("The Côte d’Ivoire") == "cote d ivoire"
    assert fold("Recep Tayyip ERDOĞAN") == "recep tayyip erdogan"


@pytest.mark.parametrize(("name", "scope"), [
    ("Kyrgyz Parliament", ("parliament", "KG")),
    ("Kyrgyzstan's Parliament", ("parliament", "KG")),
    ("National Assembly of the Islamic Republic of Mauritania", ("national assembly", "MR")),
    ("Central Committee of the Communist Party of China",
     ("central committee of the communist party", "CN")),
    ("African Union", None), ("Shanghai Cooperation Organisation", None),
])
def test_country_scoped_names(name, scope):
    assert mt.country_scoped(name) == scope


@pytest.mark.parametrize(("name", "typ"), [
    ("SCO Summit", "Event"), ("Conference of the Parties to the UNFCCC", "Event"),
    ("Memorandum of Understanding on Water", "Agreement"), ("Belt and Road", "Initiative"),
    ("Open Balkan initiative", "Initiative"), ("Bank of China", None),
])
def test_head_type(name, typ):
    assert mt.head_type(name) == typ


def test_compatible_persons_never_on_a_shared_family_name_alone():
    assert mt.compatible_persons("Ilham Aliyev", "Ilham Heydar oglu Aliyev")
    assert not mt.compatible_persons("Heydar Aliyev", "Ilham Heydar oglu Aliyev")
    assert not mt.compatible_persons("Hun Sen", "Hun Manet")
    assert mt.compatible_persons("Aliyev", "Heydar Aliyev")  # a partial name is no full name


def test_without_parties_and_acronym_expansion():
    assert mt.without_parties("Joint Declaration on Peace between Chad and Niger") == (
        "Joint Declaration on Peace")
    assert mt.without_parties("Agreement on Trade between the two countries") == (
        "Agreement on Trade")
    assert mt.without_parties("Treaty between Friends") is None
    assert mt.expand_acronyms("SCO Summit", {"SCO": "Shanghai Cooperation Organisation"}) == (
        "Shanghai Cooperation Organisation Summit")
    assert mt.expand_acronyms("SCO", {"SCO": "Shanghai Cooperation Organisation"}) is None


def test_text_patterns():
    text = "ties between the New Azerbaijan Party (YAP) and the CPC"
    assert mt.defined_acronyms(text, ["New Azerbaijan Party", "Azerbaijan Party"]) == [
        ("New Azerbaijan Party", "YAP")]
    assert mt.quoted_after("Pushpa Kamal Dahal, ‘Prachanda’, came", "Pushpa Kamal Dahal",
                           "Prachanda")
    assert not mt.quoted_after("Pushpa Kamal Dahal met Prachanda", "Pushpa Kamal Dahal",
                               "Prachanda")


@given(st.lists(st.sampled_from(["Ana Lee", "Lee", "Kim", ", ", " ", "‘", "’", "(", ")", '"',
                                 "'", "“", "”", "met", ",", "\n"]), max_size=12),
       st.sampled_from(["Ana Lee", "Lee"]), st.sampled_from(["Kim", "Lee"]))
def test_quoted_after_finds_what_the_pattern_finds(parts, full, nickname):
    """quoted_after agrees with the one-pattern definition: `full`, then an optional comma,
    an opening quote or bracket, `nickname`, a closing one (spaces allowed between)."""
    text = "".join(parts)
    rx = re.compile(re.escape(full) + r"\s*,?\s*[\"'‘“(]\s*" + re.escape(nickname)
                    + r"\s*[\"'’”)]")
    assert mt.quoted_after(text, full, nickname) == bool(rx.search(text))
