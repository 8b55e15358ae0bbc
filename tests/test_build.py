"""Tests of kg.build: hand-made Extractions + kg.resolve -> an rdflib Dataset."""
from __future__ import annotations

from decimal import Decimal

import pytest
from rdflib import RDF, RDFS, SKOS, XSD, BNode, Dataset, Literal, URIRef
from rdflib.namespace import PROV

from kg.build import article_iri, build_dataset, date_literal
from kg.model import Article, Entity, Extraction, Fact
from kg.resolve import resolve
from kg.vocab import CORE_FACT_PREDICATES, DG, ENTITY_CLASSES, ID

MET = "Indonesian President Prabowo Subianto met Brazilian President Lula da Silva in Jakarta."
TALKS = "Prabowo Subianto and Lula da Silva held talks on trade in Jakarta on Monday."
PACT = "Indonesia and Brazil signed an agreement on biofuels."


def article(aid: str, text: str, published: str | None = None) -> Article:
    return Article(id=aid, text=text, source=f"{aid}.txt", title=f"Story {aid}",
                   published=published)


def person(key: str, name: str, *aliases: str) -> Entity:
    return Entity(key, "Person", name, tuple(aliases))


def country(key: str, name: str) -> Entity:
    return Entity(key, "Country", name)


def meeting(evidence: str, *people: str, date: str | None = None, where: str | None = None,
            confidence: float = 0.8) -> Fact:
    roles: list[tuple[str, tuple[str, ...]]] = [("participant", people)]
    if where:
        roles.append(("location", (where,)))
    return Fact("meeting", tuple(roles), (("date", date),) if date else (), evidence, confidence)


LEADERS = (person("pr", "Prabowo Subianto", "Prabowo"), person("lu", "Lula da Silva", "Lula"),
           Entity("jk", "Place", "Jakarta"))


def build(*extractions: Extraction, min_confidence: float = 0.0) -> Dataset:
    exs = list(extractions)
    return build_dataset(exs, resolve(exs), min_confidence=min_confidence)


def node(ds: Dataset, cls: URIRef, label: str) -> URIRef:
    found = [s for s in ds.subjects(RDFS.label, Literal(label)) if (s, RDF.type, cls) in ds]
    assert len(found) == 1, f"{label!r}: {found}"
    return found[0]


def statements(ds: Dataset, s: object, p: URIRef, o: object) -> set[object]:
    return {st for st in ds.subjects(RDF.subject, s)
            if (st, RDF.predicate, p) in ds and (st, RDF.object, o) in ds
            and (st, RDF.type, RDF.Statement) in ds}


def graph_names(ds: Dataset) -> set[URIRef]:
    return {g.identifier for g in ds.graphs() if len(g)}


def quads(ds: Dataset) -> set[tuple[object, ...]]:
    return {(s, p, o, getattr(c, "identifier", c)) for s, p, o, c in ds.quads()}


# --- named graphs -----------------------------------------------------------------------------
def test_each_article_gets_its_own_named_graph_with_its_facts():
    a = Extraction(article("a", MET, "2024-11-18"), LEADERS, (meeting(MET, "pr", "lu"),))
    b = Extraction(article("b", PACT),
                   (country("id", "Indonesia"), country("br", "Brazil"),
                    Entity("ag", "Agreement", "Biofuels Agreement")),
                   (Fact("agreement", (("agreement", ("ag",)), ("party", ("id", "br"))),
                         (), PACT, 0.7),))
    ds = build(a, b)
    ga, gb = ds.graph(article_iri("a")), ds.graph(article_iri("b"))
    assert graph_names(ds) == {article_iri("a"), article_iri("b")}
    assert (article_iri("a"), RDF.type, DG.Article) in ga
    assert (article_iri("b"), RDF.type, DG.Article) in gb
    assert (article_iri("a"), DG.published, Literal("2024-11-18", datatype=XSD.date)) in ga
    assert set(ga.subject_objects(DG.participant)) and not set(gb.subject_objects(DG.participant))
    assert set(gb.subject_objects(DG.party)) and not set(ga.subject_objects(DG.party))
    pr = node(ds, DG.Person, "Prabowo Subianto")
    assert (article_iri("a"), DG.mentions, pr) in ga
    assert (article_iri("b"), DG.mentions, pr) not in ds


