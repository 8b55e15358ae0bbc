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


# --- layer: spelling variants (transliteration, one-letter slips) ----------------------------
def org(key: str, name: str, *aliases: str) -> Entity:
    return Entity(key, "Organization", name, tuple(aliases))


def merged(res: Resolution, a: tuple[str, str], b: tuple[str, str]) -> bool:
    return slug(res, *a) == slug(res, *b)


@pytest.mark.parametrize(("one", "other"), [
    ("Sergei Lavrov", "Sergey Lavrov"),          # transliteration of the final letter
    ("Dmitry Peskov", "Dmitriy Peskov"),
    ("Recep Tayyip Erdoğan", "Recep Tayyip Erdogan"),  # accents fold away
    ("Jorge Faurie", "Jourge Faurie"),           # one letter inserted, family name shared
    ("Liu Jianchao", "Lu Jianchao"),             # one letter dropped, given name shared
])
def test_spelling_variants_of_one_full_name_are_one_node(one, other):
    res = resolve([ex("a", person("p", one)), ex("b", person("p", other))])
    assert merged(res, ("a", "p"), ("b", "p"))
    rules = {m.rule for m in res.node("a", "p").merges}
    assert rules <= {"spelling variant"}


@pytest.mark.parametrize(("one", "other"), [
    ("Heydar Aliyev", "Ilham Aliyev"),   # father and son: a shared family name alone
    ("Hun Sen", "Hun Manet"),            # father and son
    ("Wang Yi", "Wang Yu"),              # one letter apart, but too short to tell
    ("Mario Rossi", "Maria Rossi"),      # a change of final vowel is another person
    ("Kim Yong Nam", "Kim Song Nam"),    # a different first letter
])
def test_different_people_sharing_a_family_name_stay_apart(one, other):
    res = resolve([ex("a", person("p", one)), ex("b", person("p", other))])
    assert not merged(res, ("a", "p"), ("b", "p"))


def test_a_sons_full_name_with_patronymic_does_not_absorb_the_father():
    res = resolve([ex("a", person("i", "Ilham Heydar oglu Aliyev")),
                   ex("b", person("h", "Heydar Aliyev")),
                   ex("c", person("j", "Ilham Aliyev"))])
    assert merged(res, ("a", "i"), ("c", "j"))
    assert not merged(res, ("a", "i"), ("b", "h"))


def test_partial_name_is_never_joined_through_a_chain_to_two_people():
    # "Aliyev" fits Ilham and Heydar: ambiguous, so it stays alone, and neither full
    # name absorbs the other through it
    res = resolve([ex("a", person("h", "Heydar Aliyev"), person("s", "Aliyev")),
                   ex("b", person("i", "Ilham Aliyev"))])
    assert len({slug(res, "a", "h"), slug(res, "a", "s"), slug(res, "b", "i")}) == 3


# --- layer: country names and demonyms in the names of bodies -------------------------------
@pytest.mark.parametrize(("one", "other"), [
    ("Kyrgyz Parliament", "Parliament of Kyrgyzstan"),
    ("Parliament of the Kyrgyz Republic", "Kyrgyz Parliament"),   # a former/official name
    ("Mauritanian National Assembly", "National Assembly of the Islamic Republic of Mauritania"),
    ("Ministry of Foreign Affairs of Azerbaijan", "Azerbaijan's Ministry of Foreign Affairs"),
    ("Communist Party of China", "Chinese Communist Party"),
])
def test_a_body_named_by_its_country_or_demonym_is_one_node(one, other):
    res = resolve([ex("a", org("o", one)), ex("b", org("o", other))])
    assert merged(res, ("a", "o"), ("b", "o"))
    assert {m.rule for m in res.node("a", "o").merges} == {"body named by its country"}


def test_bodies_of_two_countries_stay_apart():
    res = resolve([ex("a", org("o", "Kyrgyz Parliament")),
                   ex("b", org("o", "Parliament of Uzbekistan"))])
    assert not merged(res, ("a", "o"), ("b", "o"))


def test_british_and_us_spellings_of_a_title_are_one_node():
    res = resolve([ex("a", org("o", "Shanghai Cooperation Organisation")),
                   ex("b", org("o", "Shanghai Cooperation Organization"))])
    assert merged(res, ("a", "o"), ("b", "o"))


# --- layer: acronyms ---------------------------------------------------------------------------
def test_an_acronym_defined_in_the_text_joins_its_expansion_even_when_initials_differ():
    text = "Talks between the New Azerbaijan Party (YAP) and the CPC went well."
    e = Extraction(Article(id="a", text=text, source="a.txt"),
                   (org("n", "New Azerbaijan Party"), org("y", "YAP")))
    res = resolve([e])
    assert merged(res, ("a", "n"), ("a", "y"))
    assert res.node("a", "y").name == "New Azerbaijan Party"
    assert [m.rule for m in res.node("a", "y").merges] == ["acronym defined in text"]


