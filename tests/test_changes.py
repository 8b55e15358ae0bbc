"""Tests of kg.changes: the change log between two builds."""
from __future__ import annotations

from kg.changes import diff, snapshot, summary_line
from kg.model import Article, Entity, Extraction, Fact
from kg.resolve import resolve


def ex(aid: str, *entities: Entity, facts: tuple[Fact, ...] = ()) -> Extraction:
    return Extraction(Article(aid, f"text {aid}", f"{aid}.txt"), entities, facts)


def met(*keys: str, date: str = "2024-07-03") -> Fact:
    return Fact("meeting", (("participant", keys),), (("date", date),), "They met.", 0.8)


def person(key: str, name: str) -> Entity:
    return Entity(key, "Person", name)


A = ex("a", person("x", "Xi Jinping"), person("i", "Ilham Aliyev"), facts=(met("x", "i"),))
B = ex("b", person("x", "Xi"), person("i", "Ilham Aliyev"), facts=(met("x", "i"),))
C = ex("c", person("p", "Vladimir Putin"), person("i", "Ilham Aliyev"), facts=(met("p", "i"),))


def snap(*exs: Extraction) -> dict:
    return snapshot(exs, resolve(exs))


def test_first_build_lists_every_fact_as_added():
    changes = diff(None, snap(A))
    assert changes["first_build"]
    assert changes["counts"]["facts_added"] == 1 and changes["counts"]["articles_added"] == 1
    assert changes["facts_added"] == [
        "meeting (participant: Ilham Aliyev, Xi Jinping; date: 2024-07-03)"]
    assert summary_line(changes).startswith("first build: 1 facts")


def test_same_build_changes_nothing():
    changes = diff(snap(A, C), snap(C, A))
    assert set(changes["counts"].values()) == {0}
    assert not changes["first_build"]


def test_an_added_article_adds_its_facts_and_a_removed_one_loses_what_only_it_said():
    grown = diff(snap(A), snap(A, C))
    assert grown["counts"]["facts_added"] == 1 and grown["articles_added"] == ["c"]
    assert "Vladimir Putin" in grown["facts_added"][0]
    shrunk = diff(snap(A, C), snap(A))
    assert shrunk["facts_lost"] == [
        "meeting (participant: Ilham Aliyev, Vladimir Putin; date: 2024-07-03)"]
    assert shrunk["articles_removed"] == ["c"]


def test_a_fact_still_supported_by_another_article_is_not_lost():
    # B says the same meeting with "Xi": one fact, supported by A and B
    changes = diff(snap(A, B), snap(A))
    assert changes["counts"]["facts_lost"] == 0
    assert changes["counts"]["articles_removed"] == 1


def test_merges_and_splits_of_entities():
    alone = ex("b", person("x", "Xi"))
    other = ex("c", person("x", "Xi Mingze"))
    before, after = snap(alone, A), snap(alone, A, other)
    # "Xi" was one node with Xi Jinping; a second full name with "Xi" makes it ambiguous
    split = diff(before, after)
    assert split["counts"]["entities_split"] == 1
    assert {n["label"] for n in split["entities_split"][0]["into"]} == {"Xi", "Xi Jinping"}
    # and removing the other article again joins them: a merge
    back = diff(after, before)
    assert back["counts"]["entities_merged"] == 1
    assert back["entities_merged"][0]["label"] == "Xi Jinping"
    assert {n["label"] for n in back["entities_merged"][0]["from"]} == {"Xi", "Xi Jinping"}


def test_a_merge_does_not_show_as_facts_lost_and_added():
    lone = snap(B)  # "Xi" met Ilham Aliyev: Xi is a node of its own
    both = snap(A, B)  # now "Xi" is Xi Jinping
    changes = diff(lone, both)
    assert changes["counts"]["facts_lost"] == 0
    assert changes["counts"]["facts_added"] == 0  # A states the same meeting
    assert changes["counts"]["entities_merged"] == 0