def test_entities_get_minted_iris_labels_and_alt_labels_never_blank_nodes():
    ds = build(Extraction(article("a", MET), LEADERS, (meeting(MET, "pr", "lu"),)))
    pr = node(ds, DG.Person, "Prabowo Subianto")
    assert isinstance(pr, URIRef) and str(pr).startswith(str(ID))
    assert (pr, SKOS.altLabel, Literal("Prabowo")) in ds
    assert not any(isinstance(t, BNode) for triple in ds for t in triple)


# --- literals -------------------------------------------------------------------------------
@pytest.mark.parametrize(("value", "datatype"), [
    ("2024-11-18", XSD.date), ("2024-11", XSD.gYearMonth), ("2024", XSD.gYear)])
def test_date_literal_datatype_follows_the_granularity(value, datatype):
    lit = date_literal(value)
    assert lit == Literal(value, datatype=datatype)
    assert lit.datatype == datatype


@pytest.mark.parametrize(("value", "datatype"), [
    ("2024-11-18", XSD.date), ("2024-11", XSD.gYearMonth), ("2024", XSD.gYear)])
def test_meeting_and_published_dates_are_typed_literals(value, datatype):
    ex = Extraction(article("a", MET, published=value), LEADERS,
                    (meeting(MET, "pr", "lu", date=value),))
    ds = build(ex)
    (m,) = set(ds.subjects(RDF.type, DG.Meeting))
    assert list(ds.objects(m, DG.date)) == [Literal(value, datatype=datatype)]
    assert list(ds.objects(article_iri("a"), DG.published)) == [Literal(value, datatype=datatype)]


def test_agreement_date_is_typed():
    ex = Extraction(article("a", PACT),
                    (country("id", "Indonesia"), country("br", "Brazil"),
                     Entity("ag", "Agreement", "Biofuels Agreement")),
                    (Fact("agreement", (("agreement", ("ag",)), ("party", ("id", "br"))),
                          (("date", "2023-05"),), PACT, 0.7),))
    ds = build(ex)
    ag = node(ds, DG.Agreement, "Biofuels Agreement")
    assert list(ds.objects(ag, DG.date)) == [Literal("2023-05", datatype=XSD.gYearMonth)]
    assert {ds.value(c, RDFS.label) for c in ds.objects(ag, DG.party)} == {
        Literal("Indonesia"), Literal("Brazil")}


# --- provenance: one rdf:Statement per supporting sentence ---------------------------------
def test_every_core_triple_has_a_statement_with_article_evidence_and_confidence():
    ex = Extraction(article("a", MET), LEADERS, (meeting(MET, "pr", "lu", confidence=0.8),))
    ds = build(ex)
    triples = [(s, p, o) for p in CORE_FACT_PREDICATES for s, o in ds.subject_objects(p)]
    assert len(triples) == 2  # two participants
    for s, p, o in triples:
        (st,) = statements(ds, s, p, o)
        assert ds.value(st, PROV.wasDerivedFrom) == article_iri("a")
        assert str(ds.value(st, DG.evidence)) == MET
        conf = ds.value(st, DG.confidence)
        assert conf.datatype == XSD.decimal and conf.toPython() == Decimal("0.8")


