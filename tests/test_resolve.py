"""Tests of kg.resolve: entities of many articles -> one canonical node per real entity."""
from __future__ import annotations

import pytest

from kg.model import Article, Entity, Extraction, Fact
from kg.resolve import Resolution, resolve, slugify


def ex(aid: str, *entities: Entity, facts: tuple[Fact, ...] = ()) -> Extraction:
    return Extraction(Article(id=aid, text=f"text of {aid}", source=f"{aid}.txt"),
                      entities, facts)


def person(key: str, name: str, *aliases: str) -> Entity:
    return Entity(key, "Person", name, tuple(aliases))


def slug(res: Resolution, aid: str, key: str) -> str:
    return res.node(aid, key).slug


def test_same_name_in_two_articles_is_one_node():
    res = resolve([ex("a", Entity("c", "Country", "Kazakhstan")),
                   ex("b", Entity("k", "Country", "Kazakhstan"))])
    assert slug(res, "a", "c") == slug(res, "b", "k")
    assert res.node("a", "c").name == "Kazakhstan"


def test_name_matching_ignores_case_accents_and_punctuation():
    res = resolve([ex("a", person("p", "Recep Tayyip Erdoğan")),
                   ex("b", person("p", "RECEP TAYYIP ERDOGAN"))])
    assert slug(res, "a", "p") == slug(res, "b", "p")


def test_same_name_different_types_stay_apart():
    res = resolve([ex("a", Entity("x", "Country", "Georgia")),
                   ex("b", Entity("x", "Place", "Georgia"))])
    assert slug(res, "a", "x") != slug(res, "b", "x")


def test_partial_person_name_joins_the_one_full_name():
    res = resolve([ex("a", person("x", "Xi")), ex("b", person("x", "Xi Jinping"))])
    assert slug(res, "a", "x") == slug(res, "b", "x")
    node = res.node("a", "x")
    assert node.name == "Xi Jinping"
    assert {"Xi", "Xi Jinping"} <= node.names


def test_shared_surname_is_ambiguous_and_never_merged():
    res = resolve([ex("a", person("h", "Heydar Aliyev")),
                   ex("b", person("i", "Ilham Aliyev")),
                   ex("c", person("s", "Aliyev"))])
    heydar, ilham, lone = slug(res, "a", "h"), slug(res, "b", "i"), slug(res, "c", "s")
    assert len({heydar, ilham, lone}) == 3
    assert res.node("a", "h").name == "Heydar Aliyev"
    assert res.node("b", "i").name == "Ilham Aliyev"
    assert res.node("c", "s").name == "Aliyev"


def _statement(aid: str, parties: tuple[str, ...], date: str | None, *,
               opaque_keys: bool = False) -> Extraction:
    """An article adopting a "Joint Statement" with `parties`. Entity keys are only unique
    within an article: the extractor happens to use "Type:name", but any key is valid."""
    countries = tuple(Entity(f"c{i}" if opaque_keys else f"Country:{name.lower()}",
                             "Country", name) for i, name in enumerate(parties))
    fact = Fact("agreement", (("agreement", ("js",)),
                              ("party", tuple(c.key for c in countries))),
                (("date", date),) if date else (), f"They adopted a Joint Statement ({aid}).")
    return ex(aid, Entity("js", "Agreement", "Joint Statement"), *countries, facts=(fact,))


@pytest.mark.parametrize("opaque_keys", [False, True],
                         ids=["extractor-keys", "opaque-keys"])
def test_generic_agreements_with_different_parties_are_two_nodes(opaque_keys):
    res = resolve([_statement("a", ("Vietnam", "Japan"), "2024-12-10", opaque_keys=opaque_keys),
                   _statement("b", ("Vietnam", "India"), "2024-12-10", opaque_keys=opaque_keys)])
    assert slug(res, "a", "js") != slug(res, "b", "js")
    assert res.node("a", "js").name == res.node("b", "js").name == "Joint Statement"


def test_generic_agreement_with_same_parties_and_date_is_one_node():
    res = resolve([_statement("a", ("Vietnam", "Japan"), "2024-12-10"),
                   _statement("b", ("Japan", "Vietnam"), "2024-12-10")])
    assert slug(res, "a", "js") == slug(res, "b", "js")


def test_generic_agreements_without_parties_in_two_articles_stay_apart():
    res = resolve([ex("a", Entity("js", "Agreement", "Joint Statement")),
                   ex("b", Entity("js", "Agreement", "Joint Statement"))])
    assert slug(res, "a", "js") != slug(res, "b", "js")


def test_organisation_acronym_merges_with_the_full_name():
    res = resolve([ex("a", Entity("o", "Organization", "Shanghai Cooperation Organisation",
                                  ("SCO",))),
                   ex("b", Entity("o", "Organization", "SCO"))])
    assert slug(res, "a", "o") == slug(res, "b", "o")
    node = res.node("b", "o")
    assert node.name == "Shanghai Cooperation Organisation"
    assert {"SCO", "Shanghai Cooperation Organisation"} <= node.names


def test_acronym_of_an_organisation_does_not_merge_a_person():
    res = resolve([ex("a", Entity("o", "Organization", "Association of Southeast Asian Nations",
                                  ("ASEAN",))),
                   ex("b", person("p", "Asean"))])
    assert slug(res, "a", "o") != slug(res, "b", "p")


def test_every_entity_is_mapped_and_resolution_is_deterministic():
    corpus = [ex("a", person("x", "Xi"), Entity("c", "Country", "China")),
              ex("b", person("x", "Xi Jinping"), person("h", "Heydar Aliyev")),
              ex("c", person("i", "Ilham Aliyev"), Entity("c", "Country", "China"))]
    first, again = resolve(corpus), resolve(list(reversed(corpus)))
    keys = {(e.article.id, ent.key) for e in corpus for ent in e.entities}
    assert set(first.of) == keys
    assert first.of == again.of
    assert {s: (n.type, n.name) for s, n in first.nodes.items()} == {
        s: (n.type, n.name) for s, n in again.nodes.items()}


def test_slugs_start_with_the_type_and_are_iri_safe():
    res = resolve([ex("a", Entity("c", "Country", "Côte d'Ivoire"),
                      person("p", "Alassane Ouattara"))])
    assert slug(res, "a", "c").startswith("country/")
    assert slug(res, "a", "p") == "person/" + slugify("Alassane Ouattara")
    for s in res.nodes:
        kind, _, rest = s.partition("/")
        assert rest and all(ch.isalnum() or ch == "-" for ch in rest), s
