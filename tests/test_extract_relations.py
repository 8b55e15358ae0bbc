"""Relations (kg.extract.relations): membership, support for initiatives, partnerships.

Sentences are invented.
"""
from __future__ import annotations

import pytest
from conftest import time_limit

from kg.model import Extraction


def _names(ex: Extraction) -> dict[str, str]:
    return {e.key: e.name for e in ex.entities}


def members(ex: Extraction) -> set[tuple[str, str]]:
    """(member name, organisation name) of every member fact."""
    n = _names(ex)
    return {(n[m], n[o]) for f in ex.facts if f.kind == "member"
            for m in f.role("member") for o in f.role("org")}


def supports(ex: Extraction) -> set[tuple[str, str]]:
    """(supporter name, initiative name) of every supports fact."""
    n = _names(ex)
    return {(n[w], n[x]) for f in ex.facts if f.kind == "supports"
            for w in f.role("who") for x in f.role("what")}


def partnerships(ex: Extraction) -> set[tuple[frozenset[str], str | None]]:
    """(the two partner names, level) of every partnership fact."""
    n = _names(ex)
    return {(frozenset(n[k] for k in f.role("partner")), f.value("level"))
            for f in ex.facts if f.kind == "partnership"}


def entity_type(ex: Extraction, name: str) -> str | None:
    return next((e.type for e in ex.entities if e.name == name), None)


def xfail(reason: str) -> pytest.MarkDecorator:
    return pytest.mark.xfail(strict=False, reason=reason)


NATO = "North Atlantic Treaty Organization"
BRICS = "BRICS"


@pytest.mark.parametrize(("text", "expected"), [
    pytest.param("Finland joined NATO in April 2023.", {("Finland", NATO)}, id="joined-acronym"),
    pytest.param("Indonesia became a full member of BRICS in January.",
                 {("Indonesia", BRICS)}, id="became-a-full-member"),
    pytest.param("Egypt, Ethiopia and Iran are members of BRICS.",
                 {("Egypt", BRICS), ("Ethiopia", BRICS), ("Iran", BRICS)},
                 id="list-are-members-of"),
    pytest.param("The Andean Community (CAN) adopted a new tariff. Bolivia and Ecuador are CAN "
                 "members.",
                 {("Bolivia", "Andean Community"), ("Ecuador", "Andean Community")},
                 id="members-via-defined-acronym"),
    pytest.param("Sweden became a member of the North Atlantic Treaty Organization in March "
                 "2024.", {("Sweden", NATO)}, id="became-a-member-of-long-name"),
    pytest.param("BRICS admitted Indonesia as its tenth member.", {("Indonesia", BRICS)},
                 id="admitted-as-its-member"),
    pytest.param("NATO welcomed Sweden as its newest member on Thursday.", {("Sweden", NATO)},
                 id="welcomed-as-its-member"),
])
def test_membership(extract_text, text, expected):
    ex = extract_text(text)
    assert members(ex) == expected
    assert {entity_type(ex, org) for _, org in expected} == {"Organization"}


@pytest.mark.parametrize(("text", "expected"), [
    pytest.param("Finland, a new member of NATO.", {("Finland", NATO)}, id="apposition"),
    pytest.param("Indonesia, BRICS member since January.", {("Indonesia", BRICS)},
                 id="compound"),
    pytest.param("Kenya, a member of the African Union.", {("Kenya", "African Union")},
                 id="the-org"),
])
def test_membership_in_a_verbless_headline(extract_text, text, expected):
    with time_limit(2):
        ex = extract_text(text)
    assert members(ex) == expected


@pytest.mark.parametrize("text", [
    pytest.param("Timor-Leste is set to become a member of ASEAN.", id="set-to-become"),
    pytest.param("The European Union and the African Union held a summit in Brussels.",
                 id="no-member-cue"),
    pytest.param("Ukraine is not a member of NATO.", id="negated"),
])
def test_no_membership(extract_text, text):
    assert members(extract_text(text)) == set()


@pytest.mark.parametrize(("text", "expected"), [
    pytest.param("Nicaragua reaffirmed its support for the One China policy.",
                 ("Nicaragua", "One China policy"), id="reaffirmed-its-support-for"),
    pytest.param("Kazakhstan supports the Belt and Road Initiative.",
                 ("Kazakhstan", "Belt and Road Initiative"), id="supports"),
    pytest.param("Cambodian Prime Minister Hun Manet said Cambodia firmly supports the Global "
                 "Development Initiative.",
                 ("Cambodia", "Global Development Initiative"), id="said-country-supports"),
])
def test_support_for_an_initiative(extract_text, text, expected):
    ex = extract_text(text)
    assert expected in supports(ex)
    assert entity_type(ex, expected[1]) == "Initiative"


def test_support_for_a_hyphenated_principle(extract_text):
    ex = extract_text("Burkina Faso reaffirmed its firm adherence to the one-China principle.")
    found = {(who, what.lower().replace("-", " ")) for who, what in supports(ex)}
    assert found & {("Burkina Faso", "one china principle"), ("Burkina Faso", "one china policy")}


@pytest.mark.parametrize(("text", "expected"), [
    pytest.param("China and Kazakhstan elevated relations to a comprehensive strategic "
                 "partnership.",
                 (frozenset({"China", "Kazakhstan"}), "comprehensive strategic partnership"),
                 id="elevated-relations-to"),
    pytest.param("Vietnam and Australia upgraded their ties to a comprehensive strategic "
                 "partnership during the visit.",
                 (frozenset({"Vietnam", "Australia"}), "comprehensive strategic partnership"),
                 id="upgraded-ties-to"),
    pytest.param("The India-France strategic partnership has grown over 25 years.",
                 (frozenset({"India", "France"}), "strategic partnership"),
                 id="hyphenated-country-names"),
    pytest.param("The leaders praised the Kazakh-Uzbek strategic partnership.",
                 (frozenset({"Kazakhstan", "Uzbekistan"}), "strategic partnership"),
                 id="hyphenated-demonyms"),
    pytest.param("Leaders discussed the Indonesia–Japan comprehensive strategic partnership.",
                 (frozenset({"Indonesia", "Japan"}), "comprehensive strategic partnership"),
                 id="en-dash"),
    pytest.param("Besides being a close neighbour, Kenya is a strategic partner for Ethiopia, "
                 "he added.", (frozenset({"Kenya", "Ethiopia"}), "strategic partnership"),
                 id="a-strategic-partner-for"),
    pytest.param("Chile and Peru are comprehensive strategic partners.",
                 (frozenset({"Chile", "Peru"}), "comprehensive strategic partnership"),
                 id="strategic-partners"),
])
def test_partnership_level(extract_text, text, expected):
    ex = extract_text(text)
    assert partnerships(ex) == {expected}
    assert {entity_type(ex, c) for c in expected[0]} == {"Country"}


def test_no_partnership_without_a_level(extract_text):
    ex = extract_text("Serbia and China agreed to build a community with a shared future.")
    assert partnerships(ex) == set()


def test_a_persons_membership_is_not_a_countrys(extract_text):
    ex = extract_text("Cai Qi, a member of the Standing Committee of the Political Bureau, met "
                      "a delegation of the Workers' Party of Brazil.")
    assert members(ex) == set()