def test_same_fact_in_two_articles_gives_two_statements_one_per_article():
    a = Extraction(article("a", MET), LEADERS, (meeting(MET, "pr", "lu", date="2024-11-18"),))
    b = Extraction(article("b", TALKS), LEADERS, (meeting(TALKS, "pr", "lu", date="2024-11-18"),))
    ds = build(a, b)
    (m,) = set(ds.subjects(RDF.type, DG.Meeting))  # same people, same day: one meeting
    pr = node(ds, DG.Person, "Prabowo Subianto")
    sts = statements(ds, m, DG.participant, pr)
    assert len(sts) == 2
    assert {ds.value(st, PROV.wasDerivedFrom) for st in sts} == {article_iri("a"), article_iri("b")}
    assert {str(ds.value(st, DG.evidence)) for st in sts} == {MET, TALKS}
    for name in (article_iri("a"), article_iri("b")):
        assert (m, DG.participant, pr) in ds.graph(name)


def test_same_fact_in_two_sentences_of_one_article_gives_two_statements():
    ex = Extraction(article("a", f"{MET} {TALKS}"), LEADERS,
                    (meeting(MET, "pr", "lu", date="2024-11-18"),
                     meeting(TALKS, "pr", "lu", date="2024-11-18")))
    ds = build(ex)
    (m,) = set(ds.subjects(RDF.type, DG.Meeting))
    sts = statements(ds, m, DG.participant, node(ds, DG.Person, "Lula da Silva"))
    assert {str(ds.value(st, DG.evidence)) for st in sts} == {MET, TALKS}


# --- determinism -------------------------------------------------------------------------------
def _corpus() -> list[Extraction]:
    return [
        Extraction(article("a", MET, "2024-11-18"), LEADERS,
                   (meeting(MET, "pr", "lu", date="2024-11-18", where="jk"),)),
        Extraction(article("b", PACT + " " + TALKS),
                   (*LEADERS, country("id", "Indonesia"), country("br", "Brazil"),
                    Entity("ag", "Agreement", "Biofuels Agreement")),
                   (Fact("agreement", (("agreement", ("ag",)), ("party", ("id", "br")),
                                       ("signatory", ("pr", "lu"))), (), PACT, 0.7),
                    meeting(TALKS, "pr", "lu"))),
    ]


def test_building_twice_gives_the_same_quads_with_the_same_iris():
    first, second = build(*_corpus()), build(*_corpus())
    assert quads(first) == quads(second)


def test_input_order_does_not_change_the_graph():
    assert quads(build(*_corpus())) == quads(build(*reversed(_corpus())))


def test_articles_built_apart_merge_by_set_union():
    # but for the entities' degrees, counted over the whole corpus (see the next test)
    a, b = _corpus()

    def facts(ds: Dataset) -> set[tuple[object, ...]]:
        return {q for q in quads(ds) if q[1] != DG.degree}

    assert facts(build(a)) | facts(build(b)) == facts(build(a, b))


def test_an_entity_degree_counts_its_distinct_neighbours_in_the_whole_corpus():
    a, b = _corpus()
    ds = build(a, b)
    prabowo, jakarta = node(ds, DG.Person, "Prabowo Subianto"), node(ds, DG.Place, "Jakarta")
    pact = node(ds, DG.Agreement, "Biofuels Agreement")
    # two meetings (one per article) and the agreement he signed
    assert {o for _, _, o, _ in ds.quads((prabowo, DG.degree, None, None))} == {Literal(3)}
    assert ds.value(pact, DG.degree) == Literal(4)  # two parties, two signatories
    assert ds.value(jakarta, DG.degree) is None  # a meeting's place is not a core fact
    assert build(a).value(prabowo, DG.degree) == Literal(1)
    # in every article graph that holds the entity, as its own count of neighbours
    out = {DG.holds, DG.party, DG.signatory, DG.memberOf, DG.supports}
    into = {DG.participant, DG.party, DG.signatory, DG.memberOf, DG.supports, DG.partner}
    checked = 0
    for g in ds.graphs():
        for entity in {s for cls in ENTITY_CLASSES.values() for s in g.subjects(RDF.type, cls)}:
            near = ({o for p in out for o in ds.objects(entity, p)}
                    | {s for p in into for s in ds.subjects(p, entity)})
            checked += 1
            assert g.value(entity, DG.degree) == (Literal(len(near)) if near else None), entity
    assert checked == 9  # (entity, article) pairs: 3 in the first article, 6 in the second