def test_an_ambiguous_acronym_joins_nothing():
    res = resolve([ex("a", org("o", "International Criminal Court", "ICC")),
                   ex("b", org("o", "International Cricket Council", "ICC")),
                   ex("c", org("o", "ICC"))])
    assert len({slug(res, "a", "o"), slug(res, "b", "o"), slug(res, "c", "o")}) == 3


def test_an_acronym_inside_a_name_is_expanded():
    res = resolve([ex("a", org("o", "Shanghai Cooperation Organisation", "SCO"),
                      Entity("s", "Event", "Shanghai Cooperation Organisation Summit")),
                   ex("b", Entity("s", "Event", "SCO Summit"))])
    assert merged(res, ("a", "s"), ("b", "s"))
    assert not merged(res, ("a", "o"), ("a", "s"))


def test_an_acronym_names_the_same_thing_typed_another_way():
    res = resolve([ex("a", Entity("c", "Event", "COP29")),
                   ex("b", Entity("c", "Agreement", "Conference of the Parties", ("COP29",)))])
    assert merged(res, ("a", "c"), ("b", "c"))
    assert res.node("a", "c").type == "Event"  # "Conference ..." is an event by its head word


# --- layer: one title typed two ways; short forms ----------------------------------------------
def test_one_title_typed_two_ways_is_one_node_typed_by_its_head_word():
    res = resolve([ex("a", Entity("s", "Organization", "Astana Summit")),
                   ex("b", Entity("s", "Event", "Astana Summit"))])
    assert merged(res, ("a", "s"), ("b", "s"))
    assert res.node("a", "s").type == "Event"
    assert res.node("a", "s").slug.startswith("event/")


def test_short_form_of_an_initiative_within_an_article_even_when_typed_as_a_place():
    res = resolve([ex("a", Entity("i", "Initiative", "Open Balkan initiative"),
                      Entity("p", "Place", "Open Balkan"))])
    assert merged(res, ("a", "i"), ("a", "p"))
    assert res.node("a", "p").type == "Initiative"


def test_a_place_is_not_an_initiative_of_another_article():
    res = resolve([ex("a", Entity("i", "Initiative", "Open Balkan initiative")),
                   ex("b", Entity("p", "Place", "Open Balkan"))])
    assert not merged(res, ("a", "i"), ("b", "p"))


def test_countries_and_places_of_one_name_stay_apart():
    res = resolve([ex("a", Entity("c", "Country", "Georgia"), Entity("o", "Organization",
                                                                     "Georgia"))])
    assert not merged(res, ("a", "c"), ("a", "o"))


# --- layer: agreement titles ------------------------------------------------------------------
def test_an_agreement_title_that_names_its_parties_is_the_short_title():
    long = ("Joint Declaration on Strategic Partnership between the Republic of Azerbaijan "
            "and the People's Republic of China")
    res = resolve([ex("a", Entity("d", "Agreement", long)),
                   ex("b", Entity("d", "Agreement", "Joint Declaration on Strategic Partnership"))])
    assert merged(res, ("a", "d"), ("b", "d"))
    assert {long, "Joint Declaration on Strategic Partnership"} <= res.node("a", "d").names


def test_agreements_on_different_subjects_stay_apart():
    res = resolve([ex("a", Entity("d", "Agreement", "Agreement on Trade in Goods")),
                   ex("b", Entity("d", "Agreement", "Agreement on Trade in Services"))])
    assert not merged(res, ("a", "d"), ("b", "d"))


# --- layer: a person's name mistyped, a nickname -----------------------------------------------
def test_the_end_of_a_persons_name_typed_as_a_body_is_that_person():
    res = resolve([ex("a", person("p", "Mohamed Bamba Meguet"), org("o", "Bamba Meguet"))])
    assert merged(res, ("a", "p"), ("a", "o"))
    assert res.node("a", "o").type == "Person"


def test_a_city_named_after_a_person_is_not_that_person():
    res = resolve([ex("a", person("p", "George Washington"), Entity("c", "Place", "Washington"))])
    assert not merged(res, ("a", "p"), ("a", "c"))


def test_a_quoted_nickname_after_the_full_name_is_that_person():
    text = "Prime Minister Pushpa Kamal Dahal, ‘Prachanda’, arrived. Prachanda met Modi."
    e = Extraction(Article(id="a", text=text, source="a.txt"),
                   (person("p", "Pushpa Kamal Dahal"), org("n", "Prachanda")))
    res = resolve([e])
    assert merged(res, ("a", "p"), ("a", "n"))
    assert res.node("a", "n").name == "Pushpa Kamal Dahal"


# --- the alias file -------------------------------------------------------------------------------
def test_alias_file_forces_a_merge_no_rule_would_make():
    from kg.aliases import parse_aliases

    corpus = [ex("a", org("o", "Jogorku Kenesh")), ex("b", org("o", "Parliament of Kyrgyzstan"))]
    assert not merged(resolve(corpus), ("a", "o"), ("b", "o"))
    res = resolve(corpus, parse_aliases({"same": [["Jogorku Kenesh", "Parliament of Kyrgyzstan"]]}))
    assert merged(res, ("a", "o"), ("b", "o"))
    assert [m.rule for m in res.node("a", "o").merges] == ["alias file: same"]


def test_alias_file_forces_a_merge_across_types_with_a_type_and_label():
    from kg.aliases import parse_aliases

    rules = parse_aliases({"same": [{"names": ["Open Balkan", "open balkan initiative"],
                                     "type": "Initiative", "label": "Open Balkan"}]})
    res = resolve([ex("a", Entity("p", "Place", "Open Balkan")),
                   ex("b", Entity("i", "Initiative", "Open Balkan Initiative"))], rules)
    node = res.node("a", "p")
    assert merged(res, ("a", "p"), ("b", "i"))
    assert (node.type, node.name, node.slug) == ("Initiative", "Open Balkan",
                                                  "initiative/open-balkan")


def test_alias_file_forbids_a_merge_a_rule_would_make():
    from kg.aliases import parse_aliases

    corpus = [ex("a", person("x", "Xi")), ex("b", person("x", "Xi Jinping"))]
    assert merged(resolve(corpus), ("a", "x"), ("b", "x"))
    res = resolve(corpus, parse_aliases({"different": [["Xi", "Xi Jinping"]]}))
    assert not merged(res, ("a", "x"), ("b", "x"))


def test_alias_file_forbids_only_for_its_type():
    from kg.aliases import parse_aliases

    rules = parse_aliases({"different": [{"names": ["SCO", "Shanghai Cooperation Organisation"],
                                          "type": "Event"}]})
    res = resolve([ex("a", org("o", "Shanghai Cooperation Organisation", "SCO")),
                   ex("b", org("o", "SCO"))], rules)
    assert merged(res, ("a", "o"), ("b", "o"))


# --- records of merges -------------------------------------------------------------------------
def test_every_merge_is_recorded_with_its_names_and_rule():
    res = resolve([ex("a", person("x", "Xi")), ex("b", person("x", "Xi Jinping")),
                   ex("c", org("o", "Kyrgyz Parliament")),
                   ex("d", org("o", "Parliament of Kyrgyzstan"))])
    data = res.to_json()
    assert data["merges_by_rule"] == {"body named by its country": 1,
                                      "partial name of one full name": 1}
    by_label = {n["label"]: n for n in data["merged"]}
    assert by_label["Xi Jinping"]["merges"] == [{"names": ["Xi Jinping", "Xi"],
                                                 "rule": "partial name of one full name"}]
    assert by_label["Xi Jinping"]["articles"] == 2
    assert "Kyrgyz Parliament" in by_label["Parliament of Kyrgyzstan"]["names"]


def test_resolution_does_not_depend_on_the_order_of_articles():
    corpus = [ex("a", person("s", "Sergei Lavrov"), org("o", "Kyrgyz Parliament")),
              ex("b", person("s", "Sergey Lavrov"), person("l", "Lavrov")),
              ex("c", org("o", "Parliament of Kyrgyzstan"), org("s", "SCO")),
              ex("d", org("s", "Shanghai Cooperation Organisation", "SCO"))]
    one, other = resolve(corpus), resolve(list(reversed(corpus)))
    assert one.of == other.of
    assert one.to_json() == other.to_json()
    assert merged(one, ("b", "l"), ("a", "s"))  # "Lavrov" fits the one (variant-joined) person


# --- generic agreements that name the article's one titled agreement ---------------------------
def _agreements(aid: str, *names: str, plural: str | None = None) -> Extraction:
    ents = [Entity(f"a{i}", "Agreement", n, (plural,) if plural and i == 0 else ())
            for i, n in enumerate(names)]
    ents += [Entity("c1", "Country", "China"), Entity("c2", "Country", "Honduras")]
    facts = tuple(Fact("agreement", (("agreement", (e.key,)), ("party", ("c1", "c2"))),
                       (("date", "2023-03-26"),), f"They signed it ({e.name}).")
                  for e in ents if e.type == "Agreement")
    return ex(aid, *ents, facts=facts)


def test_the_generic_communique_of_an_article_is_its_one_titled_communique():
    res = resolve([_agreements("a", "Communique", "Joint Communique on Diplomatic Relations")])
    assert merged(res, ("a", "a0"), ("a", "a1"))
    assert res.node("a", "a0").name == "Joint Communique on Diplomatic Relations"


def test_a_generic_agreement_stays_apart_when_it_could_be_several_or_is_a_loose_word():
    two = _agreements("a", "Memorandum of Understanding", "Memorandum of Understanding on Trade",
                      "Memorandum on Education")
    plural = _agreements("b", "Memorandum of Understanding", "Memorandum of Understanding on Oil",
                         plural="six MoUs")
    loose = _agreements("c", "Agreement", "Agreement on Fisheries")
    res = resolve([two, plural, loose])
    for aid in "abc":
        assert not merged(res, (aid, "a0"), (aid, "a1"))