# --- confidence filter -------------------------------------------------------------------------
def test_min_confidence_drops_weaker_facts_and_their_statements_only(same_dataset):
    ex = Extraction(
        article("a", f"{MET} {PACT}"),
        (*LEADERS, country("id", "Indonesia"), country("br", "Brazil"),
         Entity("ag", "Agreement", "Biofuels Agreement")),
        (meeting(MET, "pr", "lu", confidence=0.9),
         Fact("agreement", (("agreement", ("ag",)), ("party", ("id", "br"))), (), PACT, 0.4)))
    full, kept = build(ex), build(ex, min_confidence=0.5)
    assert set(full.subject_objects(DG.party))
    assert not set(kept.subject_objects(DG.party))
    assert not any(kept.value(st, DG.evidence) == Literal(PACT)
                   for st in kept.subjects(RDF.type, RDF.Statement))
    assert len(set(kept.subject_objects(DG.participant))) == 2
    node(kept, DG.Agreement, "Biofuels Agreement")  # the entity itself stays
    for st in kept.subjects(RDF.type, RDF.Statement):
        assert kept.value(st, DG.confidence).toPython() >= Decimal("0.5")
    assert same_dataset(build(ex, min_confidence=0.0), full)


# --- positions and partnerships ----------------------------------------------------------------
def test_position_is_a_node_with_title_and_post():
    said = "Brazilian Foreign Minister Mauro Vieira arrived in Jakarta."
    ex = Extraction(article("a", said),
                    (person("mv", "Mauro Vieira"), country("br", "Brazil")),
                    (Fact("position", (("person", ("mv",)), ("org", ("br",))),
                          (("title", "Foreign Minister"),), said, 0.85),))
    ds = build(ex)
    mv, br = node(ds, DG.Person, "Mauro Vieira"), node(ds, DG.Country, "Brazil")
    (pos,) = list(ds.objects(mv, DG.holds))
    assert (pos, RDF.type, DG.Position) in ds
    assert list(ds.objects(pos, DG.title)) == [Literal("Foreign Minister")]
    assert list(ds.objects(pos, DG.postIn)) == [br]
    assert statements(ds, mv, DG.holds, pos)


def test_partnership_has_two_partners_and_a_level():
    said = "Indonesia and Brazil upgraded ties to a comprehensive strategic partnership."
    ex = Extraction(article("a", said), (country("id", "Indonesia"), country("br", "Brazil")),
                    (Fact("partnership", (("partner", ("id", "br")),),
                          (("level", "comprehensive strategic partnership"),), said, 0.7),))
    ds = build(ex)
    (p,) = set(ds.subjects(RDF.type, DG.Partnership))
    assert set(ds.objects(p, DG.partner)) == {node(ds, DG.Country, "Indonesia"),
                                              node(ds, DG.Country, "Brazil")}
    assert list(ds.objects(p, DG.level)) == [Literal("comprehensive strategic partnership")]
    for c in ds.objects(p, DG.partner):
        assert len(statements(ds, p, DG.partner, c)) == 1


# --- resolution decides the type ----------------------------------------------------------------
def test_a_node_joined_across_types_has_the_one_type_resolution_chose():
    a = Extraction(article("a", MET), (Entity("s", "Organization", "Jakarta Summit"),))
    b = Extraction(article("b", TALKS), (Entity("s", "Event", "Jakarta Summit"),))
    ds = build(a, b)
    (summit,) = set(ds.subjects(RDFS.label, Literal("Jakarta Summit")))
    assert set(ds.objects(summit, RDF.type)) == {DG.Event}
